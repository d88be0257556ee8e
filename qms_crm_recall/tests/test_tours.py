# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall campaign scoped, notified and acknowledged, in a real browser."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.qms_crm_evidence.tests.common_tour import QmsTourCase


@tagged("post_install", "-at_install")
class TestQmsRecallTours(QmsTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "qms_tour_recall_manager",
            groups="qms_crm_evidence.group_qms_manager,stock.group_stock_user,"
            "sales_team.group_sale_salesman_all_leads",
            name="Rita Recall",
            email="rita@example.com",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "QMS Recall Customer",
                "is_company": True,
                "email": "recall.customer@example.com",
            }
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        stock = warehouse.lot_stock_id
        customers = cls.env.ref("stock.stock_location_customers")
        cls.valve = cls.env["product.product"].create(
            {"name": "Tour valve TV-1", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "TOUR-LOT-7", "product_id": cls.valve.id}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.valve, stock, 10, lot_id=cls.lot
        )
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": cls.customer.id,
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": cls.valve.id,
                            "product_uom_qty": 6,
                            "product_uom": cls.valve.uom_id.id,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            move._prepare_move_line_vals(quantity=6)
            | {"lot_id": cls.lot.id, "quantity": 6}
        )
        move.picked = True
        picking._action_done()
        cls.picking = picking

    def test_recall_scoped_notified_and_acknowledged(self):
        campaign = self.env["qms.recall.campaign"].create(
            {
                "title": "Tour valve seal may crack",
                "kind": "recall",
                "reason": "Seals of lot TOUR-LOT-7 were made of the wrong rubber.",
                "instructions": "Stop using the valve and isolate it.",
                "product_ids": [Command.set(self.valve.ids)],
                "lot_ids": [Command.set(self.lot.ids)],
                "user_id": self.manager.id,
            }
        )
        self.start_tour(
            f"/odoo/action-qms_crm_recall.action_qms_recall_campaign/{campaign.id}",
            "qms_recall_campaign_tour",
            login="qms_tour_recall_manager",
        )
        self.env.invalidate_all()
        self.assertEqual(campaign.state, "notifying")
        line = campaign.line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.picking_id, self.picking)
        # the sending job the button triggered (crons do not run in tests)
        self.assertEqual(self.env["qms.recall.line"]._cron_send_notices(), 1)
        self.assertTrue(line.notified_date)
        self.assertTrue(line.access_token)

        self.start_tour(line.get_portal_url(), "qms_recall_ack_tour")
        self.env.invalidate_all()
        self.assertEqual(line.state, "acknowledged")
        self.assertEqual(line.ack_qty_on_hand, 4)
        self.assertEqual(line.remedy, "return")
        self.assertIn("store room", line.ack_note)
