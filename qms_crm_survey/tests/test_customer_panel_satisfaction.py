# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user, tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestCustomerPanelSatisfaction(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Gamma Customer", "is_company": True, "user_id": cls.salesman.id}
        )
        cls.contact_c = cls.env["res.partner"].create(
            {"name": "Gina Gamma", "parent_id": cls.customer_c.id}
        )
        cls.survey_user = new_test_user(
            cls.env,
            "qms_survey_officer",
            groups="sales_team.group_sale_salesman,survey.group_survey_user",
        )

    def _satisfaction(self, partner, user=None):
        partner = partner.with_user(user) if user else partner
        return partner._qms_customer_360_data()[partner.commercial_partner_id.id][
            "satisfaction"
        ]

    def _queries(self, partner):
        partner = partner.with_user(self.salesman)
        partner._qms_customer_360_html_map()  # warm the ormcache
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        partner._qms_customer_360_html_map()
        return self.env.cr.sql_log_count - before

    def test_panel_shows_nps_csat_last_surveyed_and_answers(self):
        invitation = self.Invitation._qms_invite(self.csat, self.contact_a)
        self.assertTrue(invitation.sent_date)
        self._answer(self.csat, self.contact_a, {"csat": 5})
        detractor = self._answer(self.nps, self.contact_a, {"nps": 3})
        sat = self._satisfaction(self.customer_a, self.salesman)
        self.assertEqual(sat["nps_category"], "detractor")
        self.assertAlmostEqual(sat["csat_avg"], 5.0)
        self.assertTrue(sat["last_surveyed"])
        self.assertEqual(self.customer_a.qms_last_surveyed_date, invitation.sent_date)
        self.assertEqual(sat["answer_count"], 2)
        self.assertEqual(sat["answers"][0]["record"], detractor)
        self.assertTrue(sat["answers"][0]["detractor"])
        # a salesman cannot open survey answers: no link for him
        self.assertFalse(sat["answers"][0]["url"])
        html = str(self.customer_a.with_user(self.salesman).qms_customer_360_html)
        self.assertIn("o_qms_360_satisfaction", html)
        self.assertIn('data-nps="detractor"', html)
        self.assertIn("5.00", html)
        self.assertNotIn(f"/odoo/survey.user_input/{detractor.id}", html)
        # a survey officer gets the links; the panel of an opportunity too
        self.env.invalidate_all()
        html = str(self.customer_a.with_user(self.survey_user).qms_customer_360_html)
        self.assertIn(f"/odoo/survey.user_input/{detractor.id}", html)
        lead = self.env["crm.lead"].create(
            {"name": "Upsell", "partner_id": self.contact_a.id}
        )
        self.assertIn('data-nps="detractor"', str(lead.qms_customer_360_html))
        # another customer's panel shows nothing of it
        sat_b = self._satisfaction(self.customer_b)
        self.assertFalse(sat_b["nps_category"])
        self.assertFalse(sat_b["answers"])
        self.assertIn(
            "No satisfaction answers yet.", str(self.customer_b.qms_customer_360_html)
        )

    def test_only_the_last_five_answers_are_listed(self):
        answers = [
            self._answer(self.csat, self.contact_c, {"csat": score})
            for score in (1, 2, 3, 4, 5, 4, 3)
        ]
        sat = self._satisfaction(self.customer_c)
        self.assertEqual(sat["answer_count"], 7)
        self.assertEqual(len(sat["answers"]), 5)
        self.assertEqual(sat["answers"][0]["record"], answers[-1])
        self.assertAlmostEqual(sat["csat_avg"], 22 / 7, places=2)

    def test_panel_queries_do_not_grow_with_answers(self):
        self._answer(self.csat, self.contact_a, {"csat": 4})
        for score in (1, 2, 3, 4, 5, 4, 3, 2, 5, 5):
            self._answer(self.nps, self.contact_c, {"nps": score})
        self.env.flush_all()
        q1 = self._queries(self.customer_a)
        q10 = self._queries(self.customer_c)
        self.assertEqual(len(self._satisfaction(self.customer_c)["answers"]), 5)
        self.assertLessEqual(q10, q1, f"1 answer: {q1} queries, 10 answers: {q10}")
        # a batch of customers costs no more queries than one
        both = (self.customer_a | self.customer_c).with_user(self.salesman)
        both._qms_customer_360_html_map()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        panels = both._qms_customer_360_html_map()
        q2 = self.env.cr.sql_log_count - before
        self.assertEqual(set(panels), set(both.ids))
        self.assertLessEqual(q2, q1, f"1 customer: {q1} queries, 2: {q2}")
