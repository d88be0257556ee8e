# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .sale_order import DEFAULT_GATE_MODE, GATE_MODES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_gate_mode = fields.Selection(
        GATE_MODES,
        string="Requirement Review Gate",
        default=DEFAULT_GATE_MODE,
        config_parameter="qms_crm.gate_mode",
        help="What happens when a salesperson confirms an order whose customer "
        "requirements are not all reviewed and approved: nothing (Off), a note in "
        "the order's history (Warn), or a clear error (Block; a Quality CRM "
        "manager may still override with a reason).",
    )

    qms_confirmation_days = fields.Integer(
        string="Confirmation Link Validity (days)",
        default=30,
        config_parameter="qms_crm.confirmation_days",
        help="How long the portal link sent to a customer to confirm a "
        "requirement stays valid.",
    )

    qms_risk_review_days = fields.Integer(
        string="Risk Review Interval (days)",
        default=90,
        config_parameter="qms_crm.risk_review_days",
        help="Default interval between two reviews of a customer risk or opportunity.",
    )
