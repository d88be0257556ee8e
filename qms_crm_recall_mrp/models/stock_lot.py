# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

# sub-assembly levels followed downstream
MAX_DEPTH = 10


class StockLot(models.Model):
    _inherit = "stock.lot"

    @api.model
    def _qms_recall_downstream_lot_ids(self, lot_ids):
        """Add the lots of the finished products that consumed a lot in scope
        (and, recursively, of the products made from those)."""
        lots = super()._qms_recall_downstream_lot_ids(lot_ids)
        if not lots:
            return lots
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE chain(lot_id, depth) AS (
                    SELECT unnest(%(lots)s::integer[]), 0
                    UNION
                    SELECT produced.lot_id, chain.depth + 1
                      FROM chain
                      JOIN stock_move_line consumed
                        ON consumed.lot_id = chain.lot_id AND consumed.state = 'done'
                      -- stock.move.line.consume_line_ids of a produced line:
                      -- column consume_line_id holds the produced line,
                      -- produce_line_id the consumed one
                      JOIN stock_move_line_consume_rel rel
                        ON rel.produce_line_id = consumed.id
                      JOIN stock_move_line produced
                        ON produced.id = rel.consume_line_id
                       AND produced.state = 'done' AND produced.lot_id IS NOT NULL
                     WHERE chain.depth < %(depth)s
                )
                SELECT DISTINCT lot_id FROM chain
                """,
                lots=sorted(lots),
                depth=MAX_DEPTH,
            )
        )
        return lots | {row[0] for row in self.env.cr.fetchall()}
