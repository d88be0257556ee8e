# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools

from ..models.qms_recall_campaign import KINDS
from ..models.qms_recall_line import LINE_STATES


class QmsRecallReport(models.Model):
    """Effectiveness of recall campaigns, one row per line, dated by when it
    was scoped, notified and acknowledged: graph it per campaign and over
    time."""

    _name = "qms.recall.report"
    _description = "Recall Effectiveness Report"
    _auto = False
    _rec_name = "campaign_id"
    _order = "scope_date desc"
    _depends = {
        "qms.recall.line": [
            "campaign_id",
            "partner_id",
            "product_id",
            "lot_id",
            "state",
            "notified_date",
            "ack_date",
            "quantity",
            "qty_returned",
            "qty_corrected",
        ],
        "qms.recall.campaign": ["kind", "company_id"],
    }

    campaign_id = fields.Many2one("qms.recall.campaign", readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot / Serial", readonly=True)
    state = fields.Selection(LINE_STATES, readonly=True)
    scope_date = fields.Datetime(string="Scoped On", readonly=True)
    notified_date = fields.Datetime(string="Notified On", readonly=True)
    ack_date = fields.Datetime(string="Acknowledged On", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    notified_count = fields.Integer(string="Notified", readonly=True)
    ack_count = fields.Integer(string="Acknowledged", readonly=True)
    quantity = fields.Float(string="Quantity Affected", readonly=True)
    qty_recovered = fields.Float(string="Quantity Returned or Corrected", readonly=True)
    days_to_ack = fields.Float(
        string="Days to Acknowledge", readonly=True, aggregator="avg"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT l.id, l.campaign_id, c.kind, c.company_id, l.partner_id,
                       l.product_id, l.lot_id, l.state,
                       l.create_date AS scope_date, l.notified_date, l.ack_date,
                       1 AS line_count,
                       CASE WHEN l.notified_date IS NOT NULL THEN 1 ELSE 0 END
                           AS notified_count,
                       CASE WHEN l.ack_date IS NOT NULL THEN 1 ELSE 0 END AS ack_count,
                       l.quantity,
                       LEAST(l.quantity, COALESCE(l.qty_returned, 0)
                             + COALESCE(l.qty_corrected, 0)) AS qty_recovered,
                       EXTRACT(EPOCH FROM (l.ack_date - l.notified_date)) / 86400.0
                           AS days_to_ack
                  FROM qms_recall_line l
                  JOIN qms_recall_campaign c ON c.id = l.campaign_id
            )
            """
        )
