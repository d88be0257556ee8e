# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The main flows of qms_crm, clicked through in a real browser."""

from odoo.tests import new_test_user, tagged

from .common_tour import QmsTourCase


@tagged("post_install", "-at_install")
class TestQmsCrmTours(QmsTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("qms_crm.gate_mode", "block")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "QMS Tour Customer",
                "is_company": True,
                "email": "tour.customer@example.com",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "QMS Tour Pump", "type": "consu", "list_price": 120.0}
        )
        cls.manager = new_test_user(
            cls.env,
            "qms_tour_manager",
            groups="qms_crm.group_qms_manager,sales_team.group_sale_manager,"
            "stock.group_stock_user,helpdesk_mgmt.group_helpdesk_manager",
            name="Tessa Tour",
            email="tessa@example.com",
        )

    def test_requirement_review_gate_tour(self):
        order = self.env["sale.order"].create(
            {
                "name": "QMS-TOUR-GATE",
                "partner_id": self.customer.id,
                "user_id": self.manager.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 3})
                ],
            }
        )
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "qms_requirement_gate_tour",
            login="qms_tour_manager",
        )
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.qms_confirmed_without_review)
        requirement = self.env["qms.requirement"].search([("order_id", "=", order.id)])
        self.assertEqual(requirement.name, "Delivery within 5 working days")
        self.assertEqual(requirement.state, "accepted")
        review = self.env["qms.requirement.review"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.line_ids.can_meet, "yes")
