# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Notices: batched, one mail per line, resumable after a crash; reminders
and escalation to a phone call."""

from collections import Counter
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QmsRecallCommon


@tagged("post_install", "-at_install")
class TestRecallNotify(QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Recall customer {i}",
                    "is_company": True,
                    "email": f"recall{i}@example.com",
                }
                for i in range(8)
            ]
        )
        for customer in cls.customers:
            cls._deliver(customer, [(cls.valve, cls.lot_bad, 2)])
        cls.campaign = cls._campaign()
        cls.campaign.action_scope()
        cls.lines = cls.campaign.line_ids

    def _mails(self, lines=None):
        lines = lines or self.lines
        return self.env["mail.mail"].search(
            [("model", "=", "qms.recall.line"), ("res_id", "in", lines.ids)]
        )

    def test_no_notice_before_the_campaign_starts_notifying(self):
        self.assertEqual(self.env["qms.recall.line"]._cron_send_notices(), 0)
        self.assertFalse(self._mails())

    def test_each_line_gets_one_notice_with_letter_and_portal_link(self):
        self.campaign.action_start_notifying()
        sent = self.env["qms.recall.line"]._cron_send_notices(batch_size=3)
        self.assertEqual(sent, 8)
        mails = self._mails()
        self.assertEqual(
            Counter(mails.mapped("res_id")), Counter({i: 1 for i in self.lines.ids})
        )
        line = self.lines[0]
        mail = mails.filtered(lambda m: m.res_id == line.id)
        self.assertEqual(mail.recipient_ids, line.contact_id)
        self.assertIn(
            f"/my/recall/{line.id}?access_token={line.access_token}", mail.body_html
        )
        self.assertIn("PV-BAD", mail.body_html)
        self.assertIn(self.campaign.name, mail.subject)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertTrue(mail.attachment_ids.name.endswith(".pdf"))
        # one letter per campaign and language, shared by every mail
        self.assertEqual(len(mails.attachment_ids), 1)
        self.assertEqual(set(self.lines.mapped("state")), {"notified"})
        self.assertTrue(all(self.lines.mapped("notified_date")))
        # running again sends nothing more
        self.assertEqual(self.env["qms.recall.line"]._cron_send_notices(), 0)
        self.assertEqual(len(self._mails()), 8)
        self.campaign.action_monitor()
        self.assertEqual(self.campaign.notified_pct, 100)

    def test_a_crash_mid_batch_is_resumed_without_double_or_missing_notice(self):
        self.campaign.action_start_notifying()
        Line = self.env["qms.recall.line"]
        # batches of 4: the first is done, the second crashes after 2 of its 4 mails
        with self.assertRaisesRegex(UserError, "Simulated failure"):
            Line.with_context(qms_recall_fail_after=6)._cron_send_notices(batch_size=4)
        self.env.invalidate_all()
        notified = self.lines.filtered(lambda ln: ln.state == "notified")
        self.assertEqual(len(notified), 4, "the committed first batch is kept")
        self.assertEqual(set(self._mails().mapped("res_id")), set(notified.ids))
        self.assertEqual(len(self._mails()), 4, "the crashed batch left no mail behind")
        # restart
        self.assertEqual(Line._cron_send_notices(batch_size=4), 4)
        self.env.invalidate_all()
        self.assertEqual(
            Counter(self._mails().mapped("res_id")),
            Counter({i: 1 for i in self.lines.ids}),
        )
        self.assertEqual(set(self.lines.mapped("state")), {"notified"})

    def test_batches_trigger_the_mail_queue(self):
        self.campaign.action_start_notifying()
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", queue.id)])
        self.env["qms.recall.line"]._cron_send_notices(batch_size=4)
        after = self.env["ir.cron.trigger"].search_count([("cron_id", "=", queue.id)])
        self.assertGreater(after, before)

    def test_reminders_then_escalation_to_a_phone_call(self):
        self.campaign.action_start_notifying()
        Line = self.env["qms.recall.line"]
        Line._cron_send_notices()
        acked = self.lines[0]
        acked._qms_acknowledge("0")
        others = self.lines - acked
        # not yet due
        self.assertEqual(Line._cron_send_reminders(), 0)

        def age(days=8):
            self.lines.write(
                {"last_notice_date": fields.Datetime.now() - timedelta(days=days)}
            )

        age()
        self.assertEqual(Line._cron_send_reminders(), 7)
        self.assertEqual(set(others.mapped("state")), {"reminded"})
        self.assertEqual(set(others.mapped("reminder_count")), {1})
        self.assertEqual(acked.state, "acknowledged")
        reminder = self._mails(others[:1]).filtered(lambda m: "Reminder" in m.subject)
        self.assertEqual(len(reminder), 1)
        age()
        self.assertEqual(Line._cron_send_reminders(), 7)
        self.assertEqual(set(others.mapped("reminder_count")), {2})
        self.assertFalse(others.activity_ids)
        age()
        Line._cron_send_reminders()
        self.assertEqual(set(others.mapped("state")), {"escalated"})
        call = self.env.ref("mail.mail_activity_data_call")
        self.assertEqual(others.activity_ids.activity_type_id, call)
        self.assertEqual(len(others.activity_ids), 7)
        self.assertEqual(others.activity_ids.user_id, self.campaign.user_id)
        # no third reminder mail after the escalation
        age()
        self.assertEqual(Line._cron_send_reminders(), 0)
        # the customer answers at last: the call is done
        others[0]._qms_acknowledge("1", remedy="return")
        self.assertFalse(others[0].activity_ids)

    def test_workflow_errors(self):
        draft = self._campaign()
        with self.assertRaisesRegex(UserError, "Scope"):
            draft.action_start_notifying()
        empty = self._campaign(lot_ids=[(6, 0, [self.lot_good.id])])
        empty.action_scope()
        with self.assertRaisesRegex(UserError, "nobody to notify"):
            empty.action_start_notifying()
        self.campaign.action_start_notifying()
        with self.assertRaisesRegex(UserError, "still wait"):
            self.campaign.action_monitor()

    def test_compiled_template_cache_renders_the_same_per_line(self):
        template = self.env.ref("qms_crm_recall.mail_template_recall_notice")
        ids = self.lines.ids
        plain = template._render_field("body_html", ids)
        cached = template.with_context(qms_recall_compile_cache=True)._render_field(
            "body_html", ids
        )
        again = template.with_context(qms_recall_compile_cache=True)._render_field(
            "body_html", ids
        )
        self.assertEqual(plain, cached)
        self.assertEqual(cached, again)
        self.assertEqual(len(set(cached.values())), len(ids), "one body per line")
        for line in self.lines:
            self.assertIn(line.access_token, cached[line.id])
