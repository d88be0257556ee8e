# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_property_count = fields.Integer(
        compute="_compute_qms_property_count", string="Property"
    )

    @api.depends_context("uid")
    def _compute_qms_property_count(self):
        Property = self.env["qms.property"]
        per = {}
        if Property.has_access("read"):
            for partner, count in Property._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            ):
                cid = partner.commercial_partner_id.id
                per[cid] = per.get(cid, 0) + count
        for partner in self:
            partner.qms_property_count = per.get(partner.commercial_partner_id.id, 0)

    def action_qms_view_property(self):
        return self._qms_action("qms_crm_property.qms_property_action")
