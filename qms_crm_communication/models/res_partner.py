# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "qms.communication.mixin"]

    def _compute_qms_communication_count(self):
        # a customer's button counts the history of its whole commercial entity
        counts = self.env["qms.communication"]._qms_count_by_customer(self)
        for partner in self:
            partner.qms_communication_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def action_qms_view_communications(self):
        self.ensure_one()
        return self.env["qms.communication"]._qms_action_for_partner(self)
