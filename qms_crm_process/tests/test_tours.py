# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The make-and-install story in a real browser: the manager, the measurer,
the installer and the customer, each in their own session."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.qms_crm_evidence.tests.common_tour import QmsTourCase


@tagged("post_install", "-at_install")
class TestQmsProcessTours(QmsTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sales = "sales_team.group_sale_salesman"
        cls.manager = new_test_user(
            cls.env,
            "qms_tour_proc_manager",
            groups="sales_team.group_sale_manager",
            name="Mona Manager",
            email="mona@example.com",
        )
        cls.measurer = new_test_user(
            cls.env,
            "qms_tour_proc_measurer",
            groups=sales,
            name="Mark Measurer",
            email="mark@example.com",
        )
        cls.installer = new_test_user(
            cls.env,
            "qms_tour_proc_installer",
            groups=sales,
            name="Ivan Installer",
            email="ivan@example.com",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "QMS Tour Household",
                "email": "household@example.com",
                "street": "7 Window Lane",
                "city": "Springfield",
            }
        )
        cls.customer_user = new_test_user(
            cls.env,
            "qms_tour_proc_customer",
            groups="base.group_portal",
            name="Hanna Household",
            email="hanna@example.com",
        )
        cls.customer_user.partner_id.parent_id = cls.customer
        ref = cls.env.ref
        template = ref("qms_crm_process.qms_process_template_make_install")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "QMS Tour Windows Team",
                "user_id": cls.manager.id,
                "qms_process_manager_id": cls.manager.id,
                "qms_process_role_ids": [
                    Command.create(
                        {
                            "role_id": ref(f"qms_crm_process.qms_process_role_{k}").id,
                            "user_id": u.id,
                        }
                    )
                    for k, u in (
                        ("manager", cls.manager),
                        ("measurer", cls.measurer),
                        ("installer", cls.installer),
                    )
                ],
            }
        )
        cls.team._qms_apply_process(template)
        # a web request: it lands in the first stage with the call-back
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "QMS Tour Windows",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "team_id": cls.team.id,
                "user_id": cls.manager.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Window 1200x1400 white", "type": "consu", "list_price": 450.0}
        )

    def _lead_url(self):
        return f"/odoo/action-crm.crm_lead_action_pipeline/{self.lead.id}"

    def test_make_and_install_story(self):
        lead = self.lead
        self.assertEqual(lead.stage_id.name, "First Call")
        call = lead.activity_ids
        self.assertEqual(call.summary, "Call back within 15 minutes")
        # nobody called back: 20 minutes later it escalates
        call.qms_deadline_at = fields.Datetime.now() - timedelta(minutes=20)
        self.env["mail.activity"]._cron_qms_process_escalate()
        self.assertEqual(call.qms_escalation_level, 3)
        self.start_tour(
            self._lead_url(), "qms_process_manager_tour", login=self.manager.login
        )
        self.assertEqual(lead.stage_id.name, "Measurements")

        # the measurer attached the measurement sheet from the site
        lead.with_user(self.measurer).message_post(
            body="Dimensions and specifications",
            attachments=[("measurements-tour.pdf", b"%PDF-1.4 dimensions")],
        )
        self.start_tour(
            self._lead_url(), "qms_process_measurer_tour", login=self.measurer.login
        )
        self.assertEqual(lead.stage_id.name, "Agreement")

        # the quotation agreed with the customer, with its requirement
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "team_id": self.team.id,
                "user_id": self.manager.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 3}
                    )
                ],
            }
        )
        requirement = self.env["qms.requirement"].create(
            {
                "name": "Windows 1200x1400",
                "description": "Three white windows 1200x1400, tilt and turn.",
                "category": "stated",
                "source": "contract",
                "documented": True,
                "partner_id": self.customer.id,
                "order_id": order.id,
            }
        )
        requirement.state = "accepted"
        self.start_tour(
            self._lead_url(), "qms_process_payment_tour", login=self.manager.login
        )
        self.assertEqual(lead.stage_id.name, "Installation")
        self.assertTrue(
            lead.message_ids.attachment_ids.filtered(
                lambda a: a.name.startswith("Payment Document")
            )
        )

        visit = self.env["qms.installation"].create(
            {
                "sale_order_id": order.id,
                "installer_id": self.installer.id,
                "planned_date": fields.Datetime.now(),
                "check_ids": [Command.create({"name": "Windows fitted and sealed"})],
            }
        )
        self.start_tour(
            f"/odoo/action-qms_crm_process.qms_installation_action/{visit.id}",
            "qms_process_installer_tour",
            login=self.installer.login,
        )
        # the installer ticked the checklist in the browser, then the visit
        # could be marked done
        self.assertTrue(visit.check_ids.done)
        self.assertEqual(visit.state, "done")
        act = visit.act_ids
        self.assertEqual(act.state, "sent")

        self.start_tour(
            act.access_url,
            "qms_process_customer_sign_tour",
            login=self.customer_user.login,
        )
        self.assertEqual(act.state, "signed")
        self.assertEqual(act.portal_user_id, self.customer_user)
        self.assertEqual(act.result, "accepted")
