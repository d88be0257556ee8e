# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review sections of customer requirements: reviews and changes."""

from odoo import _, models


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return super()._qms_review_sections() + [
            ("requirements", _("Requirement Reviews"), self._qms_figures_requirements),
            ("changes", _("Requirement Changes"), self._qms_figures_changes),
        ]

    def _qms_figures_requirements(self):
        Order = self.env["sale.order"].sudo()
        groups = dict(
            Order._read_group(
                [
                    ("state", "=", "sale"),
                    *self._qms_period_domain("date_order"),
                    ("company_id", "=", self.company_id.id),
                ],
                ["qms_confirmed_without_review"],
                ["__count"],
            )
        )
        overrides = Order.search_read(
            [
                *self._qms_period_domain("qms_override_date"),
                ("company_id", "=", self.company_id.id),
            ],
            ["name", "qms_override_reason", "qms_override_user_id"],
            order="qms_override_date",
        )
        reviews = dict(
            self.env["qms.requirement.review"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    *self._qms_period_domain("review_date"),
                    ("company_id", "=", self.company_id.id),
                ],
                ["state"],
                ["__count"],
            )
        )
        figures = [
            {
                "code": "requirements.without_review",
                "name": _("Orders confirmed without approved review (target 0)"),
                "value": groups.get(True, 0),
                "better": "lower",
            },
            {
                "code": "requirements.overrides",
                "name": _("Review gate overrides"),
                "value": len(overrides),
                "better": "lower",
            },
            {
                "code": "requirements.approved",
                "name": _("Reviews approved"),
                "value": reviews.get("approved", 0),
            },
            {
                "code": "requirements.rejected",
                "name": _("Reviews rejected"),
                "value": reviews.get("rejected", 0),
            },
        ]
        for order in overrides:
            figures.append(
                {
                    "code": f"requirements.override.{order['id']}",
                    "name": _("Override"),
                    "dimension": order["name"],
                    "value": 1,
                    "note": "%s — %s"
                    % (
                        (order["qms_override_user_id"] or (0, ""))[1],
                        order["qms_override_reason"] or "",
                    ),
                }
            )
        return figures

    def _qms_figures_changes(self):
        period = self._qms_period_domain("change_date")
        [(changes,)] = (
            self.env["qms.requirement.version"]
            .sudo()
            ._read_group([*period, ("number", ">", 1)], [], ["__count"])
        )
        acks = {
            state: (count, delay)
            for state, count, delay in self.env["qms.requirement.ack"]
            .sudo()
            ._read_group(
                [("version_id", "any", [*period, ("number", ">", 1)])],
                ["state"],
                ["__count", "delay_hours:avg"],
            )
        }
        return [
            {
                "code": "changes.count",
                "name": _("Requirement changes"),
                "value": changes,
            },
            {
                "code": "changes.ack_done",
                "name": _("Acknowledgements given"),
                "value": acks.get("done", (0, 0))[0],
            },
            {
                "code": "changes.ack_pending",
                "name": _("Acknowledgements still pending"),
                "value": acks.get("pending", (0, 0))[0],
                "better": "lower",
            },
            {
                "code": "changes.ack_delay",
                "name": _("Mean acknowledgement delay"),
                "value": round(acks.get("done", (0, 0))[1] or 0.0, 2),
                "unit": "hours",
                "better": "lower",
            },
        ]
