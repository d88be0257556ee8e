# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones

from .common import QmsRecallCommon


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestManagementReviewRecall(QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 3)])

    def test_recall_effectiveness_figures_equal_the_campaigns(self):
        campaign = self._campaign()
        campaign.action_scope()
        self.assertTrue(campaign.line_ids)
        today = fields.Date.context_today(campaign)
        review = self.env["qms.management.review"].create(
            {"date_from": today - timedelta(days=30), "date_to": today}
        )
        review.action_prepare()
        figures = {f.code: f.value for f in review.figure_ids}
        start = fields.Datetime.to_datetime(review.date_from)
        running = self.env["qms.recall.campaign"].search(
            [
                ("state", "!=", "draft"),
                ("company_id", "=", review.company_id.id),
                "|",
                ("closed_date", "=", False),
                ("closed_date", ">=", start),
            ]
        )
        self.assertIn(campaign, running)
        lines = running.line_ids
        self.assertEqual(figures["recall.campaigns"], len(running))
        self.assertEqual(figures["recall.lines"], len(lines))
        notified = self.env["qms.recall.report"].search(
            [("campaign_id", "in", running.ids)]
        )
        self.assertAlmostEqual(
            figures["recall.notified_pct"],
            round(100.0 * sum(notified.mapped("notified_count")) / len(lines), 1),
        )
