# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    qms_communication_count = fields.Integer(
        compute="_compute_qms_communication_count", string="Communications"
    )

    def _compute_qms_communication_count(self):
        counts = self.env["qms.communication"]._qms_count_by_document(self)
        for picking in self:
            picking.qms_communication_count = counts.get(picking.id, 0)

    def action_qms_view_communications(self):
        self.ensure_one()
        return self.env["qms.communication"]._qms_action_for_document(self)
