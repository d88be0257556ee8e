# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Property of customers and providers (ISO 9001 8.5.3): incidents notify
the owner at once, nothing is deleted, personal data stays with the DPO."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones

from .common_property import QmsPropertyCommon


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestProperty(QmsPropertyCommon):
    def test_reference_clause_and_owner_stock_from_quants(self):
        self.assertTrue(self.mould_a.reference.startswith("PROP/"))
        self.assertIn("8.5.3", self.mould_a.qms_clause_ids.mapped("code"))
        product = self.env["product.product"].create(
            {"name": "Owned mould", "type": "consu", "is_storable": True}
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(
            product, self.stock_location, 2, owner_id=self.customer_a
        )
        # our own stock of the same product is not the customer's
        Quant._update_available_quantity(product, self.stock_location, 5)
        Quant._update_available_quantity(
            product, self.stock_location, 7, owner_id=self.customer_b
        )
        self.mould_a.write(
            {"product_id": product.id, "location_id": self.stock_location.id}
        )
        self.assertEqual(self.mould_a.stock_quantity, 2)
        self.assertEqual(self.mould_a.quant_ids.owner_id, self.customer_a)

    def test_incident_mails_the_owner_with_details_and_stamps_it(self):
        incident = self._incident(self.mould_a)
        self.assertEqual(incident.state, "notified")
        self.assertEqual(incident.notified_how, "email")
        self.assertEqual(incident.notified_by_id, self.env.user)
        self.assertAlmostEqual(
            incident.notified_at, fields.Datetime.now(), delta=timedelta(minutes=1)
        )
        self.assertEqual(self.mould_a.state, "damaged")
        message = incident.message_ids.filtered(
            lambda m: self.customer_a in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn(incident.reference, message.subject)
        self.assertIn("Dented parting line", message.body)
        self.assertIn("Repair by the toolmaker", message.body)
        self.assertIn("MA-1", message.body)
        self.assertIn(incident.access_token, message.body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.customer_a)

    def test_owner_without_email_gets_an_activity_and_a_manual_stamp(self):
        self.customer_b.email = False
        incident = self._incident(self.mould_b, kind="lost")
        self.assertEqual(incident.state, "to_notify")
        self.assertFalse(incident.notified_at)
        self.assertEqual(self.mould_b.state, "lost")
        self.assertTrue(incident.activity_ids)
        with self.assertRaisesRegex(UserError, "Choose how the owner was told"):
            incident.action_mark_notified()
        with self.assertRaisesRegex(UserError, "cannot be closed before"):
            incident.action_close()
        incident.notified_how = "phone"
        incident.action_mark_notified()
        self.assertEqual(incident.state, "notified")
        self.assertTrue(incident.notified_at)
        self.assertFalse(incident.activity_ids)
        with self.assertRaisesRegex(UserError, "already been notified"):
            incident.action_mark_notified()
        with self.assertRaisesRegex(UserError, "has no email address"):
            incident.action_resend_notice()

    def test_acknowledgement_is_recorded_once(self):
        incident = self._incident(self.mould_a)
        with self.assertRaisesRegex(UserError, "Acknowledged via"):
            incident.action_record_acknowledgement()
        incident.acknowledged_how = "phone"
        incident.action_record_acknowledgement()
        self.assertEqual(incident.state, "acknowledged")
        self.assertEqual(incident.acknowledged_by_partner_id, self.customer_a)
        self.assertTrue(incident.acknowledged_at)
        with self.assertRaisesRegex(UserError, "already been acknowledged"):
            incident._qms_acknowledge(self.customer_a, "portal")
        incident.action_close()
        # closed incidents are final evidence
        with self.assertRaisesRegex(UserError, "final evidence"):
            incident.with_user(self.qms_user).description = "Rewritten"

    def test_breach_has_a_72_hour_authority_deadline(self):
        detected = fields.Datetime.now() - timedelta(hours=80)
        breach = self._incident(self.dataset_a, kind="breach", detected_at=detected)
        self.assertEqual(breach.authority_deadline, detected + timedelta(hours=72))
        self.assertTrue(breach.authority_overdue)
        Incident = self.env["qms.property.incident"]
        self.assertIn(breach, Incident.search([("authority_overdue", "=", True)]))
        self.assertNotIn(breach, Incident.search([("authority_overdue", "=", False)]))
        damage = self._incident(self.mould_a)
        self.assertFalse(damage.authority_deadline)
        self.assertIn(damage, Incident.search([("authority_overdue", "=", False)]))
        with self.assertRaisesRegex(UserError, "Only data breaches"):
            damage.action_mark_authority_notified()
        with self.assertRaisesRegex(UserError, "record the notification"):
            breach.action_close()
        with self.assertRaisesRegex(UserError, "case reference"):
            breach.action_mark_authority_notified()
        breach.authority_reference = "RKN-2026-0042"
        breach.action_mark_authority_notified()
        self.assertFalse(breach.authority_overdue)
        breach.action_close()
        self.assertEqual(breach.state, "closed")

    @mute_logger("odoo.models.unlink")
    def test_property_and_incidents_are_never_deleted(self):
        incident = self._incident(self.mould_a)
        for user in (self.qms_user, self.qms_manager, self.salesman, self.dpo):
            for record in (self.mould_a, incident):
                with (
                    self.subTest(user=user.login, model=record._name),
                    self.assertRaises(UserError),  # AccessError is a UserError
                ):
                    record.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            self.mould_a.unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            incident.unlink()
        self.mould_a.with_user(self.qms_user).action_archive()
        self.assertFalse(self.mould_a.active)
        self.assertTrue(self.mould_a.exists())

    def test_return_needs_the_receiver_and_only_held_items(self):
        with self.assertRaisesRegex(UserError, "not been handed back"):
            self.mould_a.action_print_return_receipt()
        with self.assertRaisesRegex(UserError, "Handed back to"):
            self.mould_a.action_return()
        self.mould_a.return_to = "Ann Owner"
        self.mould_a.with_user(self.qms_user).action_return()
        self.assertEqual(self.mould_a.state, "returned")
        self.assertEqual(self.mould_a.returned_by_id, self.qms_user)
        self.assertEqual(
            self.mould_a.return_date,
            fields.Date.context_today(self.mould_a.with_user(self.qms_user)),
        )
        with self.assertRaisesRegex(UserError, "only items we still hold"):
            self.mould_a.action_return()
        # a configured company prints at once (else Odoo asks for a layout first)
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        action = self.mould_a.action_print_return_receipt()
        self.assertEqual(
            action["report_name"], "qms_crm_property.report_property_return"
        )
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "qms_crm_property.report_property_return", self.mould_a.ids
            )[0]
        )
        self.assertIn("Property Return Receipt", html)
        self.assertIn("Ann Owner", html)
        self.assertIn("MA-1", html)

    def test_state_transitions_refuse_wrong_states(self):
        self.mould_a.action_put_in_use()
        with self.assertRaisesRegex(UserError, "only once received"):
            self.mould_a.action_put_in_use()
        self.mould_a.action_incorporate()
        with self.assertRaisesRegex(UserError, "only while received or in use"):
            self.mould_a.action_incorporate()
        with self.assertRaisesRegex(Exception, "Only personal data sets"):
            self.mould_a.personal_data_category_ids = self.env.ref(
                "qms_crm_property.personal_data_category_identity"
            )
        with self.assertRaisesRegex(Exception, "cannot be negative"):
            self.mould_a.quantity = -1


