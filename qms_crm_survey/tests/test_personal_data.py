# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import json
import zipfile

from odoo.tests import new_test_user, tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestSurveyPersonalData(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env,
            "qms_survey_dpo",
            groups="qms_crm_evidence.group_qms_dpo",
            email="dpo@example.com",
        )
        cls.person = cls.env["res.partner"].create(
            {"name": "Petra Person", "email": "petra@example.com"}
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "Oscar Other", "email": "oscar@example.com"}
        )
        cls.invitation = cls.Invitation._qms_invite(cls.csat, cls.person)
        cls.answer = cls._answer(
            cls.csat,
            cls.person,
            {"csat": 5},
            done=False,
            email="petra@example.com",
            nickname="Petra P.",
        )
        cls.why = cls.csat.question_ids.filtered(
            lambda q: q.question_type == "text_box"
        )
        cls.answer._save_lines(cls.why, "Call me on +32 470 00 00 01, Petra")
        cls.answer._mark_done()
        # an anonymous answer given with her email address is hers too
        cls.anonymous = cls.nps.sudo()._create_answer(
            email="petra@example.com", check_attempts=False
        )
        cls.other_answer = cls._answer(cls.nps, cls.other, {"nps": 9}, done=False)
        cls.other_answer._save_lines(
            cls.nps.question_ids.filtered(lambda q: q.question_type == "text_box"),
            "OSCAR loves it",
        )
        cls.other_answer._mark_done()

    def _request(self, partner, kind):
        req = (
            self.env["qms.data.request"]
            .with_user(self.dpo)
            .create(
                {
                    "partner_id": partner.id,
                    "kind": kind,
                    "identity_method": "ID card seen",
                }
            )
        )
        req.action_verify_identity()
        return req

    def test_export_holds_her_answers_and_invitations_only(self):
        req = self._request(self.person, "access")
        req.action_export()
        raw = base64.b64decode(req.export_attachment_id.datas)
        data = json.loads(zipfile.ZipFile(io.BytesIO(raw)).read("data.json"))
        sections = data["sections"]
        answers = {row["id"] for row in sections["survey_answers"]["records"]}
        # hers: the answer she gave, the one waiting for her invitation,
        # and the anonymous one given with her email address
        self.assertTrue(self.invitation.user_input_id)
        self.assertEqual(
            answers,
            {self.answer.id, self.anonymous.id, self.invitation.user_input_id.id},
        )
        self.assertEqual(
            {row["id"] for row in sections["survey_answer_lines"]["records"]},
            set(self.answer.user_input_line_ids.ids),
        )
        self.assertEqual(
            [row["id"] for row in sections["survey_invitations"]["records"]],
            self.invitation.ids,
        )
        dumped = json.dumps(data)
        self.assertIn("Call me on +32 470 00 00 01", dumped)
        self.assertIn("Petra P.", dumped)
        for text in ("OSCAR", "Oscar", "oscar@example.com"):
            self.assertNotIn(text, dumped)

    def test_erasure_anonymises_her_answers_and_keeps_the_scores(self):
        req = self._request(self.person, "erasure")
        self.assertFalse(req.legal_hold_text)
        req.action_erase()
        self.assertEqual(req.state, "done")
        self.assertIn("survey answer(s)", req.erasure_log)
        self.assertIn("1 free-text answer(s) replaced by [anonymised]", req.erasure_log)
        answers = self.answer | self.anonymous
        self.assertFalse(any(answers.mapped("email")))
        self.assertFalse(self.answer.nickname)
        text_line = self.answer.user_input_line_ids.filtered(
            lambda line: line.answer_type == "text_box"
        )
        self.assertEqual(text_line.value_text_box, "[anonymised]")
        # the evidence stays: the answer, its score and its customer link
        self.assertEqual(self.answer.qms_csat_score, 5)
        self.assertEqual(self.answer.partner_id, self.person)
        self.assertEqual(self.invitation.partner_id, self.person)
        # the other person's answer is untouched
        self.assertIn(
            "OSCAR loves it",
            self.other_answer.user_input_line_ids.mapped("value_text_box"),
        )
        self.assertEqual(self.other.email, "oscar@example.com")
