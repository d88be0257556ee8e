# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Survey answer tokens over real HTTP: a customer cannot open or submit
another customer's answer."""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestSurveyToken(HttpCase, QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invite_a = cls.nps._qms_invite(cls.portal_a.partner_id)
        cls.answer_a = cls.invite_a.user_input_id
        cls.question = cls._question(cls.nps, "nps")

    def _start(self, token):
        return self.url_open(
            f"/survey/start/{self.nps.access_token}", params={"answer_token": token}
        )

    def _submit(self, token, value):
        self.url_open(
            f"/survey/begin/{self.nps.access_token}/{token}",
            json={"params": {"lang_code": "en_US"}},
        )
        return self.url_open(
            f"/survey/submit/{self.nps.access_token}/{token}",
            json={"params": {str(self.question.id): str(value)}},
        ).json()

    def test_owner_opens_and_submits_own_answer(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self._start(self.answer_a.access_token)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            f'data-answer-token="{self.answer_a.access_token}"', response.text
        )
        result = self._submit(self.answer_a.access_token, 3)
        self.assertNotIn("error", result)
        self.answer_a.invalidate_recordset()
        self.assertEqual(self.answer_a.state, "done")
        self.assertEqual(self.answer_a.qms_nps_category, "detractor")
        self.assertEqual(self.invite_a.state, "answered")
        # answered over HTTP: the service-recovery complaint is open
        self.assertEqual(
            self.answer_a.qms_recovery_ticket_id.qms_feedback_kind, "complaint"
        )

    @mute_logger("odoo.http")
    def test_other_customer_cannot_open_or_submit_the_answer(self):
        self.authenticate("qms_portal_b", "qms_portal_b")
        response = self._start(self.answer_a.access_token)
        self.assertEqual(response.status_code, 403)
        self.assertIn("Survey Access Error", response.text)
        self.assertNotIn(self.answer_a.access_token, response.text)
        result = self._submit(self.answer_a.access_token, 10)
        self.assertEqual(result["result"][1], {"error": "answer_wrong_user"})
        self.answer_a.invalidate_recordset()
        self.assertFalse(self.answer_a.user_input_line_ids)
        self.assertEqual(self.answer_a.state, "new")

    @mute_logger("odoo.http")
    def test_wrong_token_is_not_found(self):
        response = self._start("0" * 36)
        self.assertEqual(response.status_code, 404)
        self.assertIn("Survey Access Error", response.text)
        result = self._submit("0" * 36, 10)
        self.assertEqual(result["result"][1], {"error": "token_wrong"})
