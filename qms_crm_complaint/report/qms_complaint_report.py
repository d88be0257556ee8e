# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models, tools
from odoo.exceptions import ValidationError

from ..models.helpdesk_ticket import FEEDBACK_CHANNELS, FEEDBACK_KINDS, SEVERITIES


class QmsComplaintReport(models.Model):
    """Complaint analysis: one row per ticket with a feedback kind, read
    straight from the stored, indexed ticket columns (8.2.1 c, 9.1.2)."""

    _name = "qms.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _order = "create_date desc"
    _rec_name = "number"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket", readonly=True)
    number = fields.Char(string="Ticket number", readonly=True)
    create_date = fields.Datetime(string="Received on", readonly=True)
    feedback_kind = fields.Selection(FEEDBACK_KINDS, readonly=True)
    channel = fields.Selection(FEEDBACK_CHANNELS, string="Received via", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    is_complaint = fields.Boolean(readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned user", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", readonly=True)
    root_cause_id = fields.Many2one(
        "qms.complaint.root.cause", string="Root Cause", readonly=True
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", string="Stage", readonly=True)
    closed = fields.Boolean(readonly=True)
    confirmation_state = fields.Selection(
        [
            ("none", "Not Requested"),
            ("pending", "Awaiting Customer"),
            ("confirmed", "Confirmed by Customer"),
            ("rejected", "Rejected by Customer"),
        ],
        string="Customer Confirmation",
        readonly=True,
    )
    ack_hours = fields.Float(
        string="Acknowledgement Time (h)", readonly=True, aggregator="avg"
    )
    resolution_hours = fields.Float(
        string="Resolution Time (h)", readonly=True, aggregator="avg"
    )
    ack_breached = fields.Boolean(string="Acknowledgement Late", readonly=True)
    resolve_breached = fields.Boolean(string="Resolution Late", readonly=True)
    breach_count = fields.Integer(string="Missed Targets", readonly=True)
    compensation_amount = fields.Monetary(
        string="Compensation", readonly=True, currency_field="currency_id"
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    ticket_count = fields.Integer(string="# Tickets", readonly=True)
    repeat_complainer = fields.Boolean(
        compute="_compute_repeat_complainer",
        search="_search_repeat_complainer",
        help="The customer made at least two complaints in the last 12 months.",
    )

    def _compute_repeat_complainer(self):
        repeat = set(self.env["helpdesk.ticket"]._qms_repeat_partner_ids())
        for row in self:
            row.repeat_complainer = row.partner_id.id in repeat

    def _search_repeat_complainer(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on repeat complainers."))
        positive = (operator == "=") == value
        return [
            (
                "partner_id",
                "in" if positive else "not in",
                self.env["helpdesk.ticket"]._qms_repeat_partner_ids(),
            )
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""CREATE OR REPLACE VIEW {self._table} AS
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.number AS number,
                   t.create_date AS create_date,
                   t.qms_feedback_kind AS feedback_kind,
                   t.qms_channel AS channel,
                   t.qms_severity AS severity,
                   t.qms_is_complaint AS is_complaint,
                   t.team_id AS team_id,
                   t.user_id AS user_id,
                   t.commercial_partner_id AS partner_id,
                   t.qms_product_id AS product_id,
                   t.qms_sale_order_id AS sale_order_id,
                   t.qms_root_cause_id AS root_cause_id,
                   t.stage_id AS stage_id,
                   t.closed_date IS NOT NULL AS closed,
                   t.qms_confirmation_state AS confirmation_state,
                   t.qms_ack_hours AS ack_hours,
                   t.qms_resolution_hours AS resolution_hours,
                   COALESCE(t.qms_ack_breached, FALSE) AS ack_breached,
                   COALESCE(t.qms_resolve_breached, FALSE) AS resolve_breached,
                   COALESCE(t.qms_ack_breached, FALSE)::int
                     + COALESCE(t.qms_resolve_breached, FALSE)::int AS breach_count,
                   COALESCE(t.qms_compensation_total, 0) AS compensation_amount,
                   c.currency_id AS currency_id,
                   t.company_id AS company_id,
                   1 AS ticket_count
              FROM helpdesk_ticket t
              JOIN res_company c ON c.id = t.company_id
             WHERE t.qms_feedback_kind IS NOT NULL AND t.active"""
        )
