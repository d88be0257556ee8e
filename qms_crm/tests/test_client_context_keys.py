# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Context keys our code reads, sent by a client over JSON-RPC
(``/web/dataset/call_kw``) as a non-admin user: none skips a guard, forges
evidence or changes a decision."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.qms_crm_requirement.tests.common import (
    QmsRequirementCommon as QmsCrmCommon,
)


@tagged("post_install", "-at_install")
class TestClientContextKeys(HttpCase, QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "qms_ctx_agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Cora Agent",
            email="cora@example.com",
        )

    def _rpc(self, login, model, method, args, context, **kwargs):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": dict(kwargs, context=context),
            },
        )

    def test_no_receipt_key_does_not_skip_the_complaint_receipt(self):
        ticket_id = self._rpc(
            "qms_ctx_agent",
            "helpdesk.ticket",
            "create",
            [
                {
                    "name": "Pump arrived broken",
                    "description": "<p>Cracked housing.</p>",
                    "partner_id": self.customer_a.id,
                    "qms_feedback_kind": "complaint",
                }
            ],
            {"qms_no_receipt": True},
        )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertTrue(ticket.qms_is_complaint)
        self.assertTrue(ticket.qms_receipt_pending, "the receipt is still queued")

    def test_ack_stamped_key_does_not_skip_the_acknowledgement(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        order.action_confirm()
        version = self._change(req, user=self.qms_manager)
        ack = version.ack_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertEqual(ack.state, "pending")
        self._rpc(
            "qms_salesman",
            "mail.activity",
            "action_feedback",
            [ack.activity_id.ids],
            {"qms_ack_stamped": True},
            feedback="Read it",
        )
        self.env.invalidate_all()
        self.assertEqual(ack.state, "done", "marking the activity done acknowledges")
        self.assertTrue(ack.ack_date)

    def test_rule_syncing_key_does_not_skip_the_automation_sync(self):
        topic = self.env["qms.communication.topic"].create({"name": "Ctx topic"})
        rule = self.env["qms.communication.rule"].create(
            {
                "name": "Ctx rule",
                "topic_id": topic.id,
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "trigger": "create",
                "action_kind": "todo",
                "recipient_kind": "customer",
                "responsible_kind": "record_user",
            }
        )
        automation = rule.automation_id
        self.assertTrue(automation.active)
        self._rpc(
            "qms_manager",
            "qms.communication.rule",
            "write",
            [rule.ids, {"active": False}],
            {"qms_rule_syncing": True},
        )
        self.env.invalidate_all()
        self.assertFalse(rule.active)
        self.assertFalse(automation.active, "the automation follows its rule")

    def test_gate_issues_key_cannot_answer_the_gate(self):
        order = self._order()
        self._requirement(order_id=order.id)
        forged = {str(order.id): []}
        with (
            mute_logger("odoo.http"),
            self.assertRaisesRegex(JsonRpcException, "UserError"),
        ):
            self._rpc(
                "qms_salesman",
                "sale.order",
                "action_confirm",
                [order.ids],
                {"qms_gate_issues": forged},
            )
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        # any JSON shape of the key is ignored, e.g. a list whose item at the
        # order's id is empty
        shaped = [order.id] + [[]] * order.id
        for value in (forged, {order.id: []}, shaped):
            message = (
                order.with_user(self.salesman)
                .with_context(qms_gate_issues=value)
                ._confirmation_error_message()
            )
            self.assertIn("cannot be confirmed", message or "")
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            order.with_user(self.salesman).with_context(
                qms_gate_issues=shaped
            ).action_confirm()

    def _compose_on_lead(self, comm_log):
        lead = self.env["crm.lead"].create(
            {
                "name": "Widget enquiry",
                "partner_id": self.contact_a.id,
                "user_id": self.salesman.id,
                "type": "opportunity",
            }
        )
        context = {
            "default_model": "crm.lead",
            "default_res_ids": lead.ids,
            "default_composition_mode": "comment",
            "default_partner_ids": [Command.set(self.contact_a.ids)],
            "default_subject": "Our widgets",
            "default_body": "<p>Here you are.</p>",
            "qms_comm_log": comm_log,
        }
        composer_id = self._rpc(
            "qms_salesman", "mail.compose.message", "create", [{}], context
        )
        self._rpc(
            "qms_salesman",
            "mail.compose.message",
            "action_send_mail",
            [[composer_id]],
            context,
        )
        # logged from the composer: the communication is the sent message
        return self.env["qms.communication"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("message_id", "!=", False),
            ]
        )

    def test_comm_log_key_cannot_choose_what_is_logged(self):
        other_topic = self.env["qms.communication.topic"].create({"name": "Forged"})
        forged = {
            "topic_id": other_topic.id,
            "clause_codes": ["9.1.2"],
            "summary": "Customer agreed to everything",
        }
        self.assertFalse(self._compose_on_lead(forged), "no values from the client")
        comm = self._compose_on_lead("product_info")
        self.assertEqual(
            comm.topic_id,
            self.env.ref("qms_crm_communication.qms_communication_topic_product_info"),
        )
        self.assertIn("8.2.1 a)", comm.qms_clause_ids.mapped("code"))
        self.assertNotIn("9.1.2", comm.qms_clause_ids.mapped("code"))
        self.assertEqual(comm.name, "Our widgets", "the subject really sent")
        self.assertEqual(comm.user_id, self.salesman)
