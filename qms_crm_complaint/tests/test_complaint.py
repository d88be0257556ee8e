# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_complaint import MONDAY_9, QmsComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintTimers(QmsComplaintCommon):
    def test_deadlines_are_planned_in_working_hours_of_the_team_calendar(self):
        ticket = self._complaint()
        self.assertTrue(ticket.qms_is_complaint)
        self.assertEqual(ticket.qms_target_id.ack_hours, 8)
        # Monday 9-12 and 13-17 = 7 h, the 8th hour ends Tuesday 09:00
        self.assertEqual(ticket.qms_ack_deadline, datetime(2026, 11, 3, 9, 0))
        # 40 h = 5 working days: next Monday 09:00
        self.assertEqual(ticket.qms_resolve_deadline, datetime(2026, 11, 9, 9, 0))
        high = self._complaint(qms_severity="high")
        self.assertEqual(high.qms_ack_deadline, datetime(2026, 11, 2, 14, 0))

    def test_batch_planner_agrees_with_plan_hours(self):
        Ticket = self.env["helpdesk.ticket"]
        starts = [
            MONDAY_9 + timedelta(hours=offset)
            for offset in (0, 3.5, 8, 14, 100, 105.25, 130)  # incl. night, weekend
        ]
        requests = [
            (start, hours) for start in starts for hours in (0.5, 1, 7, 40, 300)
        ]
        company_calendar = self.env.company.resource_calendar_id.copy(
            {"tz": "Europe/Moscow"}
        )
        for calendar in (self.calendar, company_calendar):
            planned = Ticket._qms_plan_batch(calendar, requests)
            for (start, hours), result in zip(requests, planned, strict=True):
                with self.subTest(calendar=calendar.tz, start=start, hours=hours):
                    expected = calendar.plan_hours(hours, start).replace(tzinfo=None)
                    self.assertEqual(result, expected)

    def test_team_without_target_uses_the_default_target(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "No targets"})
        ticket = self._complaint(team_id=team.id, user_id=False)
        self.assertEqual(
            ticket.qms_target_id,
            self.env.ref("qms_crm_complaint.complaint_target_medium"),
        )
        self.assertTrue(ticket.qms_resolve_deadline)

    def test_enquiry_has_no_targets(self):
        ticket = self._complaint(qms_feedback_kind="enquiry")
        self.assertFalse(ticket.qms_is_complaint)
        self.assertFalse(ticket.qms_ack_deadline)
        self.assertFalse(ticket.qms_target_id)

    def test_waiting_on_customer_pauses_the_clock(self):
        ticket = self._complaint()
        with freeze_time("2026-11-02 10:00:00"):
            ticket.stage_id = self.stage_awaiting
        self.assertEqual(ticket.qms_paused_since, datetime(2026, 11, 2, 10, 0))
        # while paused, the cron does not flag it even past its deadline
        with freeze_time("2026-11-03 09:30:00"):
            self.env["helpdesk.ticket"]._cron_qms_complaint_breaches()
        self.assertFalse(ticket.qms_ack_breached)
        with freeze_time("2026-11-03 10:00:00"):
            ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.qms_paused_since)
        # Mon 10-12, 13-17, Tue 8-10: 8 working hours paused
        self.assertAlmostEqual(ticket.qms_paused_hours, 8.0, places=2)
        # deadlines move back by 8 working hours
        self.assertEqual(ticket.qms_ack_deadline, datetime(2026, 11, 4, 9, 0))
        self.assertEqual(ticket.qms_resolve_deadline, datetime(2026, 11, 10, 9, 0))
        # acknowledged Wednesday 08:30: 15.5 working hours minus 8 paused
        with freeze_time("2026-11-04 08:30:00"):
            ticket.with_user(self.agent).action_qms_acknowledge()
        self.assertAlmostEqual(ticket.qms_ack_hours, 7.5, places=2)
        self.assertFalse(ticket.qms_ack_breached)
        self.assertEqual(ticket.qms_acknowledged_uid, self.agent)

    def test_late_acknowledgement_is_a_breach(self):
        ticket = self._complaint()
        with freeze_time("2026-11-03 11:00:00"):
            ticket.action_qms_acknowledge()
        self.assertTrue(ticket.qms_ack_breached)
        self.assertEqual(ticket.qms_escalation_level, 1)
        self.assertAlmostEqual(ticket.qms_ack_hours, 10.0, places=2)


