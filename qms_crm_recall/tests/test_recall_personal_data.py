# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recall lines in the personal data export and as an erasure hold."""

import base64
import io
import json
import zipfile

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import QmsRecallCommon


@tagged("post_install", "-at_install")
class TestRecallPersonalData(QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env,
            "qms_recall_dpo",
            groups="qms_crm_evidence.group_qms_dpo",
            email="dpo@example.com",
        )
        cls.person = cls.env["res.partner"].create(
            {"name": "Petra Person", "email": "petra@example.com"}
        )
        cls._deliver(cls.person, [(cls.valve, cls.lot_bad, 1)], cls._dt(2))
        cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 4)], cls._dt(3))
        cls.campaign = cls._campaign()
        cls.campaign.action_scope()
        cls.line = cls.campaign.line_ids.filtered(
            lambda line: line.partner_id == cls.person
        )
        cls.other_line = cls.campaign.line_ids - cls.line

    def _request(self, kind):
        req = (
            self.env["qms.data.request"]
            .with_user(self.dpo)
            .create(
                {
                    "partner_id": self.person.id,
                    "kind": kind,
                    "identity_method": "ID card seen",
                }
            )
        )
        req.action_verify_identity()
        return req

    def test_export_holds_her_recall_lines_only(self):
        self.assertEqual(len(self.line), 1)
        self.assertTrue(self.other_line)
        req = self._request("access")
        req.action_export()
        raw = base64.b64decode(req.export_attachment_id.datas)
        data = json.loads(zipfile.ZipFile(io.BytesIO(raw)).read("data.json"))
        section = data["sections"]["recall_lines"]
        self.assertEqual(section["model"], "qms.recall.line")
        self.assertEqual([row["id"] for row in section["records"]], self.line.ids)
        dumped = json.dumps(data)
        self.assertIn("PV-BAD", dumped)
        self.assertNotIn(self.customer_b.name, dumped)

    def test_open_recall_line_holds_the_erasure(self):
        req = self._request("erasure")
        self.assertIn("Open recall notices", req.legal_hold_text)
        self.assertIn(self.line.display_name, req.legal_hold_text)
        with self.assertRaisesRegex(UserError, "cannot be erased now") as caught:
            req.action_erase()
        self.assertIn("Open recall notices", str(caught.exception))
        self.assertEqual(self.person.name, "Petra Person")
        # acknowledged by the customer: no longer a hold
        self.line.write({"state": "acknowledged"})
        self.assertFalse(self.person._qms_erasure_holds())
        # an open line of a closed campaign is no hold either
        self.line.write({"state": "notified"})
        self.assertTrue(self.person._qms_erasure_holds())
        self.campaign.write({"state": "closed"})
        self.assertFalse(self.person._qms_erasure_holds())
        req.action_erase()
        self.assertEqual(req.state, "done")
        # the line stays as evidence, on the anonymised contact
        self.assertTrue(self.line.exists())
        self.assertEqual(self.line.partner_id, self.person)
        self.assertFalse(self.person.with_context(active_test=False).email)
        self.assertEqual(self.other_line.partner_id, self.customer_b)
