# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestInvitation(QmsSurveyCommon):
    def _mails_to(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id"
        )

    # ------------------------------------------------------------------
    # Sending and the fatigue rules
    # ------------------------------------------------------------------
    def test_invite_creates_answer_token_and_mail(self):
        invitation = self.csat._qms_invite(self.contact_a, trigger="manual")
        self.assertEqual(invitation.state, "sent")
        self.assertEqual(invitation.customer_id, self.customer_a)
        answer = invitation.user_input_id
        self.assertEqual(answer.partner_id, self.contact_a)
        self.assertEqual(answer.qms_trigger, "manual")
        mail = self._mails_to(self.contact_a)
        self.assertEqual(len(mail), 1)
        self.assertIn(answer.access_token, mail.body_html)
        self.assertEqual(invitation.qms_clause_ids.mapped("code"), ["9.1.2"])

    def test_fatigue_once_per_n_days_across_triggers(self):
        first = self.csat._qms_invite(self.contact_a, trigger="ticket_closed")
        # another contact of the same customer, another survey and trigger
        second = self.nps._qms_invite(self.customer_a, trigger="order_done")
        self.assertEqual(first.state, "sent")
        self.assertEqual(second.state, "skipped")
        self.assertEqual(second.skip_reason, "fatigue")
        self.assertIn("30 days", second.skip_detail)
        self.assertFalse(second.user_input_id)
        self.assertEqual(len(self._mails_to(self.customer_a)), 0)
        # the other customer is not affected
        self.assertEqual(self.nps._qms_invite(self.customer_b).state, "sent")
        # after N days the customer may be asked again
        first.sudo().sent_date = fields.Datetime.now() - timedelta(days=31)
        self.assertEqual(self.nps._qms_invite(self.customer_a).state, "sent")

    def test_fatigue_days_is_a_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.qms_survey_fatigue_days, 30)
        settings.qms_survey_fatigue_days = 5
        settings.execute()
        first = self.csat._qms_invite(self.contact_a)
        first.sudo().sent_date = fields.Datetime.now() - timedelta(days=6)
        self.assertEqual(self.csat._qms_invite(self.contact_a).state, "sent")

    def test_no_invitation_while_a_complaint_is_open(self):
        complaint = self._complaint(self.contact_a)
        skipped = self.csat._qms_invite(self.customer_a)
        self.assertEqual(skipped.state, "skipped")
        self.assertEqual(skipped.skip_reason, "open_complaint")
        self.assertEqual(skipped.skip_detail, complaint.display_name)
        # an enquiry does not block, a closed complaint neither
        self._close(complaint)
        self.assertEqual(self.csat._qms_invite(self.customer_a).state, "sent")

    def test_opt_out_of_contact_or_company_is_respected(self):
        self.contact_a.qms_survey_opt_out = True
        skipped = self.csat._qms_invite(self.contact_a)
        self.assertEqual((skipped.state, skipped.skip_reason), ("skipped", "opt_out"))
        self.customer_b.qms_survey_opt_out = True
        contact_b = self.env["res.partner"].create(
            {"name": "Bob B", "parent_id": self.customer_b.id, "email": "b@example.com"}
        )
        self.assertEqual(self.csat._qms_invite(contact_b).skip_reason, "opt_out")
        self.assertFalse(self._mails_to(self.contact_a) | self._mails_to(contact_b))

    def test_no_email_is_recorded(self):
        nomail = self.env["res.partner"].create({"name": "No Mail Ltd"})
        self.assertEqual(self.csat._qms_invite(nomail).skip_reason, "no_email")
        with self.assertRaisesRegex(UserError, "needs a customer"):
            self.csat._qms_invite(self.env["res.partner"])

    def test_answered_invitation_and_one_reminder_after_m_days(self):
        answered = self.csat._qms_invite(self.contact_a)
        pending = self.csat._qms_invite(self.customer_b)
        self._answer_existing(answered.user_input_id, {"csat": 5})
        self.assertEqual(answered.state, "answered")
        self.env["ir.config_parameter"].sudo().set_param(
            "qms_crm_survey.reminder_days", "3"
        )
        # too early
        self.assertFalse(self.Invitation._cron_send_reminders())
        (answered | pending).sudo().sent_date = fields.Datetime.now() - timedelta(
            days=4
        )
        before = len(self._mails_to(self.customer_b))
        reminded = self.Invitation._cron_send_reminders()
        self.assertEqual(reminded, pending)
        self.assertEqual(pending.state, "reminded")
        self.assertTrue(pending.reminder_date)
        self.assertEqual(len(self._mails_to(self.customer_b)), before + 1)
        # only one reminder
        self.assertFalse(self.Invitation._cron_send_reminders())

    def _answer_existing(self, answer, scores):
        for kind, value in scores.items():
            answer._save_lines(self._question(answer.survey_id, kind), str(value))
        answer._mark_done()

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------
    def _activate(self, key):
        rule = self.env.ref(f"qms_crm_survey.qms_communication_rule_survey_{key}")
        self.assertFalse(rule.active)
        rule.active = True
        self.assertTrue(rule.automation_id.active or rule.trigger == "periodic")
        return rule

    def _logs(self, rule):
        return self.env["qms.communication"].search([("rule_id", "=", rule.id)])

    def test_trigger_ticket_closed(self):
        rule = self._activate("ticket_closed")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "How to mount the bracket?",
                "description": "<p>Question</p>",
                "partner_id": self.contact_a.id,
                "qms_feedback_kind": "enquiry",
                "stage_id": self.open_stage.id,
            }
        )
        self.assertFalse(self.Invitation.search([("ticket_id", "=", ticket.id)]))
        ticket.stage_id = self.complaint_stage_closed
        invitation = self.Invitation.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.state, "sent")
        self.assertEqual(invitation.trigger, "ticket_closed")
        self.assertEqual(invitation.survey_id, self.csat)
        self.assertEqual(invitation.partner_id, self.contact_a)
        self.assertEqual(invitation.user_input_id.qms_ticket_id, ticket)
        log = self._logs(rule)
        self.assertEqual((log.state, log.res_id), ("done", ticket.id))
        # writing on a closed ticket again does not invite again
        ticket.name = "How to mount the bracket (answered)"
        self.assertEqual(
            self.Invitation.search_count([("ticket_id", "=", ticket.id)]), 1
        )

    def test_trigger_skip_is_logged_as_cancelled_communication(self):
        rule = self._activate("ticket_closed")
        self.contact_a.qms_survey_opt_out = True
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Manual request",
                "description": "<p>Q</p>",
                "partner_id": self.contact_a.id,
                "stage_id": self.open_stage.id,
            }
        )
        ticket.stage_id = self.complaint_stage_closed
        invitation = self.Invitation.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(invitation.skip_reason, "opt_out")
        log = self._logs(rule)
        self.assertEqual(log.state, "cancelled")
        self.assertIn("opted out", log.body)

    def test_trigger_rules_are_inactive_until_switched_on_in_settings(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Quiet",
                "description": "<p>Q</p>",
                "partner_id": self.contact_a.id,
                "stage_id": self.open_stage.id,
            }
        )
        ticket.stage_id = self.complaint_stage_closed
        self.assertFalse(self.Invitation.search([("ticket_id", "=", ticket.id)]))
        form = Form(self.env["res.config.settings"])
        self.assertFalse(form.qms_survey_auto_ticket_closed)
        form.qms_survey_auto_ticket_closed = True
        form.save().execute()
        rule = self.env.ref(
            "qms_crm_survey.qms_communication_rule_survey_ticket_closed"
        )
        self.assertTrue(rule.active)
        self.assertTrue(rule.automation_id.active)
        self.assertTrue(
            self.env["res.config.settings"].create({}).qms_survey_auto_ticket_closed
        )

    def test_survey_rule_needs_a_survey(self):
        with self.assertRaisesRegex(ValidationError, "needs the survey to send"):
            self.env["qms.communication.rule"].create(
                {
                    "name": "Broken survey rule",
                    "topic_id": self.env.ref(
                        "qms_crm_survey.qms_communication_topic_satisfaction"
                    ).id,
                    "model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                    "trigger": "ticket_closed",
                    "action_kind": "survey",
                }
            )

    def _delivered_order(self):
        order = self._order(self.customer_a)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return order, picking

    def test_trigger_delivery_done(self):
        self._activate("delivery_done")
        order, picking = self._delivered_order()
        invitation = self.Invitation.search([("picking_id", "=", picking.id)])
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.trigger, "delivery_done")
        self.assertEqual(invitation.survey_id, self.ces)
        answer = invitation.user_input_id
        self.assertEqual(answer.qms_picking_id, picking)
        # reporting dimensions come from the order behind the delivery
        self.assertEqual(answer.qms_user_id, order.user_id)
        self.assertEqual(answer.qms_product_categ_id, self.product.categ_id)

    def test_trigger_order_delivered_and_invoiced(self):
        self._activate("order_done")
        order, _picking = self._delivered_order()
        # delivered but not invoiced yet
        self.assertFalse(self.Invitation.search([("sale_order_id", "=", order.id)]))
        order._create_invoices().action_post()
        self.assertEqual(order.invoice_status, "invoiced")
        invitation = self.Invitation.search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.trigger, "order_done")
        self.assertEqual(invitation.survey_id, self.nps)
        self.assertEqual(invitation.user_input_id.qms_sale_order_id, order)

    def test_relationship_survey_for_a_segment_once_a_year(self):
        rule = self._activate("relationship")
        segment = self.env["res.partner.category"].create({"name": "Key accounts"})
        (self.customer_a | self.customer_b).write(
            {"category_id": [(4, segment.id)], "customer_rank": 1}
        )
        rule.segment_tag_ids = segment
        self.customer_b.qms_survey_opt_out = True
        Rule = self.env["qms.communication.rule"]
        Rule._cron_run_periodic_rules()
        ours = [
            ("trigger", "=", "relationship"),
            ("customer_id", "in", (self.customer_a | self.customer_b).ids),
        ]
        invitations = self.Invitation.search(ours)
        self.assertEqual(invitations.customer_id, self.customer_a | self.customer_b)
        by_customer = {inv.customer_id: inv for inv in invitations}
        self.assertEqual(by_customer[self.customer_a].state, "sent")
        self.assertEqual(by_customer[self.customer_a].survey_id, self.relationship)
        self.assertEqual(by_customer[self.customer_b].skip_reason, "opt_out")
        # not again within the year
        Rule._cron_run_periodic_rules()
        self.assertEqual(self.Invitation.search_count(ours), 2)

    def test_archived_survey_is_recorded_as_skip(self):
        self.nps.active = False
        skipped = self.Invitation._qms_invite(self.nps, self.customer_a)
        self.assertEqual((skipped.state, skipped.skip_reason), ("skipped", "no_survey"))
