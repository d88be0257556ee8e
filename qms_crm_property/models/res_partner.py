# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_property_count = fields.Integer(
        compute="_compute_qms_property_count",
        string="Property",
        groups="base.group_user",
    )

    @api.depends_context("uid")
    def _compute_qms_property_count(self):
        counts = self._qms_count_per_customer("qms.property")
        for partner in self:
            partner.qms_property_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_qms_view_property(self):
        return self._qms_action("qms_crm_property.qms_property_action")
