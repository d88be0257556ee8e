# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_alert_feedback_days = fields.Integer(
        string="Complaint Follow-up Delay (days)",
        default=3,
        config_parameter="qms_crm.alert_feedback_days",
        help="A complaint with no planned activity and no reply to the customer "
        "for this many days raises a customer alert for the salesperson.",
    )