@tagged("post_install", "-at_install")
class TestComplaintEscalation(QmsComplaintCommon):
    def _escalations(self, ticket):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "qms_crm_complaint.mail_activity_type_complaint_escalation"
                    ).id,
                ),
            ]
        )

    def test_first_breach_to_leader_second_to_manager_each_once(self):
        ticket = self._complaint(qms_severity="high")
        cron = self.env["helpdesk.ticket"]._cron_qms_complaint_breaches
        with freeze_time("2026-11-02 13:30:00"):
            cron()
        self.assertFalse(self._escalations(ticket), "not late yet")
        with freeze_time("2026-11-02 15:00:00"):
            cron()
        self.assertTrue(ticket.qms_ack_breached)
        self.assertFalse(ticket.qms_resolve_breached)
        activities = self._escalations(ticket)
        self.assertEqual(activities.user_id, self.leader)
        with freeze_time("2026-11-02 16:00:00"):
            cron()
            cron()
        self.assertEqual(len(self._escalations(ticket)), 1, "escalated once")
        # resolution due Wednesday 09:00
        with freeze_time("2026-11-04 10:00:00"):
            cron()
        self.assertTrue(ticket.qms_resolve_breached)
        self.assertEqual(ticket.qms_escalation_level, 2)
        activities = self._escalations(ticket)
        self.assertEqual(len(activities), 2)
        self.assertEqual(
            activities.filtered(lambda a: a.user_id == self.manager).summary,
            f"Complaint {ticket.number} missed a second target",
        )
        with freeze_time("2026-11-05 10:00:00"):
            cron()
        self.assertEqual(len(self._escalations(ticket)), 2, "manager once")

    def test_acknowledged_in_time_no_escalation_until_resolution_late(self):
        ticket = self._complaint(qms_severity="high")
        with freeze_time("2026-11-02 10:00:00"):
            ticket.action_qms_acknowledge()
        with freeze_time("2026-11-02 16:00:00"):
            self.env["helpdesk.ticket"]._cron_qms_complaint_breaches()
        self.assertFalse(ticket.qms_ack_breached)
        self.assertFalse(self._escalations(ticket))
        with freeze_time("2026-11-04 10:00:00"):
            self.env["helpdesk.ticket"]._cron_qms_complaint_breaches()
        self.assertEqual(self._escalations(ticket).user_id, self.leader)
        self.assertEqual(ticket.qms_escalation_level, 1)

    def test_closed_complaint_is_not_escalated(self):
        ticket = self._complaint(qms_severity="high")
        ticket.write(
            {
                "qms_root_cause_id": self.root_cause.id,
                "qms_resolution": "Express re-delivery",
            }
        )
        with freeze_time("2026-11-02 10:00:00"):
            ticket.stage_id = self.stage_done
        with freeze_time("2026-11-09 10:00:00"):
            self.env["helpdesk.ticket"]._cron_qms_complaint_breaches()
        self.assertFalse(self._escalations(ticket))


