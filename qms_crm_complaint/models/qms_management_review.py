# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review sections of complaints: complaints and cost of poor quality."""

from odoo import _, models


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return super()._qms_review_sections() + [
            ("complaints", _("Complaints"), self._qms_figures_complaints),
            ("cost", _("Cost of Poor Quality"), self._qms_figures_cost),
        ]

    def _qms_figures_complaints(self):
        Report = self.env["qms.complaint.report"].sudo()
        domain = [
            ("is_complaint", "=", True),
            *self._qms_period_domain("create_date"),
            *self._qms_company_domain("qms.complaint.report"),
        ]
        [(count, ack, resolution, breaches)] = Report._read_group(
            domain,
            [],
            [
                "__count",
                "ack_hours:avg",
                "resolution_hours:avg",
                "breach_count:sum",
            ],
        )
        [(orders,)] = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "sale"),
                    *self._qms_period_domain("date_order"),
                    ("company_id", "=", self.company_id.id),
                ],
                [],
                ["__count"],
            )
        )
        figures = [
            {
                "code": "complaints.count",
                "name": _("Complaints received"),
                "value": count,
                "better": "lower",
            },
            {
                "code": "complaints.orders",
                "name": _("Orders confirmed"),
                "value": orders,
            },
            {
                "code": "complaints.rate",
                "name": _("Complaints per 100 orders"),
                "value": round(100.0 * count / orders, 2) if orders else 0.0,
                "unit": "rate",
                "better": "lower",
            },
            {
                "code": "complaints.ack_hours",
                "name": _("Mean acknowledgement time"),
                "value": round(ack or 0.0, 2),
                "unit": "hours",
                "better": "lower",
            },
            {
                "code": "complaints.resolution_hours",
                "name": _("Mean resolution time"),
                "value": round(resolution or 0.0, 2),
                "unit": "hours",
                "better": "lower",
            },
            {
                "code": "complaints.breaches",
                "name": _("Missed acknowledgement and resolution targets"),
                "value": breaches or 0,
                "better": "lower",
            },
        ]
        kinds = dict(Report._fields["feedback_kind"]._description_selection(self.env))
        for kind, kind_count in Report._read_group(
            domain, ["feedback_kind"], ["__count"]
        ):
            figures.append(
                {
                    "code": f"complaints.kind.{kind}",
                    "name": _("By kind"),
                    "dimension": kinds.get(kind, kind),
                    "value": kind_count,
                    "better": "lower",
                }
            )
        for cause, cause_count in Report._read_group(
            domain, ["root_cause_id"], ["__count"]
        ):
            figures.append(
                {
                    "code": f"complaints.cause.{cause.id or 0}",
                    "name": _("By root cause"),
                    "dimension": cause.name or _("Not analysed yet"),
                    "value": cause_count,
                    "better": "lower",
                }
            )
        repeat = Report._read_group(
            [*domain, ("partner_id", "!=", False)],
            ["partner_id"],
            ["__count"],
            having=[("__count", ">=", 2)],
        )
        figures.append(
            {
                "code": "complaints.repeat",
                "name": _("Repeat complainers"),
                "value": len(repeat),
                "better": "lower",
                "note": ", ".join(partner.display_name for partner, _n in repeat[:20]),
            }
        )
        return figures

    def _qms_figures_cost(self):
        Line = self.env["qms.compensation.line"].sudo()
        domain = [
            *self._qms_period_domain("date"),
            ("company_id", "=", self.company_id.id),
        ]
        kinds = dict(Line._fields["kind"]._description_selection(self.env))
        groups = Line._read_group(domain, ["kind"], ["amount_company:sum", "__count"])
        figures = [
            {
                "code": "cost.total",
                "name": _("Compensation granted"),
                "value": sum(amount for _k, amount, _c in groups),
                "unit": "amount",
                "better": "lower",
            },
            {
                "code": "cost.count",
                "name": _("Compensation lines"),
                "value": sum(count for _k, _a, count in groups),
                "better": "lower",
            },
        ]
        for kind, amount, _count in groups:
            figures.append(
                {
                    "code": f"cost.kind.{kind}",
                    "name": _("By kind"),
                    "dimension": kinds.get(kind, kind),
                    "value": amount,
                    "unit": "amount",
                    "better": "lower",
                }
            )
        return figures
