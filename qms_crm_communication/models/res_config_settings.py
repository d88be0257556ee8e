# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_mail_retry_days = fields.Integer(
        string="Retry Undelivered Mails (days)",
        default=3,
        config_parameter="qms_crm.mail_retry_days",
        help="Mails that failed because the mail server could not be reached "
        "go back to the queue every 15 minutes for this many days; mails refused "
        "for their address are not retried.",
    )
    qms_mail_delivery_batch = fields.Integer(
        string="Mails per Delivery Batch",
        default=100,
        config_parameter="qms_crm.mail_delivery_batch",
        help="Queued mails are delivered at once, in batches of this size, each "
        "claimed and committed before it is sent, until the queue is empty.",
    )
