# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review section of the proactive customer alerts."""

from odoo import _, models


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return super()._qms_review_sections() + [
            ("alerts", _("Proactive Alerts"), self._qms_figures_alerts),
        ]

    def _qms_figures_alerts(self):
        Activity = self.env["mail.activity"].sudo().with_context(active_test=False)
        kinds = dict(
            Activity._fields["qms_alert_kind"]._description_selection(self.env)
        )
        groups = Activity._read_group(
            [("qms_alert_kind", "!=", False), *self._qms_period_domain("create_date")],
            ["qms_alert_kind", "active"],
            ["__count"],
        )
        raised = sum(count for _k, _a, count in groups)
        followed = sum(count for _k, active, count in groups if not active)
        figures = [
            {
                "code": "alerts.raised",
                "name": _("Customer alerts raised"),
                "value": raised,
            },
            {
                "code": "alerts.followed",
                "name": _("Alerts followed up"),
                "value": followed,
                "better": "higher",
            },
            {
                "code": "alerts.followed_pct",
                "name": _("Alerts followed up (%)"),
                "value": round(100.0 * followed / raised, 1) if raised else 0.0,
                "unit": "pct",
                "better": "higher",
            },
        ]
        per_kind = {}
        for kind, active, count in groups:
            per_kind.setdefault(kind, [0, 0])[0 if active else 1] += count
        for kind, (still_open, done) in sorted(per_kind.items()):
            figures.append(
                {
                    "code": f"alerts.kind.{kind}",
                    "name": _("Raised"),
                    "dimension": kinds.get(kind, kind),
                    "value": still_open + done,
                }
            )
        return figures
