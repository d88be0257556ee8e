# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextvars
import logging
import smtplib
import types

from odoo import fields, models

_logger = logging.getLogger(__name__)

# (registry, Message-Id, recipients) of the mail ir.mail_server.send_email is
# handing to the SMTP server in this thread, read by the session's DATA
# (_data_in_flight)
_SENDING = contextvars.ContextVar("qms_mail_sending", default=None)
# {(Message-Id, recipients)} the SMTP server already took for the mails
# mail.mail._send is sending (see mail.mail._qms_accepted_hand_overs)
_ACCEPTED = contextvars.ContextVar("qms_mail_accepted", default=frozenset())


def recipients_key(addresses):
    """The journals' key of one hand-over: its envelope recipients,
    lower-cased, sorted and comma-separated. Odoo hands a mail to several
    partners as one SMTP message per partner, all with the mail's
    Message-Id: a hand-over is (Message-Id, recipients)."""
    return ",".join(sorted({address.strip().lower() for address in addresses}))


def _data_in_flight(smtp, msg):
    """``smtplib.SMTP.data`` of a session opened by Odoo: the mail's
    Message-Id is journaled as *in flight*, committed, before the DATA
    command. From the end of its DATA on, the server may have the mail
    whatever happens to this process: a sender that dies before it journals
    the server's answer leaves an in-flight mail, which
    ``mail.mail._qms_recover`` never sends again by itself (see there)."""
    sending = _SENDING.get()
    if not sending:
        return type(smtp).data(smtp, msg)
    registry, message_id, recipients = sending
    with registry.cursor() as journal_cr:
        # asynchronous commit (no wait for the disk): lost only if
        # PostgreSQL itself crashes, and then the batch's claims too
        journal_cr.execute(
            "SET LOCAL synchronous_commit TO OFF; "
            "INSERT INTO qms_mail_in_flight (message_id, recipients) "
            "VALUES (%s, %s) ON CONFLICT (message_id, recipients) DO UPDATE "
            "SET started_at = EXCLUDED.started_at",
            [message_id, recipients],
        )
    try:
        return type(smtp).data(smtp, msg)
    except smtplib.SMTPResponseException:
        # the server answered, with a refusal: it does not have the mail
        with registry.cursor() as journal_cr:
            journal_cr.execute(
                "DELETE FROM qms_mail_in_flight "
                "WHERE message_id = %s AND recipients = %s",
                [message_id, recipients],
            )
        raise


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

    def _connect__(self, *args, **kwargs):  # noqa: PLW3201 - Odoo's name
        smtp = super()._connect__(*args, **kwargs)
        if smtp is not None:
            # this session's DATA journals the mail in flight (an attribute
            # of this session object only; smtplib calls self.data)
            smtp.data = types.MethodType(_data_in_flight, smtp)
        return smtp

    def send_email(self, message, *args, **kwargs):
        """Journal every hand-over the SMTP server took, at once and in a
        transaction of its own (see ``mail.mail._qms_recover``): if the
        sending process dies before it commits the mail's "sent" state, the
        mail is not sent a second time to the recipients that have it. Before
        its DATA, the hand-over is journaled in flight (``_data_in_flight``).

        A hand-over is (Message-Id, envelope recipients): Odoo sends a mail
        to several partners as one SMTP message per partner, all with the
        mail's Message-Id. A hand-over the server already took for the mail
        being sent again (``mail.mail._qms_accepted_hand_overs``: its batch
        was lost after the server took it) is not handed over again."""
        if self._disable_send():
            return super().send_email(message, *args, **kwargs)
        message_id = message["Message-Id"]
        recipients = recipients_key(
            self._prepare_smtp_to_list(message, kwargs.get("smtp_session"))
        )
        if (message_id, recipients) in _ACCEPTED.get():
            _logger.info(
                "Mail %s to %s was taken by the mail server before its batch "
                "was lost: not handed over again",
                message_id,
                recipients,
            )
            return message_id
        token = _SENDING.set((self.env.registry, message_id, recipients))
        try:
            sent_id = super().send_email(message, *args, **kwargs)
        finally:
            _SENDING.reset(token)
        if sent_id:
            with self.env.registry.cursor() as journal_cr:
                # what keeps a mail from going twice is the journal reaching
                # PostgreSQL before this process can die: an asynchronous
                # commit (no wait for the disk; lost only if PostgreSQL
                # itself crashes, and then the batch's "sent" states too)
                # shortens the moment between the server's "250" and the
                # journal; so does sending both statements in one round trip
                journal_cr.execute(
                    "SET LOCAL synchronous_commit TO OFF; "
                    "INSERT INTO qms_mail_accepted (message_id, recipients) "
                    "VALUES (%s, %s) ON CONFLICT (message_id, recipients) "
                    "DO UPDATE SET accepted_at = EXCLUDED.accepted_at",
                    [message_id, recipients],
                )
        return sent_id
