# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return [
            *super()._qms_review_sections(),
            ("recall", _("Recalls and Field Actions"), self._qms_figures_recall),
        ]

    def _qms_figures_recall(self):
        """Effectiveness of the campaigns running in the period: launched
        before its end and not closed before its start (two queries)."""
        start, end = self._qms_period()
        campaign_domain = [
            ("state", "!=", "draft"),
            ("company_id", "=", self.company_id.id),
            ("create_date", "<", end),
            "|",
            ("closed_date", "=", False),
            ("closed_date", ">=", start),
        ]
        campaigns = dict(
            self.env["qms.recall.campaign"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(campaign_domain, ["state"], ["__count"])
        )
        [(lines, notified, acked, qty, recovered)] = (
            self.env["qms.recall.report"]
            .sudo()
            ._read_group(
                [("campaign_id", "any", campaign_domain)],
                [],
                [
                    "line_count:sum",
                    "notified_count:sum",
                    "ack_count:sum",
                    "quantity:sum",
                    "qty_recovered:sum",
                ],
            )
        )
        lines, qty = lines or 0, qty or 0.0

        def pct(part, whole):
            return round(100.0 * (part or 0) / whole, 1) if whole else 0.0

        return [
            {
                "code": "recall.campaigns",
                "name": _("Campaigns running"),
                "value": sum(campaigns.values()),
                "better": "lower",
            },
            {
                "code": "recall.closed",
                "name": _("Campaigns closed"),
                "value": campaigns.get("closed", 0),
            },
            {
                "code": "recall.lines",
                "name": _("Customer deliveries concerned"),
                "value": lines,
            },
            {
                "code": "recall.notified_pct",
                "name": _("Customers notified"),
                "value": pct(notified, lines),
                "unit": "pct",
                "better": "higher",
            },
            {
                "code": "recall.ack_pct",
                "name": _("Notices acknowledged"),
                "value": pct(acked, lines),
                "unit": "pct",
                "better": "higher",
            },
            {
                "code": "recall.recovered_pct",
                "name": _("Quantity returned or corrected"),
                "value": pct(recovered, qty),
                "unit": "pct",
                "better": "higher",
            },
        ]