@tagged("post_install", "-at_install")
class TestComplaintPlaybook(QmsComplaintCommon):
    def test_receipt_mailed_with_reference_on_creation(self):
        ticket = self._complaint()
        self.assertTrue(ticket.qms_receipt_pending)
        self.assertGreaterEqual(
            self.env["helpdesk.ticket"]._cron_qms_send_receipts(), 1
        )
        self.assertFalse(ticket.qms_receipt_pending)
        self.assertEqual(self.env["helpdesk.ticket"]._cron_qms_send_receipts(), 0)
        receipt = ticket.message_ids.filtered(
            lambda m: m.subject and ticket.number in m.subject
        )
        self.assertEqual(len(receipt), 1)
        self.assertIn(self.contact_a, receipt.partner_ids)
        self.assertFalse(
            ticket.qms_acknowledged_date, "a receipt is no acknowledgement"
        )

    def test_email_to_a_complaints_alias_creates_a_complaint(self):
        message = (
            "To: complaints@example.com\r\n"
            "From: Alice Alpha <alice@example.com>\r\n"
            "Subject: Broken widget\r\n"
            "Message-ID: <qms-cpl-gateway-1@example.com>\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "The widget broke after one day.\r\n"
        )
        # what a team alias with these defaults passes to the gateway
        ticket_id = self.env["mail.thread"].message_process(
            "helpdesk.ticket",
            message,
            custom_values={"team_id": self.team.id, "qms_feedback_kind": "complaint"},
        )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.contact_a)
        self.assertEqual(ticket.qms_channel, "email")
        self.assertTrue(ticket.qms_is_complaint)
        self.assertTrue(ticket.qms_resolve_deadline)
        self.env["helpdesk.ticket"]._cron_qms_send_receipts()
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: m.subject == f"We received your complaint {ticket.number}"
            )
        )

    def test_steps_are_stamped_once_with_user_and_time(self):
        ticket = self._complaint()
        with freeze_time("2026-11-02 10:00:00"):
            ticket.with_user(self.agent).action_qms_apologise()
        self.assertEqual(ticket.qms_apologised_uid, self.agent)
        self.assertEqual(ticket.qms_apologised_date, datetime(2026, 11, 2, 10, 0))
        with self.assertRaisesRegex(UserError, "already stamped"):
            ticket.action_qms_apologise()
        for vals in (
            {"qms_apologised_date": False},
            {"qms_ack_breached": False},
            {"qms_confirmation_state": "confirmed"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, "cannot be edited"),
            ):
                ticket.with_user(self.agent).write(vals)
        with self.assertRaisesRegex(UserError, "Record the compensation"):
            ticket.action_qms_compensate()

    def test_credit_note_is_made_and_linked_from_a_compensation(self):
        ticket = self._complaint()
        line = self.env["qms.compensation.line"].create(
            {
                "ticket_id": ticket.id,
                "kind": "credit_note",
                "description": "Credit for the late delivery",
                "amount": 30.0,
            }
        )
        action = line.action_create_credit_note()
        move = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(line.move_id, move)
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.partner_id, self.customer_a)
        self.assertEqual(move.state, "draft")
        self.assertAlmostEqual(move.amount_total, 30.0)
        with self.assertRaisesRegex(UserError, "already has a credit note"):
            line.action_create_credit_note()
        voucher = line.copy({"kind": "voucher", "move_id": False})
        with self.assertRaisesRegex(UserError, "Only refunds and credit notes"):
            voucher.action_create_credit_note()

    def test_quality_users_handle_feedback_of_every_customer(self):
        complaint = self._complaint(user_id=False)
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Printer jam", "description": "<p>x</p>", "team_id": self.team.id}
        )
        Ticket = self.env["helpdesk.ticket"].with_user(self.qms_user)
        self.assertEqual(
            Ticket.search([("id", "in", (complaint | plain).ids)]), complaint
        )
        complaint.with_user(self.qms_user).action_qms_acknowledge()
        self.assertEqual(complaint.qms_acknowledged_uid, self.qms_user)

    def test_enquiry_has_no_playbook(self):
        ticket = self._complaint(qms_feedback_kind="enquiry")
        with self.assertRaisesRegex(UserError, "not a complaint"):
            ticket.action_qms_acknowledge()

    def test_compensation_lines_are_evidence(self):
        ticket = self._complaint()
        order = self._order(partner=self.customer_a)
        line = self.env["qms.compensation.line"].create(
            {
                "ticket_id": ticket.id,
                "kind": "discount",
                "description": "10 % on the next order",
                "amount": 25.0,
                "sale_order_id": order.id,
            }
        )
        self.assertEqual(line.partner_id, self.customer_a)
        self.assertEqual(line.amount_company, 25.0)
        self.assertEqual(ticket.qms_compensation_total, 25.0)
        self.assertTrue(line.qms_clause_ids)
        ticket.action_qms_compensate()
        self.assertTrue(ticket.qms_compensated_date)
        with self.assertRaisesRegex(UserError, "never deleted"):
            line.unlink()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            line.amount = -1
        other_order = self._order(partner=self.customer_b)
        with self.assertRaisesRegex(ValidationError, "another customer"):
            line.sale_order_id = other_order


