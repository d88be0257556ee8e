# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo import Command

from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon


class QmsRecallCommon(QmsCrmCommon):
    """Tracked products, lots in stock and done deliveries to customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.valve = cls.env["product.product"].create(
            {"name": "Pressure valve PV-12", "is_storable": True, "tracking": "lot"}
        )
        cls.sensor = cls.env["product.product"].create(
            {"name": "Sensor S-3", "is_storable": True, "tracking": "serial"}
        )
        cls.cable = cls.env["product.product"].create(
            {"name": "Cable C-1 (no lots)", "is_storable": True}
        )
        cls.lot_bad = cls._lot(cls.valve, "PV-BAD")
        cls.lot_good = cls._lot(cls.valve, "PV-GOOD")
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Gamma Customer", "is_company": True, "email": "gamma@example.com"}
        )

    @classmethod
    def _lot(cls, product, name, qty=100):
        lot = cls.env["stock.lot"].create({"name": name, "product_id": product.id})
        cls.env["stock.quant"]._update_available_quantity(
            product,
            cls.stock_location,
            qty if product.tracking != "serial" else 1,
            lot_id=lot,
        )
        return lot

    @classmethod
    def _stock(cls, product, qty):
        cls.env["stock.quant"]._update_available_quantity(
            product, cls.stock_location, qty
        )

    @classmethod
    def _deliver(cls, partner, items, date=None):
        """Done delivery to partner of items [(product, lot or None, qty)]."""
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": cls.warehouse.out_type_id.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": cls.stock_location.id,
                            "location_dest_id": cls.customer_location.id,
                        }
                    )
                    for product, _lot, qty in items
                ],
            }
        )
        picking.action_confirm()
        for move, (_product, lot, qty) in zip(picking.move_ids, items, strict=True):
            move.move_line_ids.unlink()
            cls.env["stock.move.line"].create(
                move._prepare_move_line_vals(quantity=qty)
                | {"lot_id": lot.id if lot else False, "quantity": qty}
            )
            move.picked = True
        picking._action_done()
        assert picking.state == "done", picking.state
        if date:
            picking.move_ids.move_line_ids.write({"date": date})
            picking.move_ids.write({"date": date})
            picking.write({"date_done": date})
        return picking

    @classmethod
    def _campaign(cls, **vals):
        return cls.env["qms.recall.campaign"].create(
            dict(
                {
                    "title": "Valve seal may crack",
                    "kind": "recall",
                    "reason": "Seals of lot PV-BAD were made of the wrong rubber.",
                    "instructions": "Stop using the valve and isolate it.",
                    "product_ids": [Command.set([cls.valve.id])],
                    "lot_ids": [Command.set([cls.lot_bad.id])],
                },
                **vals,
            )
        )

    @classmethod
    def _notified_campaign(cls, letters=True, **vals):
        """(campaign, notice of customer A, the other notices): a campaign
        scoped, notifying and its notices sent (without the PDF letters when
        ``letters`` is False)."""
        campaign = cls._campaign(**vals)
        campaign.action_scope()
        campaign.action_start_notifying()
        cls.env["qms.recall.line"]._cron_send_notices(letters=letters)
        line_a = campaign.line_ids.filtered(lambda ln: ln.partner_id == cls.customer_a)
        return campaign, line_a, campaign.line_ids - line_a

    @staticmethod
    def _dt(day):
        return datetime(2026, 3, day, 10, 0)
