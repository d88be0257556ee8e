# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import OCT_FROM, OCT_TO, QmsMetricsCommon


@tagged("post_install", "-at_install")
class TestMetricsReview(QmsMetricsCommon):
    def test_review_section_frozen(self):
        # days counted in UTC, whatever time zone an earlier test left cached
        # on this environment (env.tz reads the context first)
        review = (
            self.env["qms.management.review"]
            .with_context(tz="UTC")
            .create({"date_from": OCT_FROM, "date_to": OCT_TO})
        )
        review.action_prepare()
        figures = review.figure_ids.filtered(lambda f: f.section == "metrics")
        retention = figures.filtered(lambda f: f.code == "metrics.retention")
        self.assertEqual(retention.value, 50.0)
        seg2 = figures.filtered(
            lambda f: f.code == f"metrics.retention.segment.{self.seg2.id}"
        )
        self.assertEqual(seg2.value, 100.0)
        # a later order does not change the prepared review
        self._dated_order(self.customer_b, OCT_TO.replace(day=20))
        self.assertEqual(self._metrics()[0]["retention"], 100.0)
        self.assertEqual(retention.value, 50.0)
