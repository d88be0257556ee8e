# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class QmsCrmCommon(TransactionCase):
    """Users per group and reusable customers (and, in the addons built on
    Sales, a product and ``_order()``): the base of every Quality CRM test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        company = cls.env.company
        cls.salesman = new_test_user(
            cls.env,
            "qms_salesman",
            groups="sales_team.group_sale_salesman",
            name="Sam Salesman",
            email="sam@example.com",
            company_id=company.id,
        )
        cls.salesman2 = new_test_user(
            cls.env,
            "qms_salesman2",
            groups="sales_team.group_sale_salesman",
            name="Sue Salesman",
            email="sue@example.com",
            company_id=company.id,
        )
        cls.salesman_all = new_test_user(
            cls.env,
            "qms_salesman_all",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Ann All-Documents",
            email="ann@example.com",
            company_id=company.id,
        )
        cls.qms_user = new_test_user(
            cls.env,
            "qms_quality",
            groups="qms_crm_evidence.group_qms_user",
            name="Quinn Quality",
            email="quinn@example.com",
            company_id=company.id,
        )
        cls.qms_manager = new_test_user(
            cls.env,
            "qms_manager",
            groups="qms_crm_evidence.group_qms_manager,sales_team.group_sale_salesman_all_leads",
            name="Max Manager",
            email="max@example.com",
            company_id=company.id,
        )
        cls.employee = new_test_user(
            cls.env,
            "qms_employee",
            groups="base.group_user",
            name="Eve Employee",
            email="eve@example.com",
            company_id=company.id,
        )
        cls.customer_a = cls.env["res.partner"].create(
            {
                "name": "Alpha Customer",
                "is_company": True,
                "email": "alpha@example.com",
                "user_id": cls.salesman.id,
            }
        )
        cls.contact_a = cls.env["res.partner"].create(
            {
                "name": "Alice Alpha",
                "parent_id": cls.customer_a.id,
                "email": "alice@example.com",
            }
        )
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Beta Customer",
                "is_company": True,
                "email": "beta@example.com",
                "user_id": cls.salesman2.id,
            }
        )
        cls.portal_a = new_test_user(
            cls.env,
            "qms_portal_a",
            groups="base.group_portal",
            name="Alice Portal",
            email="alice.portal@example.com",
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b = new_test_user(
            cls.env,
            "qms_portal_b",
            groups="base.group_portal",
            name="Bob Portal",
            email="bob.portal@example.com",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        # addons built on Sales (all but qms_crm_evidence itself) sell this
        if "product.product" in cls.env:
            cls.product = cls.env["product.product"].create(
                {"name": "QMS Test Widget", "type": "consu", "list_price": 10.0}
            )

    # ------------------------------------------------------------------
    @classmethod
    def _order(cls, partner=None, user=None, **vals):
        partner = partner or cls.customer_a
        return cls.env["sale.order"].create(
            dict(
                {
                    "partner_id": partner.id,
                    "user_id": (user or cls.salesman).id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_uom_qty": 3}
                        )
                    ],
                },
                **vals,
            )
        )
