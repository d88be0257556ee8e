# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Returns reconcile lines; effectiveness; closure rules; exports."""

import csv
import io

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QmsRecallCommon


@tagged("post_install", "-at_install")
class TestRecallReturn(QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pick_a = cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls.pick_b = cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 3)])
        cls.campaign, cls.line_a, cls.line_b = cls._notified_campaign(
            user_id=cls.qms_user.id
        )

    def _receive(self, picking, qty=None):
        if qty is not None:
            picking.move_ids.move_line_ids.quantity = qty
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(picking.state, "done")

    def test_return_picking_of_the_lot_reconciles_the_line(self):
        self.line_a._qms_acknowledge("4", remedy="return")
        action = self.line_a.with_user(self.qms_user).action_create_return()
        ret = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(ret.qms_recall_line_id, self.line_a)
        self.assertEqual(ret.return_id, self.pick_a)
        self.assertEqual(ret.location_id, self.customer_location)
        self.assertEqual(ret.move_ids.move_line_ids.lot_id, self.lot_bad)
        self.assertEqual(ret.move_ids.product_uom_qty, 4)
        with self.assertRaisesRegex(UserError, "already waiting"):
            self.line_a.action_create_return()
        # a partial receipt does not settle the line
        self._receive(ret, qty=3)
        self.assertEqual(self.line_a.qty_returned, 3)
        self.assertEqual(self.line_a.state, "acknowledged")
        # the rest comes back with a second return
        action = self.line_a.action_create_return()
        ret2 = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(ret2.move_ids.product_uom_qty, 1)
        self._receive(ret2)
        self.assertEqual(self.line_a.qty_returned, 4)
        self.assertEqual(self.line_a.state, "returned")
        self.assertEqual(self.campaign.qty_delivered, 8)
        self.assertEqual(self.campaign.qty_recovered, 4)
        self.assertEqual(self.campaign.qty_pct, 50)
        self.assertEqual(self.campaign.ack_pct, 50)
        with self.assertRaisesRegex(UserError, "already settled"):
            self.line_a.action_create_return()

    def test_return_without_acknowledgement_takes_the_delivered_quantity(self):
        action = self.line_b.action_create_return()
        ret = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(ret.move_ids.product_uom_qty, 3)
        self._receive(ret)
        self.assertEqual(self.line_b.state, "returned")

    def test_corrections_need_the_right_remedy(self):
        self.line_a._qms_acknowledge("5", remedy="return")
        with self.assertRaisesRegex(UserError, "return receipt"):
            self.line_a.action_mark_corrected()
        with self.assertRaisesRegex(UserError, "acknowledged lines"):
            self.line_b.action_mark_corrected()
        self.line_b._qms_acknowledge("2", remedy="repair")
        self.line_b.action_mark_corrected()
        self.assertEqual((self.line_b.state, self.line_b.qty_corrected), ("closed", 2))

    def test_closure_needs_monitoring_an_effectiveness_check_and_a_note(self):
        campaign = self.campaign.with_user(self.qms_user)
        with self.assertRaisesRegex(UserError, "in monitoring"):
            campaign.action_close()
        campaign.action_monitor()
        with self.assertRaisesRegex(UserError, "effectiveness"):
            campaign.action_close()
        campaign.effectiveness_checked = True
        with self.assertRaisesRegex(UserError, "effectiveness"):
            campaign.action_close()
        campaign.closing_note = "   "
        with self.assertRaisesRegex(UserError, "effectiveness"):
            campaign.action_close()
        campaign.closing_note = "Both customers notified; 50 % returned, rest scrapped."
        campaign.action_close()
        self.assertEqual(campaign.state, "closed")
        self.assertTrue(campaign.closed_date)
        # closed evidence is frozen; its lines are no longer open to answers
        with self.assertRaisesRegex(UserError, "final evidence"):
            campaign.reason = "Changed afterwards"
        with self.assertRaisesRegex(UserError, "closed"):
            campaign.action_scope()
        with self.assertRaisesRegex(UserError, "no longer open"):
            self.line_a._qms_acknowledge("1", remedy="return")

    def test_effectiveness_report_and_exports(self):
        self.line_a._qms_acknowledge("0")
        report = self.env["qms.recall.report"].search(
            [("campaign_id", "=", self.campaign.id)]
        )
        self.assertEqual(len(report), 2)
        self.assertEqual(sum(report.mapped("notified_count")), 2)
        self.assertEqual(sum(report.mapped("ack_count")), 1)
        data = self.campaign._export_csv().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(data)))
        self.assertEqual(rows[0][0], "Campaign")
        self.assertEqual(len(rows), 3)
        self.assertEqual({r[1] for r in rows[1:]}, {"Alpha Customer", "Beta Customer"})
        action = self.campaign.action_export_csv()
        self.assertIn("/web/content/", action["url"])
        xlsx, fmt = self.env["ir.actions.report"]._render(
            "qms_crm_recall.action_report_recall_xlsx", self.campaign.ids
        )
        self.assertEqual(fmt, "xlsx")
        self.assertTrue(xlsx.startswith(b"PK"))

    def test_access_rights(self):
        stock_user = self.env["res.users"].create(
            {
                "name": "Stock Sam",
                "login": "recall_stock",
                "group_ids": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )
        self.assertTrue(self.campaign.with_user(stock_user).line_ids)
        with self.assertRaises(AccessError):
            self.campaign.with_user(stock_user).write({"title": "x"})
        with self.assertRaises(AccessError):
            self.env["qms.recall.campaign"].with_user(self.employee).search([])
        self.campaign.with_user(self.qms_user).write({"regulator_ref": "FDA-2026-001"})
