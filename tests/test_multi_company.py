# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two companies (issue 18): the ABC class is per company, each company
ranking its own customers by its own orders in its own currency, and users
see the class of the company they work in; records of one company stay out of
the other's users' reach."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.qms_crm_requirement.tests.common import QmsRequirementCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(QmsRequirementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company1 = cls.env.company
        eur = cls.env.ref("base.EUR")
        eur.active = True
        other = eur if cls.company1.currency_id != eur else cls.env.ref("base.USD")
        other.active = True
        cls.company2 = cls.env["res.company"].create(
            {"name": "QMS Second Company", "currency_id": other.id}
        )
        cls.user1 = new_test_user(
            cls.env,
            "qms_mc_user1",
            groups="qms_crm_evidence.group_qms_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company1.id,
            company_ids=[Command.set(cls.company1.ids)],
        )
        cls.user_both = new_test_user(
            cls.env,
            "qms_mc_both",
            groups="qms_crm_evidence.group_qms_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company2.id,
            company_ids=[Command.set((cls.company1 | cls.company2).ids)],
        )
        cls.big1 = cls.env["res.partner"].create({"name": "MC big in one"})
        cls.big2 = cls.env["res.partner"].create({"name": "MC big in two"})
        # company 1: big1 9000, big2 100; company 2: big2 9000, big1 100
        for company, amounts in (
            (cls.company1, {cls.big1: 9000, cls.big2: 100}),
            (cls.company2, {cls.big2: 9000, cls.big1: 100}),
        ):
            for partner, amount in amounts.items():
                order = (
                    cls.env["sale.order"]
                    .with_company(company)
                    .create(
                        {
                            "partner_id": partner.id,
                            "company_id": company.id,
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
                )
                order.with_company(company).action_confirm()
        cls.env["res.partner"]._qms_recompute_abc()

    def _confirmed(self, partner, company, days_ago):
        order = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        order.with_company(company).action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def test_buying_rhythm_is_per_company(self):
        customer = self.env["res.partner"].create({"name": "MC rhythm"})
        # every 10 days with company 1, silent for 70 days; company 2 bought
        # yesterday: pooled, the customer would look fine
        for days_ago in (100, 90, 80, 70):
            self._confirmed(customer, self.company1, days_ago)
        for days_ago in (5, 3, 1):
            self._confirmed(customer, self.company2, days_ago)
        candidates = self.env["res.partner"]._qms_rhythm_candidates(None)
        mine = [c for c in candidates if c["partner_id"] == customer.id]
        self.assertEqual(len(mine), 1)
        self.assertIn("70", mine[0]["reason"])

    def test_abc_class_is_per_company(self):
        Partner = self.env["res.partner"]
        one = Partner.with_company(self.company1).browse(self.big1.id)
        self.assertEqual(one.qms_abc_class, "A")
        self.assertEqual(one.with_company(self.company2).qms_abc_class, "C")
        two = Partner.with_company(self.company2).browse(self.big2.id)
        self.assertEqual(two.qms_abc_class, "A")
        self.assertEqual(two.with_company(self.company1).qms_abc_class, "C")
        # searched in the user's company
        found = Partner.with_company(self.company2).search(
            [("qms_abc_class", "=", "A"), ("id", "in", (self.big1 | self.big2).ids)]
        )
        self.assertEqual(found, self.big2)

    def test_users_see_the_class_of_their_company(self):
        self.env.invalidate_all()
        self.assertEqual(self.big1.with_user(self.user1).qms_abc_class, "A")
        # the second user works in company 2 (their default company)
        self.assertEqual(self.big1.with_user(self.user_both).qms_abc_class, "C")
        both = self.big1.with_user(self.user_both).with_context(
            allowed_company_ids=[self.company1.id, self.company2.id]
        )
        self.assertEqual(both.qms_abc_class, "A")

    def test_records_of_the_other_company_stay_out_of_reach(self):
        risk = (
            self.env["qms.customer.risk"]
            .with_company(self.company2)
            .create(
                {
                    "name": "MC risk",
                    "partner_id": self.big2.id,
                    "company_id": self.company2.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            risk.with_user(self.user1).read(["name"])
        risk.with_user(self.user_both).read(["name"])
        # and the complaint analysis keeps to the user's companies
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "MC complaint",
                "description": "<p>x</p>",
                "partner_id": self.big2.id,
                "qms_feedback_kind": "complaint",
                "company_id": self.company2.id,
            }
        )
        self.env.flush_all()
        Report = self.env["qms.complaint.report"]
        self.assertFalse(
            Report.with_user(self.user1).search([("ticket_id", "=", ticket.id)])
        )
        self.assertTrue(
            Report.with_user(self.user_both).search([("ticket_id", "=", ticket.id)])
        )
