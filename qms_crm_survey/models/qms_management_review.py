# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        sections = super()._qms_review_sections()
        sections.insert(
            0,
            (
                "satisfaction",
                _("Customer Satisfaction"),
                self._qms_figures_satisfaction,
            ),
        )
        return sections

    def _qms_figures_satisfaction(self):
        """NPS, CSAT and CES of the period and by month, from the satisfaction
        report (two grouped queries). Days and months are those of the time
        zone the review is prepared in, like the other sections."""
        Report = (
            self.env["qms.satisfaction.report"]
            .sudo()
            .with_context(tz=self._qms_tz().zone)
        )
        domain = self._qms_period_domain("answered_at")
        aggregates = [
            "nps:avg",
            "csat_pct:avg",
            "ces_score:avg",
            "response_pct:avg",
            "response_count:sum",
        ]
        [(nps, csat, ces, response_pct, responses)] = Report._read_group(
            domain, [], aggregates
        )
        figures = [
            {
                "code": "satisfaction.nps",
                "name": _("Net Promoter Score"),
                "value": round(nps or 0.0, 1),
                "unit": "score",
                "better": "higher",
            },
            {
                "code": "satisfaction.csat",
                "name": _("Customer satisfaction (CSAT)"),
                "value": round(csat or 0.0, 1),
                "unit": "pct",
                "better": "higher",
            },
            {
                "code": "satisfaction.ces",
                "name": _("Customer effort score (CES, mean; higher is easier)"),
                "value": round(ces or 0.0, 2),
                "unit": "score",
                "better": "higher",
            },
            {
                "code": "satisfaction.responses",
                "name": _("Survey responses"),
                "value": responses or 0,
                "better": "higher",
            },
            {
                "code": "satisfaction.response_rate",
                "name": _("Response rate"),
                "value": round(response_pct or 0.0, 1),
                "unit": "pct",
                "better": "higher",
            },
        ]
        monthly = Report._read_group(
            [*domain, ("answered", "=", True)],
            ["answered_at:month"],
            ["nps:avg", "csat_pct:avg", "ces_score:avg"],
        )
        for month, m_nps, m_csat, m_ces in monthly:
            key = month.strftime("%Y-%m")
            for code, name, value, unit, better in (
                ("nps", _("NPS by month"), m_nps, "score", "higher"),
                ("csat", _("CSAT by month"), m_csat, "pct", "higher"),
                ("ces", _("CES by month"), m_ces, "score", "higher"),
            ):
                if value is None:
                    continue
                figures.append(
                    {
                        "code": f"satisfaction.{code}.{key}",
                        "name": name,
                        "value": round(value, 2),
                        "unit": unit,
                        "better": better,
                        "month": month,
                    }
                )
        return figures
