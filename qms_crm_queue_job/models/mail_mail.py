# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models

from odoo.addons.queue_job.jobrunner.runner import Database

_logger = logging.getLogger(__name__)

# parallel delivery jobs at most (each claims its own batch); the channel's
# capacity decides how many of them run at once
DEFAULT_FANOUT = 4


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def _qms_job_fanout(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.job_fanout", DEFAULT_FANOUT)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_FANOUT

    @api.model
    def _qms_delivery_schedule(self, at=None):
        """Deliver the queue as jobs on the channel ``root.qms_mail`` too: up
        to ``qms_crm.job_fanout`` jobs wait at a time (one identity key per
        slot), each claims its own batch, so the job runners of several Odoo
        nodes share the queue. The cron stays triggered as well: both claim
        with ``FOR UPDATE SKIP LOCKED``, so whichever runs first sends a mail
        and nothing is sent twice; without a job runner the cron delivers."""
        res = super()._qms_delivery_schedule(at=at)
        slots = self._qms_job_fanout()
        moment = at.isoformat() if at else "now"
        for slot in range(slots):
            self.with_delay(
                eta=at,
                identity_key=f"qms_mail_deliver:{moment}:{slot}",
                description=self.env._("Deliver queued mails"),
            )._qms_job_deliver()
            if at:
                # a later moment needs one waker, not a crowd
                break
        return res

    @api.model
    def _qms_resume_delivery(self):
        """A server just started: the jobs a dead server was running (its
        notices, its deliveries) are queued again now. queue_job's runner
        does the same with the same statement, but only when something
        wakes it: a minute after it started, and the delivery job of the
        resume may not wake it (a dead job holds its identity key). Jobs
        running on a living node keep their lock and are left alone."""
        # the runner's own statement (a method that reads nothing of its
        # instance), not a copy of it
        self.env.cr.execute(Database._query_requeue_dead_jobs(None))
        for (uuid,) in self.env.cr.fetchall():
            _logger.warning("Re-queued dead job with uuid: %s", uuid)
        return super()._qms_resume_delivery()

    @api.model
    def _qms_job_deliver(self):
        """One batch of the delivery; more jobs while mails are due."""
        mails, wait_until = self._qms_deliver_batch(self._qms_delivery_batch_size())
        if mails and self._qms_due_count():
            self._qms_delivery_schedule()
        else:
            self._qms_schedule_next(wait_until)
        return self.env._("%s mail(s) handed to the mail server", len(mails))
