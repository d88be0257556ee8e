# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review section of customer communication."""

from odoo import _, models


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return super()._qms_review_sections() + [
            (
                "communication",
                _("Customer Communication"),
                self._qms_figures_communication,
            ),
        ]

    def _qms_figures_communication(self):
        Comm = self.env["qms.communication"].sudo().with_context(active_test=False)
        base = [("rule_id", "!=", False), ("company_id", "=", self.company_id.id)]
        executed = Comm._read_group(
            [*base, ("state", "=", "done"), *self._qms_period_domain("done_date")],
            ["rule_id"],
            ["__count"],
        )
        # deadlines are days: overdue when their day is over in the review's
        # time zone (also for a section added after the preparation)
        today = self._qms_today()
        overdue = Comm._read_group(
            [
                *base,
                ("state", "=", "planned"),
                ("planned_date", "<=", self.date_to),
                ("planned_date", "<", today),
            ],
            ["rule_id"],
            ["__count"],
        )
        figures = [
            {
                "code": "communication.executed",
                "name": _("Rule communications executed"),
                "value": sum(count for _r, count in executed),
                "better": "higher",
            },
            {
                "code": "communication.overdue",
                "name": _("Rule communications overdue"),
                "value": sum(count for _r, count in overdue),
                "better": "lower",
            },
        ]
        per_rule = {}
        for rule, count in executed:
            per_rule.setdefault(rule, [0, 0])[0] = count
        for rule, count in overdue:
            per_rule.setdefault(rule, [0, 0])[1] = count
        for rule, (done, late) in sorted(per_rule.items(), key=lambda i: i[0].id):
            figures.append(
                {
                    "code": f"communication.rule.{rule.id}",
                    "name": _("Executed"),
                    "dimension": rule.name,
                    "value": done,
                    "better": "higher",
                }
            )
            figures.append(
                {
                    "code": f"communication.rule_overdue.{rule.id}",
                    "name": _("Overdue"),
                    "dimension": rule.name,
                    "value": late,
                    "better": "lower",
                }
            )
        return figures
