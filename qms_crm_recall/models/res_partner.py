# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_recall_contact_id = fields.Many2one(
        "res.partner",
        string="Safety/Recall Contact",
        domain="[('parent_id', '=', id)]",
        help="Contact person of this customer who receives recall and field "
        "safety notices (ISO 9001 8.2.1 e). When empty, notices go to the "
        "delivery address, else to the company itself.",
    )
