# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mails that failed because the mail server was unreachable are queued again
(the real outage, with a real SMTP server, is in tests/test_faults.py)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMailRequeue(TransactionCase):
    def _mail(self, state="exception", failure_type="mail_smtp", age_days=0):
        mail = self.env["mail.mail"].create(
            {
                "subject": "Recall notice",
                "email_to": "customer@example.com",
                "body_html": "<p>Stop using the valve.</p>",
            }
        )
        self.env.cr.execute(
            "UPDATE mail_mail SET state = %s, failure_type = %s WHERE id = %s",
            [state, failure_type, mail.id],
        )
        if age_days:
            self.env.cr.execute(
                "UPDATE mail_message SET create_date = %s WHERE id = %s",
                [
                    fields.Datetime.now() - timedelta(days=age_days),
                    mail.mail_message_id.id,
                ],
            )
            self.env.cr.execute(
                "UPDATE mail_mail SET create_date = %s WHERE id = %s",
                [fields.Datetime.now() - timedelta(days=age_days), mail.id],
            )
        mail.invalidate_recordset()
        return mail

    def test_unreachable_server_failures_go_back_to_the_queue(self):
        unreachable = self._mail()
        # what Odoo 19 writes when it cannot connect at all: no failure type
        no_connection = self._mail(failure_type=None)
        bad_address = self._mail(failure_type="mail_email_invalid")
        unknown = self._mail(failure_type="unknown")
        too_old = self._mail(age_days=4)
        sent = self._mail(state="sent", failure_type=False)
        count = self.env["mail.mail"]._qms_cron_requeue_smtp_failures()
        self.assertEqual(count, 2)
        self.assertEqual(unreachable.state, "outgoing")
        self.assertEqual(no_connection.state, "outgoing")
        self.assertEqual(unknown.state, "exception")
        self.assertEqual(bad_address.state, "exception")
        self.assertEqual(too_old.state, "exception")
        self.assertEqual(sent.state, "sent")

    def test_retry_days_are_a_setting(self):
        too_old = self._mail(age_days=4)
        self.env["ir.config_parameter"].sudo().set_param("qms_crm.mail_retry_days", "7")
        self.env["mail.mail"]._qms_cron_requeue_smtp_failures()
        self.assertEqual(too_old.state, "outgoing")

    def test_the_cron_exists_and_runs_the_method(self):
        cron = self.env.ref("qms_crm_communication.ir_cron_qms_mail_requeue")
        self.assertTrue(cron.active)
        unreachable = self._mail()
        self.assertEqual(cron.model_id.model, "mail.mail")
        cron.ir_actions_server_id.run()
        unreachable.invalidate_recordset()
        self.assertEqual(unreachable.state, "outgoing")
