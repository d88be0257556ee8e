# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .qms_communication_rule import LINE_CHANGES_KEY

WATCHED = ("product_id", "product_uom_qty", "price_unit")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _qms_is_notified_line(self):
        return (
            self.order_id.state == "sale"
            and not self.display_type
            and not self.is_downpayment
            and not getattr(self, "is_delivery", False)
        )

    def _qms_record_change(self, change):
        """Leave the change of a confirmed order's line for the communication
        rules "Order Lines Changed after Confirmation" (8.2.1 b)."""
        changes = self.env.cr.cache.setdefault(LINE_CHANGES_KEY, {})
        changes.setdefault(self.order_id.id, []).append(change)

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        for line in lines:
            if line._qms_is_notified_line():
                line._qms_record_change(
                    {
                        "kind": "added",
                        "product": line.product_id.display_name or line.name,
                        "new_qty": line.product_uom_qty,
                        "new_price": line.price_unit,
                    }
                )
        return lines

    def write(self, vals):
        if not set(WATCHED) & set(vals):
            return super().write(vals)
        before = {
            line.id: (line.product_id, line.product_uom_qty, line.price_unit)
            for line in self
            if line._qms_is_notified_line()
        }
        res = super().write(vals)
        for line in self.filtered(lambda ln: ln.id in before):
            product, qty, price = before[line.id]
            if (product, qty, price) == (
                line.product_id,
                line.product_uom_qty,
                line.price_unit,
            ):
                continue
            line._qms_record_change(
                {
                    "kind": "changed",
                    "product": line.product_id.display_name,
                    "old_product": product.display_name,
                    "old_qty": qty,
                    "new_qty": line.product_uom_qty,
                    "old_price": price,
                    "new_price": line.price_unit,
                }
            )
        return res

    def unlink(self):
        for line in self:
            if line._qms_is_notified_line():
                line._qms_record_change(
                    {
                        "kind": "removed",
                        "product": line.product_id.display_name or line.name,
                        "old_qty": line.product_uom_qty,
                    }
                )
        return super().unlink()
