# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review section of the customer metrics (9.1.3, 9.3.2 c 1)."""

from odoo import _, models

from .qms_metric import METRIC_SPECS

REVIEW_DIMENSIONS = ("segment", "team")


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return super()._qms_review_sections() + [
            ("metrics", _("Customer Metrics"), self._qms_figures_metrics),
        ]

    def _qms_figures_metrics(self):
        """Every metric for the period of the review (its days, its time
        zone), for the company, then by customer segment and sales team."""
        Metric = self.env["qms.metric"].sudo()
        tz = self._qms_tz()
        figures = []
        models_ = {"segment": "res.partner.category", "team": "crm.team"}
        titles = {"segment": _("Segment"), "team": _("Team")}
        for group_by in (None, *REVIEW_DIMENSIONS):
            values = Metric._qms_compute(
                self.date_from, self.date_to, tz, self.company_id, group_by
            )
            for key in sorted(values, key=lambda k: (k is None, str(k))):
                if group_by:
                    title = titles[group_by]
                    name = (
                        self.env[models_[group_by]].browse(key).sudo().display_name
                        if key
                        else _("Not set")
                    )
                    dimension = f"{title}: {name}"
                    suffix = f".{group_by}.{key or 0}"
                else:
                    dimension = False
                    suffix = ""
                for code, (_l, unit, better, *_r) in METRIC_SPECS.items():
                    value = values[key].get(code)
                    if value is None:
                        continue
                    figures.append(
                        {
                            "code": f"metrics.{code}{suffix}",
                            "name": Metric._qms_metric_label(code),
                            "dimension": dimension,
                            "value": round(value, 2),
                            "unit": unit,
                            "better": better,
                        }
                    )
        return figures