@tagged("post_install", "-at_install")
class TestComplaintClosure(QmsComplaintCommon):
    def _close(self, ticket):
        ticket.write(
            {
                "qms_root_cause_id": self.root_cause.id,
                "qms_resolution": "Re-delivered by express; carrier changed.",
            }
        )
        ticket.stage_id = self.stage_done

    def test_closing_without_root_cause_or_resolution_is_refused(self):
        ticket = self._complaint()
        with self.assertRaisesRegex(UserError, "root cause"):
            ticket.stage_id = self.stage_done
        ticket.qms_root_cause_id = self.root_cause
        with self.assertRaisesRegex(UserError, "root cause"):
            ticket.stage_id = self.stage_done
        self.assertFalse(ticket.closed)
        # an enquiry closes as any ticket
        enquiry = self._complaint(qms_feedback_kind="enquiry")
        enquiry.stage_id = self.stage_done
        self.assertTrue(enquiry.closed)

    def test_closing_asks_the_customer_and_plans_the_follow_up(self):
        ticket = self._complaint()
        self._close(ticket)
        self.assertEqual(ticket.qms_confirmation_state, "pending")
        self.assertTrue(ticket.qms_resolved_date)
        self.assertTrue(ticket.access_token)
        request = ticket.message_ids.filtered(
            lambda m: m.subject == f"Is your complaint {ticket.number} resolved?"
        )
        self.assertEqual(len(request), 1)
        self.assertIn(ticket.access_token, request.body)
        followup = ticket.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref(
                    "qms_crm_complaint.mail_activity_type_complaint_followup"
                )
            )
        )
        self.assertEqual(
            followup.date_deadline,
            fields.Date.context_today(ticket) + timedelta(days=14),
        )
        self.assertEqual(followup.user_id, self.agent)
        ticket.action_qms_follow_up()
        self.assertFalse(ticket.activity_ids.filtered(lambda a: a == followup))

    def test_follow_up_delay_is_a_setting(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.complaint_followup_days", "3"
        )
        ticket = self._complaint(qms_received_date=fields.Datetime.now())
        self._close(ticket)
        self.assertEqual(
            ticket.activity_ids.date_deadline,
            fields.Date.context_today(ticket) + timedelta(days=3),
        )

    def test_customer_confirms(self):
        ticket = self._complaint()
        self._close(ticket)
        ticket._qms_customer_confirm()
        self.assertEqual(ticket.qms_confirmation_state, "confirmed")
        self.assertTrue(ticket.qms_confirmation_date)
        with self.assertRaisesRegex(UserError, "does not await"):
            ticket._qms_customer_confirm()

    def test_customer_rejects_and_complaint_reopens(self):
        ticket = self._complaint()
        self._close(ticket)
        with self.assertRaisesRegex(UserError, "tell us why"):
            ticket._qms_customer_reject("  ")
        ticket._qms_customer_reject("The replacement is damaged too.")
        self.assertFalse(ticket.closed)
        self.assertFalse(ticket.closed_date)
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.qms_confirmation_state, "rejected")
        self.assertFalse(ticket.qms_resolved_date)
        self.assertIn("The replacement is damaged too.", ticket.message_ids[0].body)
        # closing again asks again
        ticket.stage_id = self.stage_done
        self.assertEqual(ticket.qms_confirmation_state, "pending")


