# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A completed satisfaction answer flagged as test entry, then deleted, by a
quality user managing surveys over JSON-RPC (issue 17): refused, the answer
stays and keeps counting."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import QmsJsonRpcMixin

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestSurveyAnswerForgery(QmsJsonRpcMixin, HttpCase, QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            "qms_survey_quality",
            groups="qms_crm_evidence.group_qms_user,survey.group_survey_manager",
            name="Sofia Surveys",
            email="sofia@example.com",
        )

    def test_completed_scored_answer_is_never_a_test_entry_nor_deleted(self):
        answer = self._answer(self.csat, self.customer_a, {"csat": 1})
        self.assertEqual(answer.state, "done")
        self.assertTrue(answer.qms_has_score)
        for method, args in (
            ("write", [answer.ids, {"test_entry": True}]),
            ("unlink", [answer.ids]),
        ):
            with (
                self.subTest(method=method),
                mute_logger("odoo.http"),
                self.assertRaisesRegex(JsonRpcException, "UserError"),
            ):
                self._rpc("qms_survey_quality", "survey.user_input", method, args)
            self.env.invalidate_all()
            self.assertTrue(answer.exists())
            self.assertFalse(answer.test_entry)
        # an unfinished answer is not evidence yet: it can be cleaned up
        draft = self._answer(self.csat, self.customer_b, {"csat": 5}, done=False)
        self._rpc(
            "qms_survey_quality",
            "survey.user_input",
            "write",
            [draft.ids, {"test_entry": True}],
        )
        self._rpc("qms_survey_quality", "survey.user_input", "unlink", [draft.ids])
        self.assertFalse(draft.exists())