@tagged("post_install", "-at_install")
class TestPropertyRules(QmsPropertyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.damage = cls._incident(cls.mould_a)
        cls.breach = cls._incident(cls.dataset_a, kind="breach")
        cls.request = cls.env["qms.data.request"].create(
            {"partner_id": cls.contact_a.id, "kind": "access"}
        )

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_only_dpo_sees_personal_data_sets_breaches_and_requests(self):
        items = self.mould_a | self.mould_b | self.dataset_a
        incidents = self.damage | self.breach
        for user in (self.qms_user, self.qms_manager, self.salesman, self.salesman_all):
            with self.subTest(user=user.login):
                # a salesperson without All Documents: their customers only
                self.assertEqual(
                    self._visible(user, "qms.property", items),
                    self.mould_a
                    if user == self.salesman
                    else self.mould_a | self.mould_b,
                )
                self.assertEqual(
                    self._visible(user, "qms.property.incident", incidents),
                    self.damage,
                )
                with self.assertRaises(AccessError):
                    self.dataset_a.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.breach.with_user(user).read(["description"])
                with self.assertRaises(AccessError):
                    self.env["qms.data.request"].with_user(user).search([])
        self.assertEqual(self._visible(self.dpo, "qms.property", items), items)
        self.assertEqual(
            self._visible(self.dpo, "qms.property.incident", incidents), incidents
        )
        self.assertEqual(
            self._visible(self.dpo, "qms.data.request", self.request), self.request
        )
        # an employee without quality or sales group sees none of it
        with self.assertRaises(AccessError):
            self.env["qms.property"].with_user(self.employee).search([])

    def test_portal_owner_reads_only_own_property(self):
        own = self._visible(
            self.portal_a, "qms.property", self.mould_a | self.mould_b | self.dataset_a
        )
        self.assertEqual(own, self.mould_a | self.dataset_a)
        self.assertEqual(
            self._visible(self.portal_a, "qms.property.incident", self.damage),
            self.damage,
        )
        self.assertFalse(
            self._visible(self.portal_b, "qms.property.incident", self.damage)
        )
        with self.assertRaises(AccessError):
            self.mould_a.with_user(self.portal_a).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.env["qms.property"].with_user(self.portal_a).create(
                {"name": "x", "partner_id": self.customer_a.id}
            )

    def test_partner_smart_buttons_and_personal_data_held(self):
        self.assertEqual(self.customer_a.with_user(self.qms_user).qms_property_count, 1)
        self.assertEqual(self.customer_a.with_user(self.dpo).qms_property_count, 2)
        self.assertEqual(self.contact_a.with_user(self.dpo).qms_data_request_count, 1)
        self.assertEqual(
            self.customer_a.with_user(self.qms_user).qms_data_request_count, 0
        )
        self.dataset_a.personal_data_category_ids = self.env.ref(
            "qms_crm_property.personal_data_category_customer_set"
        )
        held = self.customer_a.with_user(self.dpo).qms_personal_data_category_ids
        self.assertIn(
            self.env.ref("qms_crm_property.personal_data_category_contact"), held
        )
        self.assertIn(
            self.env.ref("qms_crm_property.personal_data_category_customer_set"), held
        )
        self.assertNotIn(
            self.env.ref("qms_crm_property.personal_data_category_tax"), held
        )
        self.customer_a.vat = "BE0477472701"
        self.customer_a.invalidate_recordset()
        held = self.customer_a.with_user(self.dpo).qms_personal_data_category_ids
        self.assertIn(self.env.ref("qms_crm_property.personal_data_category_tax"), held)
        # not computed for users outside the DPO group
        self.assertFalse(
            self.customer_a.with_user(self.qms_user).qms_personal_data_category_ids
        )
        action = self.customer_a.action_qms_view_property()
        self.assertEqual(action["res_model"], "qms.property")


@tagged("post_install", "-at_install")
class TestPropertyReturnPdf(HttpCase):
    """wkhtmltopdf needs a running server for the CSS: render in an HttpCase."""

    def test_return_receipt_renders_as_pdf(self):
        partner = self.env["res.partner"].create({"name": "PDF Owner"})
        item = self.env["qms.property"].create(
            {"name": "Printed gauge", "partner_id": partner.id, "return_to": "Bo"}
        )
        item.action_return()
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report._render_qweb_pdf(
            "qms_crm_property.report_property_return", item.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 1000)
