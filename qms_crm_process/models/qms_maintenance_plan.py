# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class QmsMaintenancePlan(models.Model):
    """Maintenance of a delivered product every N months: plans the service
    visits (the communication rules on visits remind the customer)."""

    _name = "qms.maintenance.plan"
    _description = "Maintenance Plan"
    _inherit = ["mail.thread"]
    _order = "next_date, id"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    product_id = fields.Many2one("product.product", required=True, tracking=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial")
    sale_order_id = fields.Many2one("sale.order", string="Order")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    interval_months = fields.Integer(string="Every (months)", required=True, default=12)
    next_date = fields.Date(required=True, tracking=True)
    lead_days = fields.Integer(
        string="Plan Visit (days ahead)",
        default=30,
        help="The visit is planned this many days before the due date.",
    )
    installation_ids = fields.One2many(
        "qms.installation", "maintenance_plan_id", string="Visits"
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )

    @api.depends("partner_id", "product_id")
    def _compute_name(self):
        for plan in self:
            product = plan.product_id.display_name or ""
            plan.name = f"{product} – {plan.partner_id.display_name or ''}"

    @api.constrains("interval_months", "lead_days")
    def _check_interval(self):
        for plan in self:
            if plan.interval_months <= 0 or plan.lead_days < 0:
                raise ValidationError(
                    _("A maintenance plan needs a positive interval in months.")
                )

    def _qms_plan_visits(self, today=None):
        """Plan the visit of each plan due within its lead days, and move the
        plan to its next date. Returns the visits created."""
        today = today or fields.Date.context_today(self)
        Visit = self.env["qms.installation"]
        vals_list = []
        for plan in self:
            if plan.next_date - relativedelta(days=plan.lead_days) > today:
                continue
            vals_list.append(
                {
                    "kind": "service",
                    "partner_id": plan.partner_id.id,
                    "sale_order_id": plan.sale_order_id.id,
                    "team_id": plan.team_id.id,
                    "planned_date": datetime.combine(plan.next_date, time(9)),
                    "maintenance_plan_id": plan.id,
                }
            )
            plan.next_date += relativedelta(months=plan.interval_months)
        return Visit.create(vals_list) if vals_list else Visit

    @api.model
    def _cron_qms_maintenance(self, batch_size=500):
        today = fields.Date.context_today(self)
        plans = self.search(
            [("next_date", "<=", today + relativedelta(days=366))],
            limit=batch_size,
        )
        return len(plans._qms_plan_visits(today))
