# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's confirmation given by phone, email, letter or in a meeting,
recorded on their behalf: only with the right 'Record Customer Acts on
Behalf', in the recorder's name with the channel, never as a portal answer."""

import base64

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.qms_crm_evidence.tests.common import QmsJsonRpcMixin

from .common import QmsRequirementCommon


@tagged("post_install", "-at_install")
class TestConfirmOnBehalf(QmsJsonRpcMixin, HttpCase, QmsRequirementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order()
        cls.req = cls._requirement(
            order_id=cls.order.id, documented=False, source="call"
        )

    def _wizard(self, user, **vals):
        return (
            self.env["qms.requirement.confirm.behalf"]
            .with_user(user)
            .create(
                dict(
                    {
                        "requirement_id": self.req.id,
                        "decision": "confirmed",
                        "channel": "phone",
                        "comment": "Confirmed by phone by Jane Doe, purchasing",
                    },
                    **vals,
                )
            )
        )

    def test_manager_records_a_phone_confirmation_in_their_own_name(self):
        self.assertEqual(self.req.confirmation_state, "to_send")
        req = self.req.with_user(self.qms_manager)
        action = req.action_record_confirmation_behalf()
        self.assertEqual(action["res_model"], "qms.requirement.confirm.behalf")
        wizard = self._wizard(self.qms_manager)
        self.assertIn(self.req.description, wizard.text)
        wizard.action_record()
        self.assertEqual(self.req.confirmation_state, "confirmed")
        confirmation = self.req.confirmation_ids
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(confirmation.answered_via, "phone")
        self.assertEqual(confirmation.recorded_by_id, self.qms_manager)
        # not a portal answer: no portal user, no address
        self.assertFalse(confirmation.portal_user_id)
        self.assertFalse(confirmation.ip_address)
        self.assertEqual(confirmation.text_confirmed, self.req._confirmation_text())
        # the chatter names the recorder as author, not the customer
        message = self.req.message_ids[0]
        self.assertEqual(message.author_id, self.qms_manager.partner_id)
        self.assertIn("on the customer's behalf", message.body)
        # a second answer is refused: nothing awaits confirmation any more
        with self.assertRaises(ValidationError):
            self._wizard(self.qms_manager).action_record()
        self.assertEqual(len(self.req.confirmation_ids), 1)
        # the record of the answer is never edited, not even by its recorder
        with self.assertRaises(UserError):
            confirmation.with_user(self.qms_manager).write({"answered_via": "portal"})

    def test_email_needs_the_message_as_proof_kept_on_the_confirmation(self):
        with self.assertRaises(UserError):
            self._wizard(self.qms_manager, channel="email").action_record()
        with self.assertRaises(UserError):
            self._wizard(self.qms_manager, comment=" ok ").action_record()
        self.assertFalse(self.req.confirmation_ids)
        self.assertEqual(self.req.confirmation_state, "to_send")
        self._wizard(
            self.qms_manager,
            channel="email",
            decision="commented",
            comment="Jane Doe wrote: 4 days, not 5",
            proof=base64.b64encode(b"From: jane@example.com\n\n4 days, not 5"),
            proof_name="answer.eml",
        ).action_record()
        confirmation = self.req.confirmation_ids
        self.assertEqual(confirmation.decision, "commented")
        self.assertEqual(self.req.confirmation_state, "commented")
        proof = self.env["ir.attachment"].search(
            [
                ("res_model", "=", confirmation._name),
                ("res_id", "=", confirmation.id),
            ]
        )
        self.assertEqual(proof.name, "answer.eml")
        self.assertEqual(proof.raw, b"From: jane@example.com\n\n4 days, not 5")

    def test_salesperson_without_the_right_cannot_record_for_the_customer(self):
        with self.assertRaises(AccessError):
            self._wizard(self.salesman)
        # nor over JSON-RPC, by creating the wizard or calling its action
        self._refused(
            "qms_salesman",
            "qms.requirement.confirm.behalf",
            "create",
            [
                {
                    "requirement_id": self.req.id,
                    "decision": "confirmed",
                    "channel": "phone",
                    "comment": "I say they confirmed",
                }
            ],
        )
        self.assertFalse(self.req.confirmation_ids)
        self.assertEqual(self.req.confirmation_state, "to_send")
        # with the right, the salesperson records it, in their own name
        self.salesman.group_ids = [
            (4, self.env.ref("qms_crm_evidence.group_qms_record_on_behalf").id)
        ]
        result = self._rpc(
            "qms_salesman",
            "qms.requirement.confirm.behalf",
            "create",
            [
                {
                    "requirement_id": self.req.id,
                    "decision": "confirmed",
                    "channel": "meeting",
                    "comment": "Confirmed in our meeting by Jane Doe",
                }
            ],
        )
        wizard_id = result[0] if isinstance(result, list) else result
        self._rpc(
            "qms_salesman",
            "qms.requirement.confirm.behalf",
            "action_record",
            [[wizard_id]],
        )
        self.env.invalidate_all()
        self.assertEqual(self.req.confirmation_state, "confirmed")
        self.assertEqual(self.req.confirmation_ids.recorded_by_id, self.salesman)
        self.assertEqual(self.req.confirmation_ids.answered_via, "meeting")

    def test_not_on_a_requirement_that_awaits_no_confirmation(self):
        # given in documented form (a signed contract): nothing to confirm
        documented = self._requirement(partner=self.customer_b)
        self.assertEqual(documented.confirmation_state, "not_needed")
        wizard = self._wizard(self.qms_manager, requirement_id=documented.id)
        with self.assertRaises(ValidationError):
            wizard.action_record()
        self.assertFalse(documented.confirmation_ids)
        self.assertEqual(documented.confirmation_state, "not_needed")
