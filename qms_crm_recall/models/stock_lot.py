# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    @api.model
    def _qms_recall_downstream_lot_ids(self, lot_ids):
        """Ids of the lots that carry the given lots (a set of ids) to
        customers: the lots themselves. qms_crm_recall_mrp adds the lots of
        the finished goods that consumed them."""
        return set(lot_ids)
