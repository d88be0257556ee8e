# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recalled component lot is followed into the finished goods made from
it, and to the customers who received those."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.qms_crm_recall.tests.common import QmsRecallCommon


@tagged("post_install", "-at_install")
class TestRecallMrp(QmsRecallCommon):
    @classmethod
    def _produce(cls, finished, finished_lot, qty, components):
        """Done manufacturing order of qty finished (lot finished_lot) from
        components [(product, lot, qty per unit)]."""
        bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": p.id, "product_qty": q})
                    for p, _lot, q in components
                ],
            }
        )
        mo = cls.env["mrp.production"].create(
            {"product_id": finished.id, "product_qty": qty, "bom_id": bom.id}
        )
        mo.action_confirm()
        mo.lot_producing_ids = finished_lot
        for raw, (_product, lot, per_unit) in zip(
            mo.move_raw_ids.sorted(lambda m: m.bom_line_id.id), components, strict=True
        ):
            raw.move_line_ids.unlink()
            cls.env["stock.move.line"].create(
                raw._prepare_move_line_vals(quantity=per_unit * qty)
                | {"lot_id": lot.id if lot else False, "quantity": per_unit * qty}
            )
            raw.picked = True
        mo.button_mark_done()
        assert mo.state == "done", mo.state
        return mo

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pump = cls.env["product.product"].create(
            {"name": "Pump P-100", "is_storable": True, "tracking": "lot"}
        )
        cls.station = cls.env["product.product"].create(
            {"name": "Pumping station PS-1", "is_storable": True, "tracking": "serial"}
        )
        cls.pump_lot = cls.env["stock.lot"].create(
            {"name": "P-100-A", "product_id": cls.pump.id}
        )
        cls.pump_lot_ok = cls.env["stock.lot"].create(
            {"name": "P-100-B", "product_id": cls.pump.id}
        )
        cls.station_sn = cls.env["stock.lot"].create(
            {"name": "PS-1-0001", "product_id": cls.station.id}
        )
        # the recalled valve lot goes into pumps of lot A, good valves into lot B
        cls._produce(cls.pump, cls.pump_lot, 4, [(cls.valve, cls.lot_bad, 1)])
        cls._produce(cls.pump, cls.pump_lot_ok, 4, [(cls.valve, cls.lot_good, 1)])
        # one pump of lot A goes into a pumping station (second level)
        cls._produce(cls.station, cls.station_sn, 1, [(cls.pump, cls.pump_lot, 1)])
        cls.pick_pump = cls._deliver(cls.customer_a, [(cls.pump, cls.pump_lot, 2)])
        cls.pick_ok = cls._deliver(cls.customer_b, [(cls.pump, cls.pump_lot_ok, 2)])
        cls.pick_station = cls._deliver(
            cls.customer_c, [(cls.station, cls.station_sn, 1)]
        )
        cls.pick_valve = cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 1)])

    def test_scope_follows_components_into_finished_goods_recursively(self):
        campaign = self._campaign()
        self.assertEqual(
            campaign._scope_lot_ids(),
            {self.lot_bad.id, self.pump_lot.id, self.station_sn.id},
        )
        campaign.action_scope()
        self.assertEqual(
            {
                (ln.partner_id, ln.picking_id, ln.lot_id, ln.quantity)
                for ln in campaign.line_ids
            },
            {
                (self.customer_a, self.pick_pump, self.pump_lot, 2.0),
                (self.customer_c, self.pick_station, self.station_sn, 1.0),
                (self.customer_b, self.pick_valve, self.lot_bad, 1.0),
            },
        )
        # re-scoping is idempotent through manufacturing too
        campaign.action_scope()
        self.assertEqual(len(campaign.line_ids), 3)

    def test_good_component_lot_reaches_only_its_own_finished_goods(self):
        campaign = self._campaign(lot_ids=[Command.set([self.lot_good.id])])
        campaign.action_scope()
        self.assertEqual(campaign.line_ids.picking_id, self.pick_ok)

    def test_a_move_line_found_by_lot_and_by_product_counts_once(self):
        campaign = self._campaign(
            product_ids=[Command.set([self.valve.id, self.pump.id])]
        )
        campaign.action_scope()
        pump_lines = campaign.line_ids.filtered(lambda ln: ln.product_id == self.pump)
        self.assertEqual(
            {(ln.picking_id, ln.lot_id, ln.quantity) for ln in pump_lines},
            {
                (self.pick_pump, self.pump_lot, 2.0),
                (self.pick_ok, self.pump_lot_ok, 2.0),
            },
        )
