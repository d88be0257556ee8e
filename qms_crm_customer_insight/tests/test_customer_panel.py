# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED
from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon


@tagged("post_install", "-at_install")
class TestCustomerPanel(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.invoice_policy = "order"
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Gamma Customer", "is_company": True, "user_id": cls.salesman.id}
        )

    # ------------------------------------------------------------------
    def _confirmed(self, partner=None, qty=3):
        order = self._order(partner=partner)
        order.order_line.product_uom_qty = qty
        order.with_context(qms_gate_override=QMS_TRUSTED).action_confirm()
        return order

    def _deliver(self, order, qty):
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking._action_done()
        return picking

    def _invoice(self, order, post=True):
        invoice = order._create_invoices()
        if post:
            invoice.action_post()
        return invoice

    def _pay(self, invoice, amount=None):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount or invoice.amount_total})._create_payments()

    def _panel(self, partner, user=None):
        partner = partner.with_user(user) if user else partner
        data = partner._qms_customer_360_data()[partner.commercial_partner_id.id]
        return data, {line["record"]: line for line in data["orders"]}

    # ------------------------------------------------------------------
    def test_quotation_is_listed_without_delivery_or_payment(self):
        quotation = self._order()
        data, lines = self._panel(self.customer_a)
        self.assertIn(quotation, lines)
        self.assertEqual(lines[quotation]["state"], "draft")
        self.assertFalse(lines[quotation]["delivery"])
        self.assertFalse(lines[quotation]["payment"])
        self.assertFalse(lines[quotation]["late"])

    def test_delivery_none_partial_full(self):
        none = self._confirmed()
        partial = self._confirmed()
        full = self._confirmed()
        self._deliver(partial, 1)
        self._deliver(full, 3)
        _data, lines = self._panel(self.customer_a)
        self.assertEqual(lines[none]["delivery"], "none")
        self.assertEqual(lines[partial]["delivery"], "partial")
        # fully delivered but not invoiced yet: still open
        self.assertEqual(lines[full]["delivery"], "full")
        self.assertFalse(lines[full]["pickings"])
        self.assertEqual(len(lines[partial]["pickings"]), 1, "the backorder is open")
        self.assertTrue(lines[none]["next_date"])

    def test_late_flag_from_scheduled_date(self):
        late = self._confirmed()
        on_time = self._confirmed()
        late.picking_ids.scheduled_date = fields.Datetime.now() - timedelta(days=2)
        # confirming sets the deadline to "now" (no lead time): move both dates,
        # or the order is late as soon as a clock second passes
        later = fields.Datetime.now() + timedelta(days=2)
        on_time.picking_ids.move_ids.date_deadline = later
        on_time.picking_ids.scheduled_date = later
        _data, lines = self._panel(self.customer_a)
        self.assertTrue(lines[late]["late"])
        self.assertFalse(lines[on_time]["late"])
        html = self.customer_a.qms_customer_360_html
        self.assertIn("o_qms_360_late", str(html))
        self.assertIn(f"/odoo/stock.picking/{late.picking_ids.id}", str(html))

    def test_invoice_and_payment_state(self):
        unpaid = self._confirmed()
        partly = self._confirmed()
        paid = self._confirmed()
        for order in (unpaid, partly, paid):
            self._deliver(order, 3)
        inv_unpaid = self._invoice(unpaid)
        inv_partly = self._invoice(partly)
        inv_paid = self._invoice(paid)
        self._pay(inv_partly, inv_partly.amount_total / 2)
        self._pay(inv_paid)
        _data, lines = self._panel(self.customer_a)
        self.assertEqual(lines[unpaid]["payment"], "not_paid")
        self.assertEqual(lines[partly]["payment"], "partial")
        self.assertEqual(lines[unpaid]["invoices"][0]["name"], inv_unpaid.name)
        self.assertEqual(lines[unpaid]["invoice_status"], "invoiced")
        # delivered, invoiced and paid: nothing open any more
        self.assertNotIn(paid, lines)
        html = str(self.customer_a.qms_customer_360_html)
        self.assertIn(f"/odoo/account.move/{inv_unpaid.id}", html)
        self.assertIn(f"/odoo/sale.order/{unpaid.id}", html)
        self.assertNotIn(f'/odoo/sale.order/{paid.id}"', html)

    def test_salesman_sees_only_orders_he_can_read(self):
        own = self._confirmed()
        data, lines = self._panel(self.customer_a, user=self.salesman)
        self.assertIn(own, lines)
        # another salesman sees the customer but none of its orders or invoices
        self._deliver(own, 3)
        self._invoice(own)
        data, lines = self._panel(self.customer_a, user=self.salesman2)
        self.assertFalse(lines)
        html = str(self.customer_a.with_user(self.salesman2).qms_customer_360_html)
        self.assertNotIn(own.name, html)
        self.assertIn("No open quotation or order.", html)
        # a user without sales rights gets no figures at all
        data, lines = self._panel(self.customer_a, user=self.employee)
        self.assertFalse(data["can_see_orders"])
        self.assertFalse(lines)

    def test_tickets_and_complaints_counted_with_links(self):
        Ticket = self.env["helpdesk.ticket"]
        complaint = Ticket.create(
            {
                "name": "Broken on arrival",
                "description": "Box crushed",
                "partner_id": self.contact_a.id,
                "qms_feedback_kind": "complaint",
            }
        )
        Ticket.create(
            {
                "name": "Where is the manual?",
                "description": "Manual",
                "partner_id": self.customer_a.id,
                "qms_feedback_kind": "enquiry",
            }
        )
        Ticket.create(
            {
                "name": "Other customer",
                "description": "x",
                "partner_id": self.customer_b.id,
                "qms_feedback_kind": "complaint",
            }
        )
        data, _lines = self._panel(self.customer_a)
        self.assertEqual(data["open_ticket_count"], 2)
        self.assertEqual(data["complaint_count"], 1)
        self.assertEqual(self.customer_a.qms_complaint_count, 1)
        self.assertEqual(self.contact_a.qms_open_ticket_count, 2)
        action = self.customer_a.action_qms_view_complaints()
        self.assertEqual(Ticket.search(action["domain"]), complaint)
        html = str(self.customer_a.qms_customer_360_html)
        self.assertIn(f"/odoo/helpdesk.ticket/{complaint.id}", html)

    def test_panel_on_opportunity_and_ticket_shows_the_customer(self):
        order = self._order()
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "type": "opportunity", "partner_id": self.contact_a.id}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "?", "partner_id": self.contact_a.id}
        )
        for record in (lead, ticket):
            self.assertIn(
                f"/odoo/sale.order/{order.id}", str(record.qms_customer_360_html)
            )
        lead_without = self.env["crm.lead"].create({"name": "No customer"})
        self.assertFalse(lead_without.qms_customer_360_html)

    def _panel_queries(self, partner):
        partner = partner.with_user(self.salesman)
        partner._qms_customer_360_html_map()  # warm the ormcache
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        partner._qms_customer_360_html_map()
        return self.env.cr.sql_log_count - before

    def test_panel_queries_do_not_grow_with_orders(self):
        def orders(partner, count):
            created = self.env["sale.order"]
            for _i in range(count):
                order = self._confirmed(partner=partner)
                self._invoice(order)
                created |= order
            return created

        one = orders(self.customer_a, 1)
        ten = orders(self.customer_c, 10)
        self._deliver(one, 1)
        for order in ten:
            self._deliver(order, 1)
        self.env.flush_all()
        q1 = self._panel_queries(self.customer_a)
        q10 = self._panel_queries(self.customer_c)
        self.assertEqual(len(self._panel(self.customer_c)[1]), 10)
        self.assertGreater(q1, 3)
        self.assertLessEqual(q10, q1, f"1 order: {q1} queries, 10 orders: {q10}")

    def test_batch_of_customers_in_one_compute(self):
        self._order(order_line=[Command.create({"product_id": self.product.id})])
        self._order(partner=self.customer_b, user=self.salesman2)
        partners = self.customer_a | self.customer_b
        panels = partners._qms_customer_360_html_map()
        self.assertEqual(set(panels), set(partners.ids))

    def test_other_company_orders_are_left_out(self):
        other = self.env["res.company"].create({"name": "QMS Other Company"})
        mine = self._order(user=self.salesman_all)
        theirs = (
            self.env["sale.order"]
            .with_company(other)
            .create(
                {
                    "partner_id": self.customer_a.id,
                    "company_id": other.id,
                    "user_id": self.salesman_all.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        self.salesman_all.company_ids |= other
        # working in the main company only
        partner = self.customer_a.with_user(self.salesman_all)
        main_only = partner.with_context(allowed_company_ids=[self.env.company.id])
        lines = main_only._qms_customer_360_data()[self.customer_a.id]["orders"]
        self.assertIn(mine, [line["record"] for line in lines])
        self.assertNotIn(theirs, [line["record"] for line in lines])
        # both companies selected
        both = partner.with_context(allowed_company_ids=[self.env.company.id, other.id])
        lines = both._qms_customer_360_data()[self.customer_a.id]["orders"]
        self.assertIn(theirs, [line["record"] for line in lines])
        # a user of the main company alone never sees it
        self.salesman_all.company_ids -= other
        _data, lines = self._panel(self.customer_a, user=self.salesman_all)
        self.assertNotIn(theirs, lines)

    def test_forms_read_the_panel_as_a_salesman(self):
        order = self._order()
        lead = self.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "partner_id": self.customer_a.id,
                "user_id": self.salesman.id,
            }
        )
        for record, view in (
            (self.customer_a, "base.view_partner_form"),
            (lead, "crm.crm_lead_view_form"),
        ):
            Model = self.env[record._name].with_user(self.salesman)
            arch = Model.get_views([(self.env.ref(view).id, "form")])["views"]["form"][
                "arch"
            ]
            self.assertIn("qms_customer_360_html", arch)
            values = Model.browse(record.id).web_read({"qms_customer_360_html": {}})
            self.assertIn(order.name, str(values[0]["qms_customer_360_html"]))

    def test_panel_follows_the_customer_chosen_in_a_new_opportunity(self):
        order = self._order()
        lead = self.env["crm.lead"].new({"name": "New deal", "partner_id": False})
        self.assertFalse(lead.partner_id)
        self.assertFalse(lead.qms_customer_360_html, lead.qms_customer_360_html)
        lead.partner_id = self.contact_a
        self.assertIn(order.name, str(lead.qms_customer_360_html))
