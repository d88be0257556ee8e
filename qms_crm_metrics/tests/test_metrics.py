# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OCT_FROM, OCT_TO, QmsMetricsCommon


@tagged("post_install", "-at_install")
class TestCustomerMetrics(QmsMetricsCommon):
    def assertMetrics(self, values, expected):
        for code, value in expected.items():
            if value is None:
                self.assertIsNone(values.get(code), code)
            else:
                self.assertAlmostEqual(values.get(code), value, places=2, msg=code)

    def test_company_october_utc(self):
        """Every metric of October counted in UTC, against the numbers worked
        out by hand in common.py."""
        self.assertMetrics(
            self._metrics()[0],
            {
                # a ordered in Sept. and Oct., b in Sept. only
                "retention": 50.0,
                "churn": 50.0,
                # a once, c twice in October
                "repeat_purchase": 50.0,
                # on time in full, on time in full (same UTC day), partial
                "otif": 200 / 3,
                # 1 complaint received in October, 3 orders
                "complaint_rate": 100 / 3,
                # closed in October: c1 at the first contact, c2 after the
                # customer rejected the resolution (reopened)
                "fcr": 50.0,
                "ack_hours": 2.0,
                "resolution_hours": 10.0,
                # promoters a and c, detractor b
                "nps": 100 / 3,
                "csat": 50.0,
                "ces": 5.0,
                # 7 answered out of 8 invitations
                "response_rate": 87.5,
                # c1 confirmed, c2 rejected (then closed again, still pending)
                "recovery_success": 50.0,
                # recovered a (promoter, bought again after), b (detractor,
                # did not buy again); never complained: c (promoter, bought)
                "paradox_nps_recovered": 0.0,
                "paradox_nps_never": 100.0,
                "paradox_repurchase_recovered": 50.0,
                "paradox_repurchase_never": 100.0,
                # two detractors (b's NPS, c's CSAT), c's followed up
                "detractor_closed_loop": 50.0,
                # 9.00 compensation on 90.00 revenue
                "copq_revenue": 10.0,
            },
        )

    def test_company_october_far_east(self):
        """The same October counted in UTC+14: b's order of 30 September
        12:00 UTC is in October there, and c's delivery made on the promised
        UTC day is a day late there."""
        self.assertMetrics(
            self._metrics(tz="Pacific/Kiritimati")[0],
            {
                "retention": 100.0,
                "churn": 0.0,
                "repeat_purchase": 100 / 3,
                "otif": 100 / 3,
                "complaint_rate": 25.0,
                "copq_revenue": 7.5,
                "paradox_repurchase_recovered": 50.0,
            },
        )

    def test_customer_in_two_segments_counts_in_both(self):
        values = self._metrics("segment")
        self.assertMetrics(
            values[self.seg1.id],
            {"retention": 50.0, "complaint_rate": 100.0, "otif": 100.0},
        )
        self.assertMetrics(
            values[self.seg2.id],
            {"retention": 100.0, "churn": 0.0, "complaint_rate": 100.0, "nps": 100.0},
        )
        # customer c has no segment: in no segment's figures
        self.assertEqual(set(values), {self.seg1.id, self.seg2.id})

    def test_by_team_salesperson_abc(self):
        team = self._metrics("team")[self.team.id]
        self.assertMetrics(
            team,
            {"retention": 100.0, "complaint_rate": 100.0, "recovery_success": 100.0},
        )
        person = self._metrics("user")[self.salesman.id]
        self.assertMetrics(person, {"retention": 100.0, "fcr": 100.0})
        # nobody classified yet: one group without class
        self.assertEqual(list(self._metrics("abc")), [None])
        # the class this company gave the customer (company-dependent)
        self.customer_a.sudo().qms_abc_class = "A"
        abc = self._metrics("abc")
        self.assertMetrics(abc["A"], {"retention": 100.0, "complaint_rate": 100.0})
        self.assertMetrics(abc[None], {"retention": 0.0, "churn": 100.0})

    def test_by_product_and_category(self):
        """Complaint rate per product: c1 is about the product, c2 about no
        product; the three October orders all hold it."""
        product = self._metrics("product")[self.product.id]
        self.assertMetrics(product, {"complaint_rate": 100 / 3, "otif": 200 / 3})
        categ = self._metrics("categ")[self.product.categ_id.id]
        self.assertMetrics(categ, {"complaint_rate": 100 / 3, "retention": 50.0})
        # the paradox is about customers, not products
        self.assertIsNone(categ["paradox_nps_never"])

    def test_no_data_is_none_not_zero(self):
        values = self.Metric._qms_compute(
            OCT_FROM.replace(year=2006), OCT_TO.replace(year=2006)
        )
        self.assertFalse(values)

    def test_partial_delivery_is_not_in_full(self):
        picking = self.o_c_oct2.picking_ids.filtered(lambda p: p.state == "done")
        self.assertTrue(picking.backorder_ids, "a backorder is left")
        self.o_c_oct2.picking_ids.filtered(lambda p: p.state != "done").action_cancel()
        # still not in full: the customer got 1 of 3
        self.assertAlmostEqual(self._metrics()[0]["otif"], 200 / 3, places=2)

    def test_reopened_complaint_counted(self):
        self.assertEqual(self.c2.qms_reopen_count, 1)
        self.assertEqual(self.c2.qms_rejection_count, 1)
        self.assertEqual(self.c1.qms_reopen_count, 0)

    def test_dashboard_rows(self):
        rows = self.env["qms.metric.value"]._qms_refresh(
            months=1, today=OCT_TO.replace(month=11, day=15)
        )
        nps = rows.filtered(lambda r: r.metric == "nps" and r.dimension == "company")
        self.assertEqual(len(nps), 1)
        self.assertEqual(nps.month, OCT_FROM)
        self.assertEqual((nps.numerator, nps.denominator), (1.0, 3.0))
        seg = rows.filtered(
            lambda r: r.metric == "retention" and r.segment_id == self.seg2
        )
        self.assertEqual(seg.value, 100.0)
        # read by a quality user through the action's model
        self.assertTrue(
            self.env["qms.metric.value"].with_user(self.qms_user).search_count([])
        )

    def test_recompute_year_managers_only(self):
        Value = self.env["qms.metric.value"]
        with self.assertRaises(AccessError):
            Value.with_user(self.qms_user).action_qms_recompute_year()
        action = Value.with_user(self.qms_manager).action_qms_recompute_year()
        self.assertEqual(action["res_model"], "qms.metric.value")
        self.assertTrue(Value.search_count([("company_id", "=", self.env.company.id)]))
