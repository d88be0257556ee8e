# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )._qms_start_after_sales()
        return res

    def _qms_start_after_sales(self):
        """Warranties per lot/serial delivered and maintenance plans for the
        products that need maintenance (one per lot, or per product and
        delivery when not tracked)."""
        warranties, plans = [], []
        for picking in self:
            customer = picking.partner_id.commercial_partner_id
            if not customer:
                continue
            day = fields.Date.context_today(picking, picking.date_done)
            order = picking.sale_id
            for line in picking.move_line_ids.filtered(lambda ml: ml.quantity > 0):
                product = line.product_id
                tmpl = product.product_tmpl_id
                if tmpl.qms_warranty_months:
                    warranties.append(
                        {
                            "partner_id": customer.id,
                            "product_id": product.id,
                            "lot_id": line.lot_id.id,
                            "move_line_id": line.id,
                            "sale_order_id": order.id,
                            "date_start": day,
                            "months": tmpl.qms_warranty_months,
                            "company_id": picking.company_id.id,
                        }
                    )
                if tmpl.qms_maintenance_months:
                    plans.append(
                        {
                            "partner_id": customer.id,
                            "product_id": product.id,
                            "lot_id": line.lot_id.id,
                            "sale_order_id": order.id,
                            "team_id": order.team_id.id,
                            "interval_months": tmpl.qms_maintenance_months,
                            "next_date": day
                            + relativedelta(months=tmpl.qms_maintenance_months),
                            "company_id": picking.company_id.id,
                        }
                    )
        if warranties:
            self.env["qms.warranty"].sudo().create(warranties)
        if plans:
            self.env["qms.maintenance.plan"].sudo().create(plans)
