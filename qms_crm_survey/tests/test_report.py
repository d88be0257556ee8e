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

    def test_salesperson_sees_trends_of_own_customers_read_only(self):
        answer_a = self._answer(self.nps, self.customer_a, {"nps": 9})
        answer_b = self._answer(self.nps, self.customer_b, {"nps": 9})
        both = (answer_a | answer_b).ids
        domain = [("user_input_id", "in", both)]
        Report = self.env["qms.satisfaction.report"]
        # customer_a is sold by salesman, customer_b by salesman2
        own = Report.with_user(self.salesman).search(domain)
        self.assertEqual(own.user_input_id, answer_a)
        for user in (self.salesman_all, self.qms_user):
            self.assertEqual(
                Report.with_user(user).search(domain).user_input_id,
                answer_a | answer_b,
            )
        self.assertTrue(Report.with_user(self.salesman).has_access("read"))
        self.assertFalse(Report.with_user(self.salesman).has_access("write"))
        Invitation = self.env["qms.survey.invitation"]
        invitations = self.nps._qms_invite(self.customer_a) | self.nps._qms_invite(
            self.customer_b
        )
        self.assertEqual(
            Invitation.with_user(self.salesman)
            .search([("id", "in", invitations.ids)])
            .customer_id,
            self.customer_a,
        )
        self.assertEqual(
            self.employee.has_group("sales_team.group_sale_salesman"), False
        )
        self.assertFalse(Report.with_user(self.employee).has_access("read"))
