# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""With queue_job, queued mails are delivered by jobs on root.qms_mail."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDeliveryJobs(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.mail"].search([("state", "=", "outgoing")]).write(
            {"state": "cancel"}
        )
        cls.env["queue.job"].search([]).unlink()
        cls.env["ir.config_parameter"].sudo().set_param("qms_crm.job_fanout", "3")
        cls.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.mail_delivery_batch", "4"
        )
        cls.Mail = cls.env["mail.mail"]

    def _jobs(self, state="pending"):
        return self.env["queue.job"].search(
            [("method_name", "=", "_qms_job_deliver"), ("state", "=", state)]
        )

    def _mails(self, count):
        self.env.cr.precommit.data.pop("qms_mail_delivery_scheduled", None)
        return self.Mail.create(
            [
                {
                    "subject": f"Survey invitation {i}",
                    "email_to": f"customer{i}@example.com",
                    "body_html": "<p>How did we do?</p>",
                }
                for i in range(count)
            ]
        )

    def test_queued_mails_enqueue_delivery_jobs_on_the_mail_channel(self):
        cron = self.env.ref("qms_crm_communication.ir_cron_qms_mail_deliver")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self._mails(10)
        jobs = self._jobs()
        self.assertEqual(len(jobs), 3)
        self.assertEqual(set(jobs.mapped("channel")), {"root.qms_mail"})
        # the cron path stays as well
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
        )
        # more mails while jobs wait: no more jobs than the fan-out
        self._mails(5)
        self.assertEqual(len(self._jobs()), 3)

    def test_a_delivery_job_claims_one_batch_and_enqueues_the_next(self):
        self._mails(10)
        self._jobs().write({"state": "done"})
        result = self.Mail._qms_job_deliver()
        self.assertIn("4", result)
        # 6 due: the next jobs wait
        self.assertEqual(self.Mail._qms_due_count(), 6)
        self.assertEqual(len(self._jobs()), 3)
        for _job in range(2):
            self._jobs().write({"state": "done"})
            self.Mail._qms_job_deliver()
        self.assertEqual(self.Mail._qms_due_count(), 0)
        # nothing due: no new job
        self._jobs().write({"state": "done"})
        self.Mail._qms_job_deliver()
        self.assertFalse(self._jobs())
