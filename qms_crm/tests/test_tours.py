# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The main flows of qms_crm, clicked through in a real browser."""

from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from odoo.addons.qms_crm_evidence.tests.common_tour import QmsTourCase


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
            groups="qms_crm_evidence.group_qms_manager,sales_team.group_sale_manager,"
            "stock.group_stock_user,helpdesk_mgmt.group_helpdesk_manager",
            name="Tessa Tour",
            email="tessa@example.com",
        )
        cls.portal = new_test_user(
            cls.env,
            "qms_tour_portal",
            groups="base.group_portal",
            name="Paula Portal",
            email="paula@example.com",
        )
        cls.portal.partner_id.parent_id = cls.customer

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

    def test_portal_complaint_then_playbook_tours(self):
        order = self.env["sale.order"].create(
            {
                "name": "QMS-TOUR-CPL",
                "partner_id": self.customer.id,
                "user_id": self.manager.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        self.start_tour(
            "/new/ticket", "qms_portal_complaint_tour", login="qms_tour_portal"
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Pump arrived with a cracked housing")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.qms_feedback_kind, "complaint")
        self.assertEqual(ticket.qms_sale_order_id, order)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertTrue(ticket.qms_ack_deadline)

        self.start_tour(
            "/odoo/action-qms_crm_complaint.helpdesk_ticket_action_complaints",
            "qms_complaint_playbook_tour",
            login="qms_tour_manager",
        )
        self.env.invalidate_all()
        self.assertTrue(ticket.closed)
        self.assertEqual(ticket.qms_acknowledged_uid, self.manager)
        self.assertTrue(ticket.qms_apologised_date)
        self.assertTrue(ticket.qms_resolved_date)
        self.assertEqual(
            ticket.qms_root_cause_id,
            self.env.ref("qms_crm_complaint.root_cause_product_defect"),
        )
        self.assertIn("Replacement pump", ticket.qms_resolution)
        self.assertEqual(ticket.qms_confirmation_state, "pending")

    def test_management_review_prepared_approved_and_printed(self):
        Report = type(self.env["ir.actions.report"])
        original = Report._render_qweb_pdf
        printed = []

        def render(report, report_ref, res_ids=None, data=None):
            result = original(report, report_ref, res_ids=res_ids, data=data)
            printed.append((report_ref, list(res_ids or []), result[0]))
            return result

        with patch.object(Report, "_render_qweb_pdf", render):
            self.start_tour(
                "/odoo/action-qms_crm_evidence.qms_management_review_action",
                "qms_management_review_tour",
                login="qms_tour_manager",
            )
        review = self.env["qms.management.review"].search(
            [("name", "=", "Tour quarterly review")]
        )
        self.assertEqual(review.state, "approved")
        self.assertTrue(review.figure_ids)
        self.assertEqual(review.approved_uid, self.manager)
        # under test, Odoo renders the HTML of a PDF report (no wkhtmltopdf)
        self.assertEqual(
            [(ref, ids) for ref, ids, _content in printed],
            [("qms_crm_evidence.report_management_review", review.ids)],
        )
        self.assertIn(b"Tour quarterly review", printed[0][2])
