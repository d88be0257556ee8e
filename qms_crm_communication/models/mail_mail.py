# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

# days during which a mail the mail server did not take is offered again
DEFAULT_RETRY_DAYS = 3


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def _qms_cron_requeue_smtp_failures(self):
        """Queue again the mails that failed because the mail server could
        not be reached.

        When Odoo cannot connect to the mail server it marks every mail of the
        batch failed ("exception", with the connection error as reason and no
        ``failure_type``; ``mail_smtp`` on the notifications), and never sends
        a failed mail again by itself: after an outage of the mail server,
        customer notices (recall notices, requirement confirmations, complaint
        answers) would wait for someone to press "Retry" on each. Such a mail
        has nothing wrong in it, so it goes back to the queue until it is
        ``qms_crm.mail_retry_days`` days old; a mail refused for its address is
        left alone.
        """
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.mail_retry_days", DEFAULT_RETRY_DAYS)
            or DEFAULT_RETRY_DAYS
        )
        failed = self.sudo().search(
            [
                ("state", "=", "exception"),
                ("failure_type", "in", (False, "mail_smtp")),
                ("create_date", ">=", fields.Datetime.now() - timedelta(days=days)),
            ]
        )
        if failed:
            failed.mark_outgoing()
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return len(failed)
