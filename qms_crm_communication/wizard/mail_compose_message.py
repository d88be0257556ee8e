# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail(self, auto_commit=False):
        result_mails, messages = super()._action_send_mail(auto_commit=auto_commit)
        # the context comes back from the client: it names what the sent
        # mails were (product information), never the values logged
        if self.env.context.get("qms_comm_log") == "product_info" and messages:
            self.env["qms.product.info"]._qms_log_sent(messages)
        return result_mails, messages
