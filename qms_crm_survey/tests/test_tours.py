# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A detractor's survey answer opens a recovery complaint, in a real browser."""

from odoo.tests import new_test_user, tagged

from odoo.addons.qms_crm_evidence.tests.common_tour import QmsTourCase


@tagged("post_install", "-at_install")
class TestQmsSurveyTours(QmsTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "QMS Survey Customer",
                "is_company": True,
                "email": "survey.customer@example.com",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Dora Detractor",
                "parent_id": cls.customer.id,
                "email": "dora@example.com",
            }
        )
        cls.staff = new_test_user(
            cls.env,
            "qms_tour_survey_staff",
            groups="qms_crm_evidence.group_qms_user,survey.group_survey_user,"
            "helpdesk_mgmt.group_helpdesk_user,sales_team.group_sale_salesman",
            name="Sid Staff",
            email="sid@example.com",
        )
        cls.nps = cls.env.ref("qms_crm_survey.survey_qms_nps")

    def test_detractor_answer_opens_a_recovery_complaint(self):
        invitation = self.nps._qms_invite(self.contact)
        self.assertEqual(invitation.state, "sent", invitation.skip_reason)
        answer = invitation.user_input_id
        self.start_tour(
            f"/survey/start/{self.nps.access_token}?answer_token={answer.access_token}",
            "qms_survey_detractor_answer_tour",
        )
        self.env.invalidate_all()
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.qms_nps_score, 3)
        self.assertEqual(answer.qms_nps_category, "detractor")
        ticket = answer.qms_recovery_ticket_id
        self.assertEqual(ticket.qms_feedback_kind, "complaint")
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(invitation.state, "answered")

        self.start_tour(
            "/odoo/action-qms_crm_survey.action_qms_survey_answers",
            "qms_survey_recovery_staff_tour",
            login="qms_tour_survey_staff",
        )
