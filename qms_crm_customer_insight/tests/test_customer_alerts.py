# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED
from odoo.addons.qms_crm_evidence.tests.common import (
    QmsCrmCommon,
    qms_in_far_time_zones,
)


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestCustomerAlerts(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.alert_type = cls.env.ref(
            "qms_crm_customer_insight.mail_activity_type_customer_alert"
        )
        cls.now = fields.Datetime.now()

    # ------------------------------------------------------------------
    @classmethod
    def _customer(cls, name, user=None):
        return cls.Partner.create(
            {"name": name, "is_company": True, "user_id": (user or cls.salesman).id}
        )

    @classmethod
    def _sold(cls, partner, when, amount=100.0):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.with_context(qms_gate_override=QMS_TRUSTED).action_confirm()
        order.date_order = when
        return order

    def _alerts(self, partners, kind=None):
        domain = [
            ("res_model", "=", "res.partner"),
            ("res_id", "in", partners.ids),
            ("activity_type_id", "=", self.alert_type.id),
        ]
        if kind:
            domain.append(("qms_alert_kind", "=", kind))
        return self.env["mail.activity"].search(domain)

    # ------------------------------------------------------------------
    # Buying rhythm
    # ------------------------------------------------------------------
    def test_rhythm_alert_fires_once_for_its_salesperson(self):
        dropped = self._customer("Dropped Rhythm", user=self.salesman2)
        for days in (100, 90, 80):  # every 10 days, silent for 80 days
            self._sold(dropped, self.now - timedelta(days=days))
        regular = self._customer("Regular Buyer")
        for days in (25, 15, 5):
            self._sold(regular, self.now - timedelta(days=days))
        self.Partner._cron_qms_customer_alerts()
        alert = self._alerts(dropped, "rhythm")
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.salesman2)
        self.assertIn("80 days", str(alert.note))
        self.assertIn("10.0 days", str(alert.note))
        self.assertFalse(self._alerts(regular))
        # the next day: still open, no second alert
        self.Partner._cron_qms_customer_alerts()
        self.assertEqual(len(self._alerts(dropped, "rhythm")), 1)
        # once handled, a later run may raise a new one
        alert.action_feedback(feedback="Called them")
        self.Partner._cron_qms_customer_alerts()
        self.assertEqual(len(self._alerts(dropped, "rhythm")), 1)
        self.assertNotEqual(self._alerts(dropped, "rhythm"), alert)

    def test_rhythm_counts_days_in_the_users_time_zone(self):
        """At 23:30 UTC it is already tomorrow in Tokyo. The order days and
        today are both counted there: an order 80 days ago is 80 days old at
        any hour of the day."""
        now = datetime(2026, 11, 23, 23, 30)
        late = self._customer("Late Evening Buyer", user=self.salesman2)
        for days in (100, 90, 80):
            self._sold(late, now - timedelta(days=days))
        with freeze_time(now):
            self.Partner.with_context(tz="Asia/Tokyo")._cron_qms_customer_alerts()
        alert = self._alerts(late, "rhythm")
        self.assertEqual(len(alert), 1)
        self.assertIn("No order for 80 days", str(alert.note))

    def test_no_rhythm_alert_below_three_orders(self):
        two = self._customer("Two Orders")
        self._sold(two, self.now - timedelta(days=300))
        self._sold(two, self.now - timedelta(days=290))
        # several orders on the same day count as one purchase
        same_day = self._customer("Same Day")
        for _i in range(3):
            self._sold(same_day, self.now - timedelta(days=200))
        self._sold(same_day, self.now - timedelta(days=190))
        self.Partner._cron_qms_customer_alerts()
        self.assertFalse(self._alerts(two | same_day))

    def test_rhythm_counts_orders_of_contacts_on_the_company(self):
        company = self._customer("Company With Contacts")
        contact = self.Partner.create({"name": "Buyer", "parent_id": company.id})
        for days in (60, 50, 40):
            self._sold(contact, self.now - timedelta(days=days))
        candidates = self.Partner._qms_rhythm_candidates(1000)
        self.assertIn(company.id, [c["partner_id"] for c in candidates])
        self.assertNotIn(contact.id, [c["partner_id"] for c in candidates])

    def test_cron_works_in_batches(self):
        customers = self.Partner.browse()
        for i in range(5):
            customer = self._customer(f"Batch {i}")
            for days in (100, 90, 80):
                self._sold(customer, self.now - timedelta(days=days))
            customers |= customer
        self.Partner._cron_qms_customer_alerts(batch_size=2)
        self.assertEqual(len(self._alerts(customers, "rhythm")), 5)

    # ------------------------------------------------------------------
    # Negative feedback without follow-up
    # ------------------------------------------------------------------
    def _complaint(self, partner, days_old=5, **vals):
        ticket = self.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Late and damaged",
                    "description": "Damaged",
                    "partner_id": partner.id,
                    "qms_feedback_kind": "complaint",
                },
                **vals,
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (self.now - timedelta(days=days_old), ticket.id),
        )
        # the messages posted on creation are not a reply to the customer
        ticket.message_ids.filtered(
            lambda m: m.message_type == "comment"
        ).subtype_id = self.env.ref("mail.mt_note")
        ticket.activity_ids.unlink()
        return ticket

    def test_negative_feedback_alert(self):
        ignored = self._customer("Ignored Complaint")
        ticket = self._complaint(ignored)
        replied = self._customer("Replied Complaint")
        answered = self._complaint(replied)
        agent = new_test_user(
            self.env, "qms_agent", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        answered.with_user(agent).message_post(
            body="We are sorry, a replacement is on its way.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        planned = self._customer("Planned Complaint")
        self._complaint(planned).activity_schedule(
            "mail.mail_activity_data_call", user_id=self.qms_user.id
        )
        recent = self._customer("Recent Complaint")
        self._complaint(recent, days_old=1)
        closed = self._customer("Closed Complaint")
        self._complaint(
            closed, stage_id=self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id
        )
        self.Partner._cron_qms_customer_alerts()
        alert = self._alerts(ignored, "feedback")
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.salesman)
        self.assertIn(ticket.number, str(alert.note))
        self.assertFalse(self._alerts(replied | planned | recent | closed))
        self.Partner._cron_qms_customer_alerts()
        self.assertEqual(len(self._alerts(ignored, "feedback")), 1)

    def test_feedback_delay_is_a_setting(self):
        customer = self._customer("Setting Complaint")
        self._complaint(customer, days_old=1)
        self.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.alert_feedback_days", "0"
        )
        self.Partner._cron_qms_customer_alerts()
        self.assertEqual(len(self._alerts(customer, "feedback")), 1)

    # ------------------------------------------------------------------
    # ABC
    # ------------------------------------------------------------------
    # a period of its own in the future, so that no other order counts
    PERIOD_END = datetime(2031, 1, 1)

    def _abc(self, revenues):
        customers = []
        for i, revenue in enumerate(revenues):
            customer = self._customer(f"ABC {i}")
            if revenue:
                self._sold(customer, datetime(2030, 6, 1), amount=revenue)
            customers.append(customer)
        self.Partner._qms_recompute_abc(date_to=self.PERIOD_END)
        return [c.qms_abc_class for c in customers]

    def test_abc_boundaries_80_15_5(self):
        self.assertEqual(
            self._abc([5000, 3000, 1000, 500, 300, 200]),
            ["A", "A", "B", "B", "C", "C"],
        )

    def test_abc_crossing_customer_takes_the_upper_class(self):
        # one customer makes 90 %: he is A, not B
        self.assertEqual(self._abc([900, 60, 40]), ["A", "B", "C"])

    def test_abc_ties_are_not_split(self):
        self.assertEqual(self._abc([400, 400, 150, 50]), ["A", "A", "B", "C"])

    def test_abc_tie_straddling_the_line_shares_the_upper_class(self):
        self.assertEqual(self._abc([700, 100, 100, 100]), ["A", "A", "A", "A"])

    def test_abc_zero_revenue_has_no_class_and_is_reset(self):
        classes = self._abc([1000, 0])
        self.assertEqual(classes, ["A", False])
        customer = self.Partner.search([("name", "=", "ABC 0")], limit=1)
        customer.sale_order_ids.filtered(
            lambda o: o.state == "sale"
        ).date_order = datetime(2020, 1, 1)
        self.Partner._qms_recompute_abc(date_to=self.PERIOD_END)
        self.assertFalse(customer.qms_abc_class)
        self.assertIn(customer, self.Partner.search([("qms_abc_class", "=", False)]))

    def test_abc_is_on_the_commercial_partner(self):
        company = self._customer("ABC Company")
        contact = self.Partner.create({"name": "ABC Buyer", "parent_id": company.id})
        self._sold(contact, datetime(2030, 6, 1), amount=1000)
        self.Partner._qms_recompute_abc(date_to=self.PERIOD_END)
        self.assertEqual(company.qms_abc_class, "A")
        self.assertFalse(contact.qms_abc_class)

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------
    def test_duplicates_by_vat_email_phone(self):
        vat = self.Partner.create(
            {"name": "VAT Original", "is_company": True, "vat": "BE 0477.472.701"}
        )
        phone = self.Partner.create(
            {"name": "Phone Original", "is_company": True, "phone": "+32 470 12 34 56"}
        )
        Partner = self.Partner
        by_vat = Partner.new({"name": "New", "vat": "be0477472701"})
        by_email = Partner.new({"name": "New", "email": "ALPHA@example.com "})
        by_phone = Partner.new({"name": "New", "phone": "0470/12.34.56"})
        nothing = Partner.new(
            {"name": "New", "email": "new@example.com", "phone": "12"}
        )
        found = Partner.union(
            by_vat, by_email, by_phone, nothing
        )._qms_find_duplicates()
        self.assertEqual(found[by_vat], vat)
        self.assertIn(self.customer_a, found[by_email])
        self.assertEqual(found[by_phone], phone)
        self.assertFalse(found[nothing])

    def test_duplicates_ignore_self_and_own_company(self):
        colleague = self.Partner.create(
            {
                "name": "Colleague",
                "parent_id": self.customer_a.id,
                "email": "alpha@example.com",
            }
        )
        self.assertFalse(self.customer_a._qms_find_duplicates()[self.customer_a])
        self.assertFalse(colleague._qms_find_duplicates()[colleague])
        self.assertFalse(self.customer_a.qms_duplicate_ids)

    def test_duplicate_warning_on_create_is_not_blocking(self):
        new = self.Partner.new({"name": "Alpha again", "email": "alpha@example.com"})
        warning = new._onchange_qms_duplicates()["warning"]
        self.assertIn("Alpha Customer", warning["message"])
        self.assertEqual(new.qms_duplicate_ids._origin, self.customer_a)
        # saving is still allowed
        saved = self.Partner.create(
            {"name": "Alpha again", "email": "alpha@example.com"}
        )
        self.assertEqual(saved.qms_duplicate_ids, self.customer_a)
        action = saved.action_qms_view_duplicates()
        self.assertEqual(self.Partner.search(action["domain"]), self.customer_a)
        # an existing contact gets the banner, not a popup on each edit
        self.assertIsNone(saved._onchange_qms_duplicates())
