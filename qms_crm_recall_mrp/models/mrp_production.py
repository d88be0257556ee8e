# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _qms_recall_mrp_demo(self):
        """A recalled valve lot built into water heaters delivered to five
        customers; two acknowledged, one return received."""
        env = self.env
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        stock = warehouse.lot_stock_id
        customers_loc = env.ref("stock.stock_location_customers")
        valve = env["product.product"].create(
            {
                "name": "Pressure relief valve PV-12",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        heater = env["product.product"].create(
            {"name": "Water heater WH-50", "is_storable": True, "tracking": "lot"}
        )
        valve_lot = env["stock.lot"].create(
            {"name": "PV-2026-114", "product_id": valve.id}
        )
        heater_lot = env["stock.lot"].create(
            {"name": "WH-2026-07", "product_id": heater.id}
        )
        env["stock.quant"]._update_available_quantity(
            valve, stock, 20, lot_id=valve_lot
        )
        bom = env["mrp.bom"].create(
            {
                "product_tmpl_id": heater.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": valve.id, "product_qty": 1})
                ],
            }
        )
        mo = env["mrp.production"].create(
            {"product_id": heater.id, "product_qty": 10, "bom_id": bom.id}
        )
        mo.action_confirm()
        mo.lot_producing_ids = heater_lot
        raw = mo.move_raw_ids
        raw.move_line_ids.unlink()
        env["stock.move.line"].create(
            raw._prepare_move_line_vals(quantity=10)
            | {"lot_id": valve_lot.id, "quantity": 10}
        )
        raw.picked = True
        mo.button_mark_done()
        customers = env["res.partner"].browse(
            [
                env.ref(xmlid).id
                for xmlid in (
                    "base.res_partner_1",
                    "base.res_partner_2",
                    "base.res_partner_3",
                    "base.res_partner_4",
                    "base.res_partner_12",
                )
            ]
        )
        for customer in customers:
            picking = env["stock.picking"].create(
                {
                    "partner_id": customer.id,
                    "picking_type_id": warehouse.out_type_id.id,
                    "location_id": stock.id,
                    "location_dest_id": customers_loc.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": heater.id,
                                "product_uom_qty": 2,
                                "product_uom": heater.uom_id.id,
                                "location_id": stock.id,
                                "location_dest_id": customers_loc.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            move = picking.move_ids
            move.move_line_ids.unlink()
            env["stock.move.line"].create(
                move._prepare_move_line_vals(quantity=2)
                | {"lot_id": heater_lot.id, "quantity": 2}
            )
            move.picked = True
            picking._action_done()
        campaign = env["qms.recall.campaign"].create(
            {
                "title": "Recall of water heaters WH-50 fitted with valve lot "
                "PV-2026-114",
                "kind": "recall",
                "hazard_class": "class_2",
                "reason": "Relief valves of lot PV-2026-114 may open late: the tank "
                "can overheat.",
                "instructions": "Switch the heater off and tell us how many you hold; "
                "we take them back or replace the valve on site.",
                "regulator_ref": "RS-2026-0042",
                "user_id": env.ref("base.user_admin").id,
                "product_ids": [Command.set([valve.id])],
                "lot_ids": [Command.set([valve_lot.id])],
            }
        )
        env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": "qms_crm_recall_mrp.demo_campaign_water_heaters",
                    "record": campaign,
                    "noupdate": True,
                }
            ]
        )
        campaign.action_scope()
        campaign.action_start_notifying()
        # installed without an HTTP server for wkhtmltopdf: notices without
        # their PDF letter (the documented install-time path, no context key)
        env["qms.recall.line"]._cron_send_notices(letters=False)
        lines = campaign.line_ids.sorted("id")
        lines[0]._qms_acknowledge(
            "2", remedy="return", note="Both units are in our store."
        )
        lines[1]._qms_acknowledge("0", note="Already replaced by our installer.")
        action = lines[0].action_create_return()
        ret = env["stock.picking"].browse(action["res_id"])
        ret.move_ids.picked = True
        ret._action_done()
        return campaign
