# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo data tells the story the foundation promises (make test installs
the addons with demo data)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.qms_crm_requirement.models.qms_requirement import CATEGORIES


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    def setUp(self):
        super().setUp()
        if not self.env.ref("qms_crm.demo_partner_northwind", raise_if_not_found=False):
            self.skipTest("database without demo data")

    def test_three_customers_with_requirements_of_every_category(self):
        customers = (
            self.env.ref("qms_crm.demo_partner_northwind")
            | self.env.ref("qms_crm.demo_partner_baltic")
            | self.env.ref("qms_crm.demo_partner_sibirsk")
        )
        reqs = self.env["qms.requirement"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(reqs.partner_id, customers)
        self.assertEqual(
            set(reqs.mapped("category")), {code for code, _label in CATEGORIES}
        )

    def test_one_approved_review_with_confirmed_order_and_one_pending(self):
        approved = self.env.ref("qms_crm.demo_review_northwind")
        pending = self.env.ref("qms_crm.demo_review_baltic")
        self.assertEqual(approved.state, "approved")
        self.assertEqual(self.env.ref("qms_crm.demo_order_northwind").state, "sale")
        self.assertEqual(pending.state, "draft")
        self.assertTrue(pending.open_line_count)
        self.assertTrue(self.env.ref("qms_crm.demo_order_baltic").qms_gate_blocked)
        labels = self.env.ref("qms_crm.demo_req_baltic_labels")
        self.assertEqual(labels.confirmation_state, "pending")
        self.assertTrue(labels.access_token)

    def test_requirement_change_is_half_acknowledged(self):
        req = self.env.ref("qms_crm.demo_req_northwind_delivery")
        self.assertEqual(req.version, 2)
        version = req.version_ids.filtered(lambda v: v.number == 2)
        self.assertEqual(sorted(version.ack_ids.mapped("state")), ["done", "pending"])
        done = version.ack_ids.filtered(lambda a: a.state == "done")
        self.assertEqual(done.user_id, self.env.ref("base.user_demo"))
        # acknowledged through the user's own action: their activity is done
        self.assertFalse(done.activity_id.active)
        self.assertEqual(
            self.env.ref("qms_crm.demo_order_northwind").qms_unack_change_count, 1
        )

    def test_risks_with_levels_and_an_overdue_review_activity(self):
        risks = self.env["qms.customer.risk"].search(
            [
                (
                    "partner_id.name",
                    "in",
                    ["Northwind Medical Devices", "Baltic Rail Components"],
                )
            ]
        )
        self.assertGreaterEqual(len(set(risks.mapped("level"))), 2)
        overdue = self.env.ref("qms_crm.demo_risk_baltic_temperature")
        self.assertTrue(overdue.review_overdue)
        self.assertTrue(
            overdue.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref(
                        "qms_crm_requirement.mail_activity_type_risk_review"
                    )
                )
            )
        )


@tagged("post_install", "-at_install")
class TestPropertyDemo(TransactionCase):
    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "qms_crm.demo_property_mould_main", raise_if_not_found=False
        ):
            self.skipTest("database without demo data")

    def test_customer_tooling_in_our_warehouse_one_damaged_and_notified(self):
        northwind = self.env.ref("qms_crm.demo_partner_northwind")
        main = self.env.ref("qms_crm.demo_property_mould_main")
        spare = self.env.ref("qms_crm.demo_property_mould_spare")
        self.assertEqual(main.partner_id, northwind)
        self.assertEqual(
            main.location_id.warehouse_id, self.env.ref("stock.warehouse0")
        )
        self.assertEqual(main.stock_quantity, 2)
        self.assertEqual(main.quant_ids.owner_id, northwind)
        self.assertEqual(spare.state, "damaged")
        incident = self.env.ref("qms_crm.demo_property_incident_mould")
        self.assertEqual(incident.state, "notified")
        self.assertEqual(incident.notified_how, "email")
        self.assertTrue(
            incident.message_ids.filtered(lambda m: northwind in m.partner_ids)
        )

    def test_personal_data_set_export_and_refused_erasure(self):
        badges = self.env.ref("qms_crm.demo_property_badge_list")
        self.assertEqual(badges.kind, "personal_data")
        export = self.env.ref("qms_crm.demo_data_request_export")
        self.assertEqual(export.kind, "access")
        self.assertTrue(export.export_attachment_id)
        erasure = self.env.ref("qms_crm.demo_data_request_erasure")
        self.assertEqual(erasure.kind, "erasure")
        self.assertEqual(erasure.state, "refused")
        self.assertIn(
            self.env.ref("qms_crm.demo_order_erasure_hold").name, erasure.response_note
        )
