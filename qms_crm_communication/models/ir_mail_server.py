# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    qms_rate_limit = fields.Integer(
        string="Mails per Minute",
        default=0,
        help="At most this many mails are handed to this server per minute by "
        "the mail delivery (0: no limit), so that a corporate relay is not "
        "flooded by a recall or a survey campaign. Mails without a server of "
        "their own count against the first server of the list.",
    )

    _qms_rate_limit_positive = models.Constraint(
        "CHECK (qms_rate_limit >= 0)",
        "The number of mails per minute cannot be negative.",
    )

    def send_email(self, message, *args, **kwargs):
        """Journal the Message-Id of every mail the SMTP server took, at once
        and in a transaction of its own (see ``mail.mail._qms_recover``): if
        the sending process dies before it commits the mail's "sent" state,
        the mail is not sent a second time."""
        message_id = super().send_email(message, *args, **kwargs)
        if message_id and not self._disable_send():
            with self.env.registry.cursor() as journal_cr:
                # what keeps a mail from going twice is the journal reaching
                # PostgreSQL before this process can die: an asynchronous
                # commit (no wait for the disk; lost only if PostgreSQL
                # itself crashes, and then the batch's "sent" states too)
                # shortens the moment between the server's "250" and the
                # journal, where a killed sender would send the mail again;
                # so does sending both statements in one round trip
                journal_cr.execute(
                    "SET LOCAL synchronous_commit TO OFF; "
                    "INSERT INTO qms_mail_accepted (message_id) VALUES (%s) "
                    "ON CONFLICT DO NOTHING",
                    [message_id],
                )
        return message_id
