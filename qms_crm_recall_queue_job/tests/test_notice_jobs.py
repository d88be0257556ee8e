# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""With queue_job, "Start notifying" generates the notices as jobs on
root.qms_bulk, one batch per job, each line once."""

from collections import Counter

from odoo.tests import tagged

from odoo.addons.qms_crm_recall.tests.common import QmsRecallCommon


@tagged("post_install", "-at_install")
class TestNoticeJobs(QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["queue.job"].search([]).unlink()
        ICP = cls.env["ir.config_parameter"].sudo()
        ICP.set_param("qms_crm.job_fanout", "2")
        ICP.set_param("qms_crm_recall.notice_batch", "3")
        customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Job customer {i}",
                    "is_company": True,
                    "email": f"job{i}@example.com",
                }
                for i in range(7)
            ]
        )
        for customer in customers:
            cls._deliver(customer, [(cls.valve, cls.lot_bad, 1)])
        cls.campaign = cls._campaign()
        cls.campaign.action_scope()
        cls.lines = cls.campaign.line_ids

    def _jobs(self):
        return self.env["queue.job"].search(
            [("method_name", "=", "_qms_job_send_notices"), ("state", "=", "pending")]
        )

    def test_start_notifying_enqueues_notice_jobs_that_notify_each_line_once(self):
        self.assertEqual(len(self.lines), 7)
        self.campaign.action_start_notifying()
        jobs = self._jobs()
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped("channel")), {"root.qms_bulk"})
        Line = self.env["qms.recall.line"]
        runs = 0
        while self._jobs() and runs < 10:
            self._jobs().write({"state": "done"})
            Line._qms_job_send_notices()
            runs += 1
        self.assertEqual(runs, 3)  # 3 + 3 + 1 lines
        self.assertEqual(set(self.lines.mapped("state")), {"notified"})
        mails = self.env["mail.mail"].search(
            [("model", "=", "qms.recall.line"), ("res_id", "in", self.lines.ids)]
        )
        self.assertEqual(Counter(mails.mapped("res_id")), Counter(self.lines.ids))
