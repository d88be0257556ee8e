# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, modules


class QmsRecallLine(models.Model):
    _inherit = "qms.recall.line"

    @api.model
    def _qms_notices_schedule(self):
        """Generate the due notices as jobs on ``root.qms_bulk`` too: up to
        ``qms_crm.job_fanout`` jobs wait at a time, each locks its own batch
        of lines (``FOR UPDATE SKIP LOCKED``), so several nodes share a large
        campaign; the cron stays triggered (without a job runner it does the
        work; with one, no line is notified twice)."""
        res = super()._qms_notices_schedule()
        for slot in range(self.env["mail.mail"]._qms_job_fanout()):
            self.with_delay(
                identity_key=f"qms_recall_notices:{slot}",
                description=self.env._("Send recall notices"),
            )._qms_job_send_notices()
        return res

    @api.model
    def _qms_job_send_notices(self):
        """One batch of notices (committed with its mails); more jobs while
        lines are due (no commit in test mode, as Odoo's own mail queue)."""
        done = self._cron_send_notices(
            commit=not modules.module.current_test, max_batches=1
        )
        if done and self.search_count(self._notice_domain(), limit=1):
            self._qms_notices_schedule()
        return self.env._("%s notice(s) queued", done)
