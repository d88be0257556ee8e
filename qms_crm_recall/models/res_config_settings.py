# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

DEFAULT_REMIND_DAYS = 7
DEFAULT_NOTICE_BATCH = 50


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_recall_remind_days = fields.Integer(
        string="Recall Reminder after (days)",
        default=DEFAULT_REMIND_DAYS,
        config_parameter="qms_crm_recall.remind_days",
        help="Default for new campaigns: days without acknowledgement before a "
        "customer is reminded of a recall notice; after the second reminder the "
        "salesperson gets a phone-call activity.",
    )
    qms_recall_notice_batch = fields.Integer(
        string="Recall Notices per Batch",
        default=DEFAULT_NOTICE_BATCH,
        config_parameter="qms_crm_recall.notice_batch",
        help="Notices sent and committed together by the sending job; a crash "
        "repeats at most the batch it happened in, never a notice already sent.",
    )
