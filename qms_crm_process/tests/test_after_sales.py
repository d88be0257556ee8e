# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import QmsProcessCommon


@tagged("post_install", "-at_install")
class TestAfterSales(QmsProcessCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.window = cls.env["product.product"].create(
            {
                "name": "Window 1200x1400",
                "is_storable": True,
                "tracking": "serial",
                "qms_warranty_months": 60,
                "qms_maintenance_months": 12,
            }
        )

    def _deliver(self):
        order = self._order(
            order_line=[(0, 0, {"product_id": self.window.id, "product_uom_qty": 2})]
        )
        order.action_confirm()
        picking = order.picking_ids
        lots = self.env["stock.lot"].create(
            [{"name": f"SN-{i}", "product_id": self.window.id} for i in (1, 2)]
        )
        location = picking.location_id
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                self.window, location, 1, lot_id=lot
            )
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return order, lots

    def test_warranty_per_serial_and_maintenance_plan(self):
        order, lots = self._deliver()
        warranties = self.env["qms.warranty"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(warranties.lot_id, lots)
        today = fields.Date.context_today(warranties[0])
        self.assertEqual(
            set(warranties.mapped("date_end")), {today + relativedelta(months=60)}
        )
        self.assertTrue(all(warranties.mapped("in_warranty")))
        plans = self.env["qms.maintenance.plan"].search(
            [("sale_order_id", "=", order.id)]
        )
        self.assertEqual(len(plans), 2)
        self.assertEqual(
            set(plans.mapped("next_date")), {today + relativedelta(months=12)}
        )

    def test_maintenance_plan_creates_visits_and_reminds(self):
        plan = self.env["qms.maintenance.plan"].create(
            {
                "partner_id": self.customer_a.id,
                "product_id": self.window.id,
                "interval_months": 6,
                "next_date": date(2027, 1, 10),
                "lead_days": 30,
            }
        )
        self.assertFalse(plan._qms_plan_visits(today=date(2026, 12, 1)))
        visits = plan._qms_plan_visits(today=date(2026, 12, 15))
        self.assertEqual(visits.kind, "service")
        self.assertEqual(visits.partner_id, self.customer_a)
        self.assertEqual(plan.next_date, date(2027, 7, 10))
        # the rule switched on by the template told the customer
        comms = self.env["qms.communication"].search(
            [("res_model", "=", "qms.installation"), ("res_id", "=", visits.id)]
        )
        self.assertEqual(len(comms), 1)
        self.assertEqual(comms.partner_id, self.customer_a)

    def test_customer_360_shows_warranties_and_visits(self):
        self._deliver()
        html = str(self.customer_a.qms_customer_360_html)
        self.assertIn("Warranty and Maintenance", html)
        self.assertIn("SN-1", html)
