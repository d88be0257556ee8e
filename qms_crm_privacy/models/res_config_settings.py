# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_dsr_response_months = fields.Integer(
        string="Data Request Response Time (months)",
        default=1,
        config_parameter="qms_crm.dsr_response_months",
        help="A data subject request is due this many months after it is received "
        "(GDPR art. 12(3): one month).",
    )

    qms_dsr_extension_months = fields.Integer(
        string="Data Request Extension (months)",
        default=2,
        config_parameter="qms_crm.dsr_extension_months",
        help="Months added once, with a reason, to the deadline of a complex "
        "request (GDPR art. 12(3): two months).",
    )

    qms_invoice_retention_years = fields.Integer(
        string="Invoice Retention (years)",
        default=5,
        config_parameter="qms_crm.invoice_retention_years",
        help="Personal data of a customer with an invoice younger than this is "
        "kept (legal hold) when they ask for erasure.",
    )
