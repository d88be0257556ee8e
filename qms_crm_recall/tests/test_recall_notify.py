# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Notices: batched, one mail per line, resumable after a crash; reminders
and escalation to a phone call."""

from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import IrQweb as CoreQweb
from odoo.addons.qms_crm_recall.models import ir_qweb as recall_qweb

from .common import QmsRecallCommon


class SimulatedCrash(Exception):
    """A crash in the middle of a batch of notices."""


COMPILE_CACHE = {recall_qweb.COMPILE_CACHE_KEY: recall_qweb.COMPILE_CACHE}


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
        send = type(Line)._send_notices
        batches = []

        def crash_in_second_batch(lines, *args, **kwargs):
            batches.append(lines)
            if len(batches) < 2:
                return send(lines, *args, **kwargs)
            send(lines[:2], *args, **kwargs)
            lines.env.flush_all()
            raise SimulatedCrash("Simulated failure")

        # batches of 4: the first is done, the second crashes after 2 of its 4 mails
        with (
            patch.object(type(Line), "_send_notices", crash_in_second_batch),
            # unittest's assertRaisesRegex: Odoo's assertRaises would roll
            # back the first batch too
            self.assertRaisesRegex(SimulatedCrash, "Simulated failure"),
        ):
            Line._cron_send_notices(batch_size=4)
        self.assertEqual([len(batch) for batch in batches], [4, 4])
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

    def test_batches_trigger_the_mail_delivery(self):
        self.campaign.action_start_notifying()
        queue = self.env.ref("qms_crm_communication.ir_cron_qms_mail_deliver")
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
        cached = template.with_context(**COMPILE_CACHE)._render_field("body_html", ids)
        again = template.with_context(**COMPILE_CACHE)._render_field("body_html", ids)
        self.assertEqual(plain, cached)
        self.assertEqual(cached, again)
        self.assertEqual(len(set(cached.values())), len(ids), "one body per line")
        for line in self.lines:
            self.assertIn(line.access_token, cached[line.id])

    def _compilations(self, template, context):
        """How many times core compiled the notice body to render it for
        every line, under ``context`` (mail's own check of the template's
        expressions, ``_has_unsafe_expression_template_qweb``, is not a
        compilation for rendering and is not counted)."""
        with patch.object(
            CoreQweb,
            "_generate_code_uncached",
            autospec=True,
            side_effect=CoreQweb._generate_code_uncached,
        ) as compile_:
            template.with_context(**context)._render_field("body_html", self.lines.ids)
        return compile_.call_count

    def _cached_compilations(self):
        cache = self.registry._Registry__caches["templates"]
        return [key for key in cache if key[1].__name__ == "_qms_generate_code_inline"]

    def test_compiled_template_cache_is_the_databases_templates_cache(self):
        """The compiled notice body is kept in this database's registry (its
        ``templates`` cache, cleared with it), not in a process-wide dict
        that another database served by the same process would read."""
        template = self.env.ref("qms_crm_recall.mail_template_recall_notice")
        self.registry.clear_cache("templates")
        self.assertEqual(self._compilations(template, COMPILE_CACHE), 1)
        self.assertEqual(len(self._cached_compilations()), 1)
        self.assertEqual(self._compilations(template, COMPILE_CACHE), 0)
        # a change of views clears the templates cache: compiled again
        self.registry.clear_cache("templates")
        self.assertFalse(self._cached_compilations())
        self.assertEqual(self._compilations(template, COMPILE_CACHE), 1)
        # a compilation option (the language) is part of the key
        self.env["res.lang"]._activate_lang("ru_RU")
        self.assertEqual(
            self._compilations(template, dict(COMPILE_CACHE, lang="ru_RU")), 1
        )
        self.assertEqual(len(self._cached_compilations()), 2)
        # nothing of it in the module: no state shared between databases
        self.assertFalse(
            [
                name
                for name, value in vars(recall_qweb).items()
                if isinstance(value, (dict, list, set)) and not name.startswith("__")
            ]
        )

    def test_a_client_cannot_switch_the_compile_cache_on(self):
        """``qms_recall_compile_cache`` sent as JSON (``true``) by an RPC
        client compiles per line as core does: only the sender's own value
        switches the cache on."""
        template = self.env.ref("qms_crm_recall.mail_template_recall_notice")
        self.registry.clear_cache("templates")
        key = recall_qweb.COMPILE_CACHE_KEY
        self.assertEqual(self._compilations(template, {}), len(self.lines))
        self.assertEqual(self._compilations(template, {key: True}), len(self.lines))
        self.assertFalse(self._cached_compilations())

    def test_client_context_keys_do_not_change_the_notices(self):
        """The former test switches (crash after N notices, notices without
        letter) are plain context keys again: a run that carries them, as
        an RPC client's context would, sends every notice with its letter."""
        self.campaign.action_start_notifying()
        Line = self.env["qms.recall.line"].with_context(
            qms_recall_fail_after=0, qms_recall_skip_letter=True
        )
        self.assertEqual(Line._cron_send_notices(batch_size=3), len(self.lines))
        mails = self._mails()
        self.assertEqual(len(mails), len(self.lines))
        for mail in mails:
            self.assertEqual(len(mail.attachment_ids), 1, "the PDF letter")
