# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    qms_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="Warranty from delivery, recorded per lot or serial number delivered.",
    )
    qms_maintenance_months = fields.Integer(
        string="Maintenance every (months)",
        help="When set, delivering the product starts a maintenance plan that "
        "plans a service visit every N months.",
    )
