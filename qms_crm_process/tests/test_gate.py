# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QmsProcessCommon


@tagged("post_install", "-at_install")
class TestStageGate(QmsProcessCommon):
    def test_leaving_with_an_open_task_names_it(self):
        lead = self._lead()
        with self.assertRaisesRegex(UserError, "Call back within 15 minutes"):
            lead.with_user(self.salesman).stage_id = self._stage("Measurements")
        self.assertEqual(lead.stage_id, self.stages[0])
        self.assertIn("Call back within 15 minutes", lead.qms_gate_missing)

    def test_done_task_opens_the_gate(self):
        lead = self._lead()
        self._tasks(lead).with_user(self.salesman).action_feedback("Called")
        self.assertFalse(lead.qms_gate_missing)
        lead.with_user(self.salesman).stage_id = self._stage("Measurements")
        self.assertEqual(lead.stage_id, self._stage("Measurements"))

    def test_measurement_sheet_must_be_attached(self):
        lead = self._lead(stage_id=self._stage("Measurements").id)
        self._tasks(lead).with_user(self.measurer).action_feedback("Measured")
        with self.assertRaisesRegex(UserError, "Measurement sheet"):
            lead.with_user(self.measurer).stage_id = self._stage("Agreement")
        lead.with_user(self.measurer).message_post(
            body="Dimensions",
            attachments=[("Measurements 3 windows.pdf", b"%PDF-1.4 sheet")],
        )
        self.assertFalse(lead.qms_gate_missing)
        lead.with_user(self.measurer).stage_id = self._stage("Agreement")
        self.assertEqual(lead.stage_id, self._stage("Agreement"))

    def test_attachment_on_the_lead_counts_too(self):
        lead = self._lead(stage_id=self._stage("Measurements").id)
        self._tasks(lead).action_feedback("Measured")
        self.env["ir.attachment"].create(
            {
                "name": "MEASUREMENT-sheet.xlsx",
                "datas": base64.b64encode(b"sheet"),
                "res_model": "crm.lead",
                "res_id": lead.id,
            }
        )
        lead.stage_id = self._stage("Agreement")

    def test_moving_back_is_allowed(self):
        lead = self._lead(stage_id=self._stage("Agreement").id)
        lead.stage_id = self._stage("Measurements")
        self.assertEqual(lead.stage_id, self._stage("Measurements"))

    def test_manager_override_with_reason_is_logged(self):
        lead = self._lead()
        target = self._stage("Measurements")
        wizard = (
            self.env["qms.process.gate.override"]
            .with_user(self.leader)
            .create(
                {
                    "lead_id": lead.id,
                    "stage_id": target.id,
                    "reason": "Customer came to the office",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(lead.stage_id, target)
        body = lead.message_ids[:1].body
        self.assertIn("Customer came to the office", body)
        self.assertIn("Call back within 15 minutes", body)
        self.assertIn(self.leader.name, body)

    def test_override_needs_a_manager_and_a_reason(self):
        lead = self._lead()
        target = self._stage("Measurements")
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman)._qms_move_with_override(target, "Because")
        with self.assertRaisesRegex(UserError, "reason"):
            lead.with_user(self.leader)._qms_move_with_override(target, "  ")
        self.assertEqual(lead.stage_id, self.stages[0])

    def test_a_client_context_key_does_not_open_the_gate(self):
        lead = self._lead()
        with self.assertRaises(UserError):
            lead.with_context(qms_process_gate_override=True).stage_id = self._stage(
                "Measurements"
            )
