# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail(self, auto_commit=False):
        result_mails, messages = super()._action_send_mail(auto_commit=auto_commit)
        log = self.env.context.get("qms_comm_log")
        if log and messages:
            self.env["qms.communication"]._qms_log_messages(messages, log)
        return result_mails, messages
