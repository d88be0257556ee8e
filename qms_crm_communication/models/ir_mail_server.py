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
