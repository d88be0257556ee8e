# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scoping a campaign: who received what, when (ISO 9001 8.2.1 e, 8.7.1 c)."""

from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones

from .common import QmsRecallCommon


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestRecallScope(QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recall_contact = cls.env["res.partner"].create(
            {
                "name": "Rita Recall",
                "parent_id": cls.customer_a.id,
                "email": "rita@example.com",
            }
        )
        cls.customer_a.qms_recall_contact_id = cls.recall_contact
        cls.b_delivery = cls.env["res.partner"].create(
            {
                "name": "Beta Warehouse",
                "parent_id": cls.customer_b.id,
                "type": "delivery",
                "email": "wh@beta.example.com",
            }
        )
        cls.pick_a = cls._deliver(
            cls.customer_a,
            [(cls.valve, cls.lot_bad, 5), (cls.cable, None, 2)],
            cls._dt(1),
        )
        cls.pick_b = cls._deliver(
            cls.b_delivery, [(cls.valve, cls.lot_bad, 3)], cls._dt(10)
        )
        cls.pick_c = cls._deliver(
            cls.customer_c, [(cls.valve, cls.lot_good, 7)], cls._dt(20)
        )

    def _keys(self, lines):
        return {
            (line.partner_id, line.picking_id, line.lot_id, line.quantity)
            for line in lines
        }

    def test_scope_by_lot_finds_each_customer_delivery_and_contact(self):
        campaign = self._campaign()
        campaign.action_scope()
        self.assertEqual(campaign.state, "scoped")
        self.assertEqual(
            self._keys(campaign.line_ids),
            {
                (self.customer_a, self.pick_a, self.lot_bad, 5.0),
                (self.customer_b, self.pick_b, self.lot_bad, 3.0),
            },
        )
        line_a = campaign.line_ids.filtered(lambda ln: ln.partner_id == self.customer_a)
        line_b = campaign.line_ids - line_a
        # the safety/recall contact wins, then the delivery address
        self.assertEqual(line_a.contact_id, self.recall_contact)
        self.assertEqual(line_b.contact_id, self.b_delivery)
        self.assertEqual(line_a.delivery_date, self._dt(1))
        self.assertTrue(line_a.access_token)
        self.assertNotEqual(line_a.access_token, line_b.access_token)
        self.assertEqual(campaign.partner_count, 2)
        self.assertEqual(campaign.qty_delivered, 8)

    def test_commercial_partner_is_the_contact_without_recall_contact_or_address(self):
        campaign = self._campaign(lot_ids=[Command.set([self.lot_good.id])])
        campaign.action_scope()
        self.assertEqual(campaign.line_ids.contact_id, self.customer_c)

    def test_scope_by_serial_number(self):
        sn1 = self._lot(self.sensor, "SN-0001")
        sn2 = self._lot(self.sensor, "SN-0002")
        pick1 = self._deliver(self.customer_a, [(self.sensor, sn1, 1)])
        self._deliver(self.customer_b, [(self.sensor, sn2, 1)])
        campaign = self._campaign(
            product_ids=[Command.set([self.sensor.id])], lot_ids=[Command.set([sn1.id])]
        )
        campaign.action_scope()
        self.assertEqual(
            self._keys(campaign.line_ids), {(self.customer_a, pick1, sn1, 1.0)}
        )

    def test_scope_by_delivery_date_range_for_products_without_lots(self):
        self._stock(self.cable, 50)
        pick_10 = self._deliver(self.customer_b, [(self.cable, None, 4)], self._dt(10))
        self._deliver(self.customer_c, [(self.cable, None, 6)], self._dt(25))
        campaign = self._campaign(
            product_ids=[Command.set([self.cable.id])],
            lot_ids=[Command.clear()],
            date_from=date(2026, 3, 5),
            date_to=date(2026, 3, 20),
        )
        campaign.action_scope()
        self.assertEqual(
            self._keys(campaign.line_ids),
            {(self.customer_b, pick_10, self.env["stock.lot"], 4.0)},
        )
        # the end date is inclusive
        campaign.date_to = date(2026, 3, 10)
        campaign.action_scope()
        self.assertEqual(len(campaign.line_ids), 1)

    def test_returns_and_internal_moves_are_not_deliveries(self):
        # a receipt of the lot back from the customer goes to stock, not to a customer
        self.env["stock.quant"]._update_available_quantity(
            self.valve, self.customer_location, 1, lot_id=self.lot_bad
        )
        back = self.env["stock.picking"].create(
            {
                "partner_id": self.customer_a.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.customer_location.id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.valve.id,
                            "product_uom_qty": 1,
                            "product_uom": self.valve.uom_id.id,
                            "location_id": self.customer_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        back.action_confirm()
        back.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            back.move_ids._prepare_move_line_vals(quantity=1)
            | {"lot_id": self.lot_bad.id, "quantity": 1}
        )
        back.move_ids.picked = True
        back._action_done()
        campaign = self._campaign()
        campaign.action_scope()
        self.assertNotIn(back, campaign.line_ids.picking_id)
        self.assertEqual(len(campaign.line_ids), 2)

    def test_scope_services_by_sale_and_invoice_date(self):
        service = self.env["product.product"].create(
            {"name": "Calibration service", "type": "service", "list_price": 80}
        )
        order_in = self.env["sale.order"].create(
            {
                "partner_id": self.customer_a.id,
                "date_order": self._dt(10),
                "order_line": [
                    Command.create({"product_id": service.id, "product_uom_qty": 2})
                ],
            }
        )
        order_out = self.env["sale.order"].create(
            {
                "partner_id": self.customer_b.id,
                "date_order": self._dt(28),
                "order_line": [
                    Command.create({"product_id": service.id, "product_uom_qty": 1})
                ],
            }
        )
        (order_in | order_out).action_confirm()
        (order_in | order_out).write({"date_order": self._dt(10)})
        order_out.date_order = self._dt(28)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_c.id,
                "invoice_date": date(2026, 3, 12),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": service.id, "quantity": 3, "price_unit": 80}
                    )
                ],
            }
        )
        invoice.action_post()
        campaign = self._campaign(
            kind="nonconforming",
            product_ids=[Command.set([service.id])],
            lot_ids=[Command.clear()],
            date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 20),
        )
        campaign.action_scope()
        self.assertEqual(
            {
                (
                    ln.partner_id,
                    ln.sale_line_id,
                    ln.invoice_line_id.move_id,
                    ln.quantity,
                )
                for ln in campaign.line_ids
            },
            {
                (self.customer_a, order_in.order_line, self.env["account.move"], 2.0),
                (self.customer_c, self.env["sale.order.line"], invoice, 3.0),
            },
        )

    def test_rescope_adds_new_lines_and_keeps_notified_ones(self):
        campaign = self._campaign()
        campaign.action_scope()
        first = campaign.line_ids
        first.write({"state": "notified", "notified_date": self._dt(15)})
        campaign.action_scope()
        self.assertEqual(campaign.line_ids, first, "re-scoping duplicated lines")
        # a new delivery of the lot shows up after the first scope
        late = self._deliver(self.customer_c, [(self.valve, self.lot_bad, 2)])
        campaign.action_scope()
        new = campaign.line_ids - first
        self.assertEqual(self._keys(new), {(self.customer_c, late, self.lot_bad, 2.0)})
        self.assertEqual(new.state, "to_notify")
        self.assertEqual(set(first.mapped("state")), {"notified"})
        self.assertEqual(first.mapped("notified_date"), [self._dt(15)] * 2)

    @mute_logger("odoo.sql_db")
    def test_a_line_cannot_be_duplicated_nor_deleted(self):
        campaign = self._campaign()
        campaign.action_scope()
        line = campaign.line_ids[0]
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["qms.recall.line"].create(
                {
                    "campaign_id": campaign.id,
                    "partner_id": line.partner_id.id,
                    "contact_id": line.contact_id.id,
                    "picking_id": line.picking_id.id,
                    "lot_id": line.lot_id.id,
                    "product_id": line.product_id.id,
                }
            )
        with self.assertRaises(UserError):
            campaign.unlink()

    def test_scope_errors(self):
        campaign = self._campaign(
            product_ids=[Command.clear()], lot_ids=[Command.clear()]
        )
        with self.assertRaisesRegex(UserError, "no products"):
            campaign.action_scope()
        with self.assertRaisesRegex(ValidationError, "not in the campaign"):
            self._campaign(product_ids=[Command.set([self.cable.id])])
        with self.assertRaisesRegex(ValidationError, "date range"):
            self._campaign(date_from=date(2026, 3, 5), date_to=date(2026, 3, 1))

    def test_campaign_is_evidence_of_8_2_1_e_and_8_7_1_c(self):
        campaign = self._campaign()
        self.assertEqual(
            set(campaign.qms_clause_ids.mapped("code")), {"8.2.1 e)", "8.7.1 c)"}
        )
        self.assertTrue(campaign.name.startswith("RCL/"))

    def test_the_lot_index_exists(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'qms_recall_stock_move_line_lot_id_idx'"
        )
        (indexdef,) = self.env.cr.fetchone()
        self.assertIn("stock_move_line", indexdef)
        self.assertIn("(lot_id)", indexdef)
