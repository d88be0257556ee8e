# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    qms_recall_line_id = fields.Many2one(
        "qms.recall.line",
        string="Recall Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The recall campaign line this return belongs to.",
    )

    def _action_done(self):
        res = super()._action_done()
        self.filtered("qms_recall_line_id").qms_recall_line_id._qms_reconcile_returns()
        return res
