# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

ALERT_KINDS = [
    ("rhythm", "Buying rhythm dropped"),
    ("feedback", "Negative feedback without follow-up"),
]


class MailActivity(models.Model):
    _inherit = "mail.activity"

    qms_alert_kind = fields.Selection(
        ALERT_KINDS,
        string="Customer Alert Reason",
        index="btree_not_null",
        readonly=True,
        help="Why the daily customer alert was raised; at most one open alert "
        "per customer and reason.",
    )
