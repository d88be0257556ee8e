# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestRecovery(QmsSurveyCommon):
    def _recoveries(self, customer):
        return self.env["helpdesk.ticket"].search(
            [
                ("commercial_partner_id", "=", customer.id),
                ("qms_feedback_kind", "=", "complaint"),
            ]
        )

    def test_detractor_opens_a_recovery_complaint_exactly_once(self):
        answer = self._answer(self.nps, self.contact_a, {"nps": 6})
        ticket = answer.qms_recovery_ticket_id
        self.assertTrue(ticket)
        self.assertEqual(ticket.qms_feedback_kind, "complaint")
        self.assertEqual(ticket.qms_severity, "high")
        self.assertEqual(ticket.partner_id, self.contact_a)
        self.assertIn("NPS 6", ticket.name)
        self.assertIn(ticket, self._recoveries(self.customer_a))
        self.assertEqual(ticket.qms_survey_input_ids, answer)
        self.assertEqual(ticket.qms_survey_input_count, 1)
        # submitting again or re-running the recovery does not open another
        answer._mark_done()
        answer._qms_recover_detractors()
        self.assertEqual(answer.qms_recovery_ticket_id, ticket)
        self.assertEqual(len(self._recoveries(self.customer_a)), 1)

    def test_low_csat_is_recovered_and_neutral_is_not(self):
        low = self._answer(self.csat, self.contact_a, {"csat": 2})
        self.assertTrue(low.qms_recovery_ticket_id)
        neutral = self._answer(self.csat, self.customer_b, {"csat": 3})
        passive = self._answer(self.nps, self.customer_b, {"nps": 7})
        self.assertFalse(neutral.qms_recovery_ticket_id)
        self.assertFalse(passive.qms_recovery_ticket_id)
        self.assertFalse(self._recoveries(self.customer_b))

    def test_detractor_joins_the_open_complaint(self):
        complaint = self._complaint(self.contact_a)
        answer = self._answer(self.nps, self.customer_a, {"nps": 2})
        self.assertEqual(answer.qms_recovery_ticket_id, complaint)
        self.assertEqual(self._recoveries(self.customer_a), complaint)
        self.assertIn(
            "Detractor answer to the survey",
            complaint.message_ids[:1].body,
        )
        second = self._answer(self.csat, self.contact_a, {"csat": 1})
        self.assertEqual(second.qms_recovery_ticket_id, complaint)
        self.assertEqual(complaint.qms_survey_input_ids, answer | second)

    def test_closed_loop_within_seven_days(self):
        quick = self._answer(self.nps, self.contact_a, {"nps": 1})
        slow = self._answer(self.nps, self.customer_b, {"nps": 4})
        self.assertFalse(quick.qms_closed_loop)
        self._close(quick.qms_recovery_ticket_id)
        self.assertTrue(quick.qms_followup_date)
        self.assertTrue(quick.qms_closed_loop)
        slow.end_datetime = fields.Datetime.now() - timedelta(days=9)
        self._close(slow.qms_recovery_ticket_id)
        self.assertFalse(slow.qms_closed_loop)
        report = self.env["qms.satisfaction.report"].search(
            [("user_input_id", "in", (quick | slow).ids)]
        )
        self.assertEqual(sorted(report.mapped("closed_loop_pct")), [0.0, 100.0])

    def test_test_entries_are_never_recovered(self):
        answer = self.nps.sudo()._create_answer(
            user=self.env.user, test_entry=True, check_attempts=False
        )
        answer._save_lines(self._question(self.nps, "nps"), "0")
        answer._mark_done()
        self.assertFalse(answer.qms_recovery_ticket_id)
