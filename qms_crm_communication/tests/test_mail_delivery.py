# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The mail delivery driver: claims, rate limits, back-off, triggers.

Odoo sends no mail in test mode; the real SMTP path (a real SMTP server,
the server's crons, 200 recall notices, two senders at once) is in
tests/test_delivery.py."""

from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.ir_mail_server import recipients_key
from ..models.mail_mail import retry_backoff


@tagged("post_install", "-at_install")
class TestMailDelivery(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo data's queued mails are not ours to count
        cls.env["mail.mail"].search([("state", "=", "outgoing")]).write(
            {"state": "cancel"}
        )
        cls.Mail = cls.env["mail.mail"]
        cls.cron = cls.env.ref("qms_crm_communication.ir_cron_qms_mail_deliver")

    def _mails(self, count, **vals):
        return self.Mail.create(
            [
                dict(
                    {
                        "subject": f"Recall notice {i}",
                        "email_to": f"customer{i}@example.com",
                        "body_html": "<p>Stop using the valve.</p>",
                    },
                    **vals,
                )
                for i in range(count)
            ]
        )

    def _triggers(self, cron=None):
        return self.env["ir.cron.trigger"].search(
            [("cron_id", "=", (cron or self.cron).id)]
        )

    def test_queued_mails_trigger_the_delivery_once_per_transaction(self):
        self.env.cr.precommit.data.pop("qms_mail_delivery_scheduled", None)
        before = len(self._triggers())
        self._mails(3)
        self._mails(2)
        self.assertEqual(len(self._triggers()), before + 1)

    def test_a_claimed_mail_is_skipped_by_every_other_sender(self):
        mails = self._mails(5)
        first, _wait = self.Mail._qms_claim(3)
        self.assertEqual(first, mails[:3].ids)
        self.env.cr.execute(
            "SELECT qms_claim_pid = pg_backend_pid() FROM mail_mail WHERE id = ANY(%s)",
            [first],
        )
        self.assertEqual({row[0] for row in self.env.cr.fetchall()}, {True})
        # this connection is alive: its claims hold, the next claim gets the rest
        second, _wait = self.Mail._qms_claim(10)
        self.assertEqual(second, mails[3:].ids)
        self.assertEqual(self.Mail._qms_claim(10)[0], [])
        self.assertEqual(self.Mail._qms_due_count(), 0)
        # Odoo's own queue run claims too: nothing left for it to send twice
        mails.invalidate_recordset()
        self.Mail.process_email_queue()
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

    def test_claims_of_a_crashed_sender_are_taken_over(self):
        mails = self._mails(2)
        # a connection that no longer exists (a killed worker): its pid is
        # not in pg_stat_activity
        self.env.cr.execute("SELECT max(pid) + 100000 FROM pg_stat_activity")
        dead_pid = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            "UPDATE mail_mail SET qms_claim_pid = %s, qms_claim_date = %s "
            "WHERE id = ANY(%s)",
            [dead_pid, fields.Datetime.now(), mails.ids],
        )
        self.assertEqual(self.Mail._qms_claim(10)[0], mails.ids)

    def test_a_hand_over_the_server_took_before_its_sender_died_is_not_repeated(
        self,
    ):
        taken, lost = self._mails(2)
        self._claimed_by_a_dead_sender(taken | lost)
        # the journal of ir.mail_server.send_email: the server took the first
        self._journal("qms_mail_accepted", taken)
        # both go back to the queue; the next sender skips what the server
        # took (a mail to several partners is one hand-over per partner:
        # the others still get it)
        self.assertEqual(self.Mail._qms_claim(10)[0], (taken | lost).ids)
        (taken | lost).invalidate_recordset()
        self.assertEqual(set((taken | lost).mapped("state")), {"outgoing"})
        self.assertEqual(
            (taken | lost)._qms_accepted_hand_overs(),
            {(taken.message_id, "customer0@example.com")},
        )
        self.assertFalse(lost._qms_accepted_hand_overs())

    def test_a_journal_row_without_recipients_stands_for_the_whole_mail(self):
        # written before hand-overs were journaled one by one (an upgrade
        # while a dead sender's mails wait)
        whole, lost = self._mails(2)
        self._claimed_by_a_dead_sender(whole | lost)
        self._journal("qms_mail_accepted", whole, recipients="")
        self.assertEqual(self.Mail._qms_claim(10)[0], lost.ids)
        whole.invalidate_recordset()
        self.assertEqual(whole.state, "sent")
        self.assertFalse(whole._qms_accepted_hand_overs())

    def test_an_acceptance_older_than_the_mail_is_not_its_own(self):
        # the journal keeps two hours of hand-overs: one of the same
        # Message-Id and recipients before this mail existed is another
        # mail's (never skipped for this one)
        mail = self._mails(1)
        self.env.cr.execute(
            "INSERT INTO qms_mail_accepted (message_id, recipients, accepted_at) "
            "VALUES (%s, %s, %s)",
            [
                mail.message_id,
                "customer0@example.com",
                mail.create_date - timedelta(minutes=5),
            ],
        )
        self.assertFalse(mail._qms_accepted_hand_overs())

    def _claimed_by_a_dead_sender(self, mails):
        self.env.cr.execute("SELECT max(pid) + 100000 FROM pg_stat_activity")
        dead_pid = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            "UPDATE mail_mail SET qms_claim_pid = %s, qms_claim_date = "
            "clock_timestamp() AT TIME ZONE 'UTC' - interval '1 minute' "
            "WHERE id = ANY(%s)",
            [dead_pid, mails.ids],
        )
        mails.invalidate_recordset()

    def _journal(self, table, mail, recipients=None, later=0):
        # what ir.mail_server journals: a hand-over (Message-Id, envelope
        # recipients) in flight before DATA, accepted after the server's 250
        moment = "accepted_at" if table == "qms_mail_accepted" else "started_at"
        self.env.cr.execute(
            f"INSERT INTO {table} (message_id, recipients, {moment}) "  # noqa: S608
            "VALUES (%s, %s, clock_timestamp() AT TIME ZONE 'UTC' "
            "+ %s * interval '1 second') ON CONFLICT (message_id, recipients) "
            f"DO UPDATE SET {moment} = EXCLUDED.{moment}",
            [
                mail.message_id,
                recipients_key([mail.email_to]) if recipients is None else recipients,
                later,
            ],
        )

    def test_a_mail_in_flight_when_its_sender_died_is_of_unknown_delivery(self):
        partner = self.env["res.partner"].create({"name": "Unknown delivery Ltd"})
        unknown, taken, never = self._mails(3, model="res.partner", res_id=partner.id)
        self._claimed_by_a_dead_sender(unknown | taken | never)
        # handed over, no answer journaled: the server may have it or not
        self._journal("qms_mail_in_flight", unknown)
        # handed over and accepted
        self._journal("qms_mail_in_flight", taken)
        self._journal("qms_mail_accepted", taken)
        # the mail in flight waits for a person; the others go back to the
        # queue (what the server took is not handed over again)
        self.assertEqual(self.Mail._qms_claim(10)[0], (taken | never).ids)
        (unknown | taken).invalidate_recordset()
        self.assertEqual(taken.state, "outgoing")
        self.assertFalse(taken.qms_delivery_unknown)
        self.assertEqual(len(taken._qms_accepted_hand_overs()), 1)
        self.assertEqual(unknown.state, "exception")
        self.assertTrue(unknown.qms_delivery_unknown)
        self.assertEqual(unknown.failure_type, "unknown")
        self.assertIn(unknown.message_id, unknown.failure_reason)
        # never sent again by itself: not due, not requeued, not retried
        self.assertEqual(self.Mail._qms_cron_requeue_smtp_failures(), 0)
        self.assertFalse(unknown._qms_retry_later())
        self.assertEqual(self.Mail._qms_claim(10)[0], [])

    def test_a_hand_over_after_the_last_acceptance_is_of_unknown_delivery(self):
        # one mail to two partners is two SMTP messages with one Message-Id:
        # the first accepted, the second in flight when the sender died
        mail = self._mails(1)
        self._claimed_by_a_dead_sender(mail)
        self._journal("qms_mail_in_flight", mail, "first@example.com")
        self._journal("qms_mail_accepted", mail, "first@example.com")
        self._journal("qms_mail_in_flight", mail, "second@example.com", later=1)
        self.Mail._qms_recover()
        mail.invalidate_recordset()
        self.assertTrue(mail.qms_delivery_unknown)
        self.assertEqual(mail.state, "exception")
        # a person sends it again: only the second partner gets it
        mail.action_retry()
        self.assertEqual(
            mail._qms_accepted_hand_overs(), {(mail.message_id, "first@example.com")}
        )

    def test_a_hand_over_answered_then_sent_again_and_lost_is_unknown(self):
        # the same hand-over accepted, then handed over again (a person's
        # retry) with no answer: the last hand-over decides
        mail = self._mails(1)
        self._claimed_by_a_dead_sender(mail)
        self._journal("qms_mail_accepted", mail)
        self._journal("qms_mail_in_flight", mail, later=1)
        self.Mail._qms_recover()
        mail.invalidate_recordset()
        self.assertTrue(mail.qms_delivery_unknown)

    def test_one_partner_taken_the_other_never_handed_over_goes_to_the_other(
        self,
    ):
        # the batch failed between the two partners' hand-overs (the
        # server dropped the connection): the mail is neither sent (the
        # second partner never got it) nor unknown (nothing is in doubt)
        mail = self._mails(1)
        self._claimed_by_a_dead_sender(mail)
        self._journal("qms_mail_in_flight", mail, "first@example.com")
        self._journal("qms_mail_accepted", mail, "first@example.com", later=1)
        self.assertEqual(self.Mail._qms_claim(10)[0], mail.ids)
        mail.invalidate_recordset()
        self.assertEqual(mail.state, "outgoing")
        self.assertFalse(mail.qms_delivery_unknown)
        self.assertEqual(
            mail._qms_accepted_hand_overs(), {(mail.message_id, "first@example.com")}
        )

    def _unknown_mail(self):
        partner = self.env["res.partner"].create({"name": "Checked delivery Ltd"})
        mail = self._mails(1, model="res.partner", res_id=partner.id)
        self._claimed_by_a_dead_sender(mail)
        self._journal("qms_mail_in_flight", mail)
        self.Mail._qms_recover()
        mail.invalidate_recordset()
        self.assertTrue(mail.qms_delivery_unknown)
        return mail, partner

    def _logged(self, partner, text):
        return partner.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_a_person_confirms_an_unknown_delivery_and_it_is_recorded(self):
        mail, partner = self._unknown_mail()
        manager = self.env["res.users"].create(
            {
                "name": "Mail checker",
                "login": "qms_mail_checker",
                "group_ids": [(6, 0, [self.env.ref("base.group_system").id])],
            }
        )
        mail.with_user(manager).action_qms_confirm_delivered()
        self.assertEqual(mail.state, "sent")
        self.assertFalse(mail.qms_delivery_unknown)
        log = self._logged(partner, "confirmed delivered")
        self.assertEqual(len(log), 1)
        self.assertIn("Mail checker", log.body)
        self.assertIn(mail.message_id.strip("<>")[:20], log.body)
        # a mail of known delivery has nothing to confirm
        with self.assertRaises(UserError):
            self._mails(1).action_qms_confirm_delivered()

    def test_an_unknown_delivery_is_never_marked_sent_by_a_plain_write(self):
        mail, partner = self._unknown_mail()
        with self.assertRaises(UserError):
            mail.write({"state": "sent"})
        with self.assertRaises(UserError):
            mail.write({"qms_delivery_unknown": False})
        with self.assertRaises(UserError):
            self._mails(1).write({"qms_delivery_unknown": True})
        # Retry (list and form buttons, RPC, import write the state): the
        # person's decision to send it again, logged
        mail.action_retry()
        self.assertEqual(mail.state, "outgoing")
        self.assertFalse(mail.qms_delivery_unknown)
        self.assertEqual(len(self._logged(partner, "sent again")), 1)

    def test_an_old_claim_expires(self):
        mail = self._mails(1)
        self.env.cr.execute(
            "UPDATE mail_mail SET qms_claim_pid = pg_backend_pid(), "
            "qms_claim_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(hours=2), mail.id],
        )
        self.assertEqual(self.Mail._qms_claim(10)[0], mail.ids)

    def test_sent_scheduled_and_failed_mails_are_not_claimed(self):
        due = self._mails(1)
        later = self._mails(
            1, scheduled_date=fields.Datetime.now() + timedelta(hours=1)
        )
        sent = self._mails(1)
        sent.write({"state": "sent"})
        failed = self._mails(1)
        failed.write({"state": "exception"})
        self.assertEqual(self.Mail._qms_claim(10)[0], due.ids)
        # the delivery wakes up when the scheduled mail is due
        before = self._triggers()
        self.Mail._qms_schedule_next()
        new = self._triggers() - before
        self.assertEqual(new.call_at, later.scheduled_date)

    def test_the_rate_limit_of_a_server_caps_each_minute(self):
        self.env["ir.mail_server"].search([]).write({"active": False})
        server = self.env["ir.mail_server"].create(
            {
                "name": "Corporate relay",
                "smtp_host": "127.0.0.1",
                "smtp_port": 2525,
                "qms_rate_limit": 3,
                "sequence": 1,
            }
        )
        other = self.env["ir.mail_server"].create(
            {"name": "Bulk relay", "smtp_host": "127.0.0.1", "sequence": 2}
        )
        # no server of their own: they count against the first server
        default = self._mails(4)
        own = self._mails(2, mail_server_id=other.id)
        claimed, wait_until = self.Mail._qms_claim(100)
        self.assertEqual(claimed, sorted(default[:3].ids + own.ids))
        self.assertTrue(wait_until)
        self.assertGreater(wait_until, fields.Datetime.now())
        self.assertLessEqual(
            wait_until, fields.Datetime.now() + timedelta(minutes=1, seconds=1)
        )
        # the minute is used up: the fourth waits
        self.assertEqual(self.Mail._qms_claim(100)[0], [])
        # the next minute: it goes
        self.env.cr.execute(
            "UPDATE qms_mail_rate_window SET window_start = window_start "
            "- interval '61 seconds' WHERE server_id = %s",
            [server.id],
        )
        self.assertEqual(self.Mail._qms_claim(100)[0], default[3:].ids)

    def test_a_negative_rate_is_refused(self):
        with (
            self.assertRaises(psycopg2.errors.CheckViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["ir.mail_server"].create(
                {"name": "Bad", "smtp_host": "127.0.0.1", "qms_rate_limit": -1}
            )

    def test_failures_of_the_mail_server_are_retried_with_back_off(self):
        mails = self._mails(3)
        unreachable, bad_address, sent = mails
        unreachable.write(
            {"state": "exception", "failure_reason": "Connection refused"}
        )
        bad_address.write({"state": "exception", "failure_type": "mail_email_invalid"})
        sent.write({"state": "sent"})
        before = self._triggers()
        start = fields.Datetime.now()
        retried = mails._qms_retry_later()
        self.assertEqual(retried, unreachable)
        self.assertEqual(unreachable.state, "outgoing")
        self.assertEqual(unreachable.qms_retry_count, 1)
        self.assertGreaterEqual(
            unreachable.scheduled_date, start + timedelta(minutes=1)
        )
        self.assertEqual(bad_address.state, "exception")
        self.assertEqual(sent.state, "sent")
        self.assertTrue(self._triggers() - before)
        # the next failure waits twice as long
        unreachable.write({"state": "exception"})
        unreachable._qms_retry_later()
        self.assertEqual(unreachable.qms_retry_count, 2)
        self.assertGreaterEqual(
            unreachable.scheduled_date, start + timedelta(minutes=2)
        )
        self.assertEqual(
            [retry_backoff(n).total_seconds() / 60 for n in range(9)],
            [0, 1, 2, 4, 8, 16, 32, 60, 60],
        )

    def test_the_requeue_cron_waits_for_the_back_off(self):
        mail = self._mails(1)
        mail.write({"state": "exception", "qms_retry_count": 3})
        # failed just now, third retry: waits 4 minutes
        self.assertEqual(self.Mail._qms_cron_requeue_smtp_failures(), 0)
        self.env.cr.execute(
            "UPDATE mail_mail SET write_date = write_date - interval '5 minutes' "
            "WHERE id = %s",
            [mail.id],
        )
        mail.invalidate_recordset()
        self.assertEqual(self.Mail._qms_cron_requeue_smtp_failures(), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.qms_retry_count, 4)

    def test_the_delivery_cron_runs_until_nothing_is_due(self):
        self._mails(7)
        self.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.mail_delivery_batch", "3"
        )
        # in test mode Odoo sends nothing: the mails stay queued, claimed by
        # this connection, and every batch is claimed once (3 + 3 + 1)
        self.assertEqual(self.Mail._qms_cron_deliver(), 7)
        self.assertEqual(self.Mail._qms_due_count(), 0)
