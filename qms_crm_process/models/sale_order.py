# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qms_installation_ids = fields.One2many(
        "qms.installation", "sale_order_id", string="Installations and Visits"
    )
    qms_installation_count = fields.Integer(compute="_compute_qms_installation_count")

    def _compute_qms_installation_count(self):
        rows = self.env["qms.installation"]._read_group(
            [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
        )
        counts = {order.id: count for order, count in rows}
        for order in self:
            order.qms_installation_count = counts.get(order.id, 0)

    def action_qms_view_installations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Installations and Visits"),
            "res_model": "qms.installation",
            "view_mode": "list,form",
            "domain": [("sale_order_id", "=", self.id)],
            "context": {"default_sale_order_id": self.id},
        }
