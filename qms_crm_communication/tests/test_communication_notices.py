# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Product information and order status to the customer (ISO 9001 8.2.1 a, b):
the seeded notices (order confirmed, lines changed, delivery date moved,
delivered), ticket closed, product datasheets, staff logging, first response
time of enquiries, who sees which communications, and a portal message over
real HTTP."""

import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .test_communication_rule import QmsCommunicationCommon


@tagged("post_install", "-at_install")
class TestOrderStatusNotices(QmsCommunicationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_confirmed = cls.env.ref(
            "qms_crm_communication.qms_communication_rule_order_confirmed"
        )
        cls.rule_lines = cls.env.ref(
            "qms_crm_communication.qms_communication_rule_order_lines_changed"
        )
        cls.rule_moved = cls.env.ref(
            "qms_crm_communication.qms_communication_rule_delivery_date_moved"
        )
        cls.rule_delivered = cls.env.ref(
            "qms_crm_communication.qms_communication_rule_delivered"
        )
        for rule in (
            cls.rule_confirmed,
            cls.rule_lines,
            cls.rule_moved,
            cls.rule_delivered,
        ):
            rule.active = True

    def test_order_confirmed_notice_once_tagged_8_2_1_b(self):
        order = self._order()
        order.action_confirm()
        comm = self._comms(self.rule_confirmed, order)
        self.assertEqual(len(comm), 1)
        self.assertEqual(comm.partner_id, self.customer_a)
        self.assertEqual(
            comm.topic_id,
            self.env.ref("qms_crm_communication.qms_communication_topic_order_status"),
        )
        self.assertIn("8.2.1 b)", comm.qms_clause_ids.mapped("code"))
        self.assertIn(order.name, comm.name)
        self.assertEqual(comm.message_id.partner_ids, self.customer_a)
        order.write({"client_order_ref": "PO-1"})
        self.assertEqual(len(self._comms(self.rule_confirmed, order)), 1)

    def test_order_confirmed_by_sale_itself_one_mail(self):
        """An order confirmed the way an online payment or a portal signature
        confirms it (Sale's ``_validate_order``) gets Sale's own confirmation
        mail: the seeded notice yields (one mail to the customer, not two) and
        the history says which mail carried it."""
        order = self._order()
        order._validate_order()
        self.assertEqual(order.state, "sale")
        to_customer = order.message_ids.filtered(
            lambda m: self.customer_a in m.partner_ids
        )
        template = order._get_confirmation_template()
        self.assertEqual(len(to_customer), 1, to_customer.mapped("subject"))
        self.assertNotEqual(
            to_customer.subject, f"Your order {order.name} is confirmed"
        )
        comm = self._comms(self.rule_confirmed, order)
        self.assertEqual(len(comm), 1)
        self.assertFalse(comm.message_id)
        self.assertIn(template.name, str(comm.body))
        # confirmed by staff (no mail of Sale's own): ours is the one mail
        other = self._order()
        other.action_confirm()
        self.assertEqual(
            len(other.message_ids.filtered(lambda m: self.customer_a in m.partner_ids)),
            1,
        )
        self.assertTrue(self._comms(self.rule_confirmed, other).message_id)

    def test_seeded_notice_can_be_switched_off(self):
        self.rule_confirmed.active = False
        self.assertFalse(self.rule_confirmed.automation_id.active)
        order = self._order()
        order.action_confirm()
        self.assertFalse(self._comms(self.rule_confirmed, order))

    def test_lines_changed_after_confirmation_lists_old_and_new(self):
        order = self._order()
        order.action_confirm()
        self.assertFalse(self._comms(self.rule_lines, order))
        line = order.order_line
        order.write(
            {
                "order_line": [
                    Command.update(line.id, {"product_uom_qty": 5, "price_unit": 12})
                ]
            }
        )
        comm = self._comms(self.rule_lines, order)
        self.assertEqual(len(comm), 1)
        body = str(comm.body)
        self.assertIn("QMS Test Widget", body)
        self.assertIn("3.0 → 5.0", body)
        self.assertIn("10.0 → 12.0", body)
        # nothing changed in the lines: no new notice
        order.write({"client_order_ref": "PO-2"})
        self.assertEqual(len(self._comms(self.rule_lines, order)), 1)
        # a draft order's lines change silently
        draft = self._order()
        draft.write(
            {
                "order_line": [
                    Command.update(draft.order_line.id, {"product_uom_qty": 7})
                ]
            }
        )
        self.assertFalse(self._comms(self.rule_lines, draft))

    def _delivery(self):
        order = self._order()
        order.action_confirm()
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        self.assertTrue(picking)
        return order, picking

    def test_delivery_date_moved_shows_old_and_new_date(self):
        order, picking = self._delivery()
        self.assertFalse(self._comms(self.rule_moved, picking))
        old = picking.scheduled_date
        new = old + timedelta(days=3)
        picking.scheduled_date = new
        comm = self._comms(self.rule_moved, picking)
        self.assertEqual(len(comm), 1, comm.mapped("occurrence_key"))
        self.assertEqual(comm.partner_id, self.customer_a)
        self.assertIn("→", str(comm.body))
        self.assertEqual(comm.user_id, self.salesman)  # customer's salesperson
        picking.scheduled_date = new  # same date again: no notice
        self.assertEqual(len(self._comms(self.rule_moved, picking)), 1)
        picking.scheduled_date = new + timedelta(days=1)
        self.assertEqual(len(self._comms(self.rule_moved, picking)), 2)

    def test_delivered_notice_once(self):
        order, picking = self._delivery()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        comm = self._comms(self.rule_delivered, picking)
        self.assertEqual(len(comm), 1)
        self.assertEqual(comm.state, "done")
        self.assertEqual(comm.message_id.partner_ids, self.customer_a)
        self.assertIn(order.name, comm.name)

    def test_ticket_closed_rule(self):
        ticket_model = self.env["ir.model"]._get("helpdesk.ticket")
        rule = self._rule(
            model_id=ticket_model.id, trigger="ticket_closed", action_kind="call"
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Broken widget",
                "description": "It broke",
                "partner_id": self.contact_a.id,
                "user_id": self.salesman2.id,
            }
        )
        self.assertFalse(self._comms(rule, ticket))
        closed = self.env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], limit=1
        )
        ticket.stage_id = closed
        comm = self._comms(rule, ticket)
        self.assertEqual(len(comm), 1)
        self.assertEqual(comm.user_id, self.salesman2)
        ticket.write({"description": "Reopened notes"})
        self.assertEqual(len(self._comms(rule, ticket)), 1)


@tagged("post_install", "-at_install")
class TestProductInformationAndLog(QmsCommunicationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.datasheet = cls.env["product.document"].create(
            {
                "name": "widget-datasheet.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 widget datasheet"),
                "res_model": "product.template",
                "res_id": cls.product.product_tmpl_id.id,
            }
        )
        cls.archived = cls.env["product.document"].create(
            {
                "name": "old-datasheet.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 old"),
                "res_model": "product.template",
                "res_id": cls.product.product_tmpl_id.id,
                "active": False,
            }
        )

    def test_send_product_information_in_one_action_and_log_it(self):
        lead = self._lead()
        action = lead.with_user(self.salesman).action_qms_send_product_info()
        wizard = (
            self.env["qms.product.info"]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create({"product_ids": [Command.set(self.product.ids)]})
        )
        self.assertEqual(wizard.attachment_ids, self.datasheet.ir_attachment_id)
        compose = wizard.action_compose()
        self.assertEqual(compose["res_model"], "mail.compose.message")
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(**compose["context"])
            .create({})
        )
        self.assertEqual(composer.partner_ids, self.contact_a)
        self.assertEqual(len(composer.attachment_ids), 1)
        composer.action_send_mail()
        comm = self.Comm.search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(len(comm), 1)
        self.assertEqual(
            comm.topic_id,
            self.env.ref("qms_crm_communication.qms_communication_topic_product_info"),
        )
        self.assertIn("8.2.1 a)", comm.qms_clause_ids.mapped("code"))
        self.assertEqual(comm.channel, "email")
        self.assertEqual(comm.user_id, self.salesman)
        self.assertEqual(
            comm.message_id.attachment_ids.mapped("name"), ["widget-datasheet.pdf"]
        )
        # first response of the enquiry is stamped by the sent information
        self.assertTrue(lead.qms_first_response_date)

    def test_product_information_without_datasheets_is_refused(self):
        other = self.env["product.product"].create({"name": "No docs"})
        wizard = self.env["qms.product.info"].create(
            {
                "res_model": "res.partner",
                "res_id": self.customer_a.id,
                "partner_id": self.customer_a.id,
                "product_ids": [Command.set(other.ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "no datasheets"):
            wizard.action_compose()
        wizard.product_ids = False
        with self.assertRaisesRegex(UserError, "Choose the products"):
            wizard.action_compose()

    def test_product_information_on_quotation_attaches_datasheets(self):
        template = self.env["mail.template"].create(
            {
                "name": "QMS test quotation info",
                "model_id": self.order_model.id,
                "subject": "Info {{ object.name }}",
                "body_html": "<p>Datasheets attached</p>",
            }
        )
        rule = self._rule(
            model_id=self.order_model.id,
            trigger="state",
            filter_domain="[('state', '=', 'sent')]",
            action_kind="mail",
            mail_template_id=template.id,
            attach_product_documents=True,
            recipient_kind="contact",
        )
        order = self._order(partner=self.contact_a)
        order.action_quotation_sent()
        comm = self._comms(rule, order)
        self.assertEqual(len(comm), 1)
        self.assertEqual(
            comm.message_id.attachment_ids.mapped("name"), ["widget-datasheet.pdf"]
        )
        self.assertEqual(comm.message_id.partner_ids, self.contact_a)

    def test_staff_log_done_and_planned_from_order(self):
        order = self._order()
        action = order.with_user(self.salesman).action_qms_log_communication()
        Wizard = self.env["qms.communication.log"].with_user(self.salesman)
        done = Wizard.with_context(**action["context"]).create(
            {
                "topic_id": self.topic.id,
                "channel": "phone",
                "name": "Customer asked for the delivery date",
                "direction": "inbound",
            }
        )
        res = done.action_log()
        comm = self.Comm.browse(res["res_id"])
        self.assertEqual(comm.state, "done")
        self.assertEqual(comm.partner_id, self.customer_a)
        self.assertEqual(comm.source_ref, order)
        self.assertFalse(comm.rule_id)
        planned = Wizard.with_context(**action["context"]).create(
            {
                "topic_id": self.topic.id,
                "channel": "meeting",
                "name": "Visit",
                "state": "planned",
            }
        )
        with self.assertRaisesRegex(UserError, "planned date"):
            planned.action_log()
        planned.planned_date = fields.Date.context_today(planned) + timedelta(days=3)
        comm2 = self.Comm.browse(planned.action_log()["res_id"])
        self.assertEqual(comm2.state, "planned")
        self.assertEqual(
            comm2.activity_id.activity_type_id,
            self.env.ref("mail.mail_activity_data_meeting"),
        )
        self.assertEqual(order.qms_communication_count, 2)
        self.assertEqual(self.customer_a.qms_communication_count, 2)
        self.assertEqual(self.contact_a.qms_communication_count, 2)

    def test_lead_first_response_time_from_outgoing_message(self):
        lead = self._lead()
        lead.with_user(self.salesman).message_post(
            body="Internal thought",
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        self.assertFalse(lead.qms_first_response_date)
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(hours=3), lead.id),
        )
        lead.invalidate_recordset(["create_date"])
        lead.with_user(self.salesman).message_post(
            body="Thanks for your enquiry",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            partner_ids=self.contact_a.ids,
        )
        self.assertTrue(lead.qms_first_response_date)
        self.assertAlmostEqual(lead.qms_first_response_hours, 3.0, delta=0.1)
        self.assertEqual(lead.qms_first_response_band, "4h")
        first = lead.qms_first_response_date
        lead.with_user(self.salesman).message_post(
            body="Second answer",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self.assertEqual(lead.qms_first_response_date, first)
        groups = self.env["crm.lead"]._read_group(
            [("id", "=", lead.id)],
            ["qms_first_response_band"],
            ["qms_first_response_hours:avg"],
        )
        self.assertEqual(groups[0][0], "4h")

    def test_salesman_sees_own_customers_communications_only(self):
        staff = self.env["qms.communication"]
        for partner in (self.customer_a, self.customer_b):
            staff |= self.Comm.create(
                {
                    "name": f"Call {partner.name}",
                    "partner_id": partner.id,
                    "topic_id": self.topic.id,
                    "channel": "phone",
                    "user_id": self.qms_manager.id,
                    "res_model": "res.partner",
                    "res_id": partner.id,
                }
            )
        seen = self.Comm.with_user(self.salesman).search([("id", "in", staff.ids)])
        self.assertEqual(seen.partner_id, self.customer_a)
        seen_all = self.Comm.with_user(self.qms_user).search([("id", "in", staff.ids)])
        self.assertEqual(len(seen_all), 2)
        self.assertEqual(
            self.customer_b.with_user(self.salesman).qms_communication_count, 0
        )


@tagged("post_install", "-at_install")
class TestPortalMessageRule(HttpCase, QmsCommunicationCommon):
    def test_portal_message_visible_to_customer_on_portal_document(self):
        rule = self._rule(
            model_id=self.order_model.id,
            trigger="date_moved",
            filter_domain="[('state', '=', 'sale')]",
            action_kind="portal_message",
            portal_body="<p>Your delivery date has changed.</p>",
            recipient_kind="customer",
        )
        order = self._order()
        order.commitment_date = fields.Datetime.now() + timedelta(days=5)
        order.action_confirm()
        self.assertFalse(self._comms(rule, order))  # first date set: not a move
        order.commitment_date = fields.Datetime.now() + timedelta(days=9)
        comm = self._comms(rule, order)
        self.assertEqual(len(comm), 1)
        self.assertEqual(comm.channel, "portal")
        self.assertIn("→", str(comm.body))
        self.assertIn(self.customer_a, order.message_partner_ids)

        self.authenticate("qms_portal_a", "qms_portal_a")
        res = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "sale.order", "thread_id": order.id},
        )
        self.assertIn(comm.message_id.id, res["messages"])
        # the internal history note stays internal
        notes = order.message_ids.filtered(
            lambda m: "Communication:" in str(m.body) and m.subtype_id.internal
        )
        for note in notes:
            self.assertNotIn(note.id, res["messages"])
        # another customer's portal user does not get the order's messages
        self.authenticate("qms_portal_b", "qms_portal_b")
        try:
            res_b = self.make_jsonrpc_request(
                "/mail/thread/messages",
                {"thread_model": "sale.order", "thread_id": order.id},
            )
        except Exception:  # noqa: BLE001 - refused outright is fine too
            res_b = {"messages": []}
        self.assertNotIn(comm.message_id.id, res_b["messages"])
