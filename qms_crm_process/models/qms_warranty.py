# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class QmsWarranty(models.Model):
    """The warranty of one lot or serial number delivered to a customer."""

    _name = "qms.warranty"
    _description = "Warranty"
    _order = "date_end desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", readonly=True, index=True
    )
    move_line_id = fields.Many2one(
        "stock.move.line", string="Delivered in", readonly=True, ondelete="set null"
    )
    sale_order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    date_start = fields.Date(string="Delivered on", required=True, readonly=True)
    months = fields.Integer(readonly=True)
    date_end = fields.Date(
        string="Warranty Ends", compute="_compute_date_end", store=True
    )
    in_warranty = fields.Boolean(
        compute="_compute_in_warranty", search="_search_in_warranty"
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )

    @api.depends("date_start", "months")
    def _compute_date_end(self):
        for warranty in self:
            warranty.date_end = (
                warranty.date_start
                and warranty.date_start + relativedelta(months=warranty.months)
            )

    def _compute_in_warranty(self):
        today = fields.Date.context_today(self)
        for warranty in self:
            warranty.in_warranty = bool(
                warranty.date_end and warranty.date_end >= today
            )

    def _search_in_warranty(self, operator, value):
        today = fields.Date.context_today(self)
        positive = (operator == "=") == bool(value)
        return [("date_end", ">=" if positive else "<", today)]
