# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestSatisfactionReport(QmsSurveyCommon):
    def test_monthly_nps_csat_ces_and_response_rate(self):
        survey = self.relationship
        segment = self.env["res.partner.category"].create({"name": "Distributors"})
        self.customer_a.category_id = segment
        answers = self.env["survey.user_input"]
        # March: 2 promoters, 1 passive, 1 detractor -> NPS 25
        for nps, csat, ces in ((10, 5, 7), (9, 4, 6), (8, 3, 5), (3, 2, 2)):
            answers |= self._answer(
                survey, self.customer_a, {"nps": nps, "csat": csat, "ces": ces}
            )
        answers.write({"end_datetime": datetime(2025, 3, 10, 12)})
        # an invitation not answered in March: response rate 4/5
        pending = survey.sudo()._create_answer(
            partner=self.customer_a, check_attempts=False
        )
        self.env.cr.execute(
            "UPDATE survey_user_input SET create_date = %s WHERE id = %s",
            [datetime(2025, 3, 20), pending.id],
        )
        Report = self.env["qms.satisfaction.report"].with_user(self.qms_user)
        domain = [("partner_id", "=", self.customer_a.id)]
        rows = Report._read_group(
            domain,
            ["date:month"],
            ["nps:avg", "csat_pct:avg", "ces_score:avg", "response_pct:avg", "__count"],
        )
        self.assertEqual(len(rows), 1)
        _month, nps, csat, ces, response, count = rows[0]
        self.assertEqual(count, 5)
        self.assertAlmostEqual(nps, 25.0)
        self.assertAlmostEqual(csat, 50.0)
        self.assertAlmostEqual(ces, 5.0)
        self.assertAlmostEqual(response, 80.0)
        by_segment = Report._read_group(domain, ["segment_id"], ["nps:avg"])
        self.assertEqual(by_segment[0][0], segment)
        # drill down: every row opens its answer
        self.assertEqual(
            Report.search(domain + [("answered", "=", True)]).user_input_id, answers
        )

    def test_salesperson_sees_trends_read_only(self):
        report = self.env["qms.satisfaction.report"].with_user(self.salesman)
        self.assertIsInstance(report.search_count([]), int)
        self.assertTrue(report.has_access("read"))
        self.assertFalse(report.has_access("write"))
