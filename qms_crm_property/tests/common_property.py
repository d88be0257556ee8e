# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon


class QmsPropertyCommon(QmsCrmCommon):
    """A data protection officer, property of customers A and B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env,
            "qms_dpo",
            groups="qms_crm_evidence.group_qms_dpo",
            name="Dana Protection",
            email="dana@example.com",
            company_id=cls.env.company.id,
        )
        cls.stock_location = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.mould_a = cls._property(cls.customer_a, name="Mould A", serial="MA-1")
        cls.mould_b = cls._property(cls.customer_b, name="Mould B", serial="MB-1")
        cls.dataset_a = cls._property(
            cls.customer_a, name="Badge list A", kind="personal_data"
        )

    @classmethod
    def _property(cls, partner, **vals):
        return cls.env["qms.property"].create(
            dict(
                {
                    "name": "Customer tool",
                    "kind": "equipment",
                    "partner_id": partner.id,
                    "quantity": 1,
                },
                **vals,
            )
        )

    @classmethod
    def _incident(cls, item, **vals):
        return cls.env["qms.property.incident"].create(
            dict(
                {
                    "property_id": item.id,
                    "kind": "damaged",
                    "description": "Dented parting line on cavity 2.",
                    "action_taken": "Repair by the toolmaker at our cost.",
                },
                **vals,
            )
        )
