# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_pattern_threshold = fields.Integer(
        string="Complaints that make a pattern",
        config_parameter="qms_crm.pattern_threshold",
        default=5,
    )
    qms_pattern_days = fields.Integer(
        string="Pattern window (days)",
        config_parameter="qms_crm.pattern_days",
        default=30,
    )
    qms_pattern_user_id = fields.Many2one(
        "res.users",
        string="Quality manager alerted",
        config_parameter="qms_crm.pattern_user_id",
    )