@tagged("post_install", "-at_install")
class TestComplaintApi(QmsComplaintCommon):
    def test_open_recovery_creates_then_reuses_the_open_complaint(self):
        Ticket = self.env["helpdesk.ticket"]
        ticket, created = Ticket._qms_open_recovery(
            self.contact_a,
            "Detractor: score 3",
            "Survey answer: delivery was late",
            team_id=self.team.id,
        )
        self.assertTrue(created)
        self.assertEqual(ticket.qms_feedback_kind, "complaint")
        self.assertEqual(ticket.qms_severity, "high")
        self.assertEqual(ticket.qms_channel, "email")
        self.assertEqual(ticket.team_id, self.team)
        self.assertIn("delivery was late", ticket.description)
        again, created = Ticket._qms_open_recovery(
            self.portal_a.partner_id, "Detractor: score 2", "Still unhappy"
        )
        self.assertFalse(created)
        self.assertEqual(again, ticket)
        self.assertIn("Still unhappy", again.message_ids[0].body)
        # another customer gets their own
        other, created = Ticket._qms_open_recovery(
            self.customer_b, "Detractor", "Bad", severity="critical", channel="social"
        )
        self.assertTrue(created)
        self.assertNotEqual(other, ticket)

    def test_open_recovery_after_closure_creates_a_new_one(self):
        ticket = self._complaint()
        ticket.write(
            {"qms_root_cause_id": self.root_cause.id, "qms_resolution": "Done"}
        )
        ticket.stage_id = self.stage_done
        new, created = self.env["helpdesk.ticket"]._qms_open_recovery(
            self.customer_a, "New", "New problem"
        )
        self.assertTrue(created)
        self.assertNotEqual(new, ticket)

    def test_open_recovery_bad_input(self):
        Ticket = self.env["helpdesk.ticket"]
        with self.assertRaisesRegex(UserError, "needs a customer"):
            Ticket._qms_open_recovery(self.env["res.partner"], "x", "y")
        with self.assertRaisesRegex(UserError, "Unknown severity"):
            Ticket._qms_open_recovery(self.customer_a, "x", "y", severity="huge")
        with self.assertRaisesRegex(UserError, "Unknown channel"):
            Ticket._qms_open_recovery(self.customer_a, "x", "y", channel="fax")


@tagged("post_install", "-at_install")
class TestComplaintReport(QmsComplaintCommon):
    def test_report_and_repeat_complainers(self):
        first = self._complaint()
        self._complaint(qms_product_id=self.product.id)
        self._complaint(partner_id=self.customer_b.id, qms_feedback_kind="suggestion")
        self.env["qms.compensation.line"].create(
            {
                "ticket_id": first.id,
                "kind": "voucher",
                "description": "Voucher",
                "amount": 40.0,
            }
        )
        self.env.flush_all()
        Report = self.env["qms.complaint.report"]
        rows = Report._read_group(
            [("partner_id", "=", self.customer_a.id)],
            ["feedback_kind"],
            ["__count", "compensation_amount:sum"],
        )
        self.assertEqual(rows, [("complaint", 2, 40.0)])
        repeat = Report.search([("repeat_complainer", "=", True)])
        self.assertIn(self.customer_a, repeat.partner_id)
        self.assertNotIn(self.customer_b, repeat.partner_id)
        tickets = self.env["helpdesk.ticket"].search(
            [("qms_repeat_complainer", "=", True)]
        )
        self.assertIn(first, tickets)
