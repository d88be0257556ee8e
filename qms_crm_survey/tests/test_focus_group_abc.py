# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestFocusGroupAbc(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = cls.env["res.partner.category"].create({"name": "ABC pilot"})
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Gamma Customer", "is_company": True}
        )
        customers = cls.customer_a | cls.customer_b | cls.customer_c
        customers.write({"customer_rank": 1, "category_id": [(4, cls.tag.id)]})
        # the class is readonly and kept by the daily cron: set it as it does
        for partner, abc in zip(customers, ("A", "A", "B"), strict=True):
            partner.write({"qms_abc_class": abc})

    def _group(self, **vals):
        return (
            self.env["qms.focus.group"]
            .with_user(self.qms_user)
            .create(
                dict(
                    {
                        "name": "Key accounts panel",
                        "category_ids": [(6, 0, self.tag.ids)],
                    },
                    **vals,
                )
            )
        )

    def test_abc_class_narrows_the_segment(self):
        group = self._group()
        self.assertEqual(group.candidate_count, 3)
        group.abc_class = "A"
        self.assertEqual(group.candidate_count, 2)
        self.assertEqual(
            group._qms_segment_partners(), self.customer_a | self.customer_b
        )
        group.abc_class = "C"
        self.assertEqual(group.candidate_count, 0)

    def test_snapshot_keeps_the_abc_class_when_convened(self):
        group = self._group(abc_class="A")
        group.action_convene()
        members = group.member_ids
        self.assertEqual(members.partner_id, self.customer_a | self.customer_b)
        self.assertEqual(set(members.mapped("abc_class")), {"A"})
        member_a = members.filtered(lambda m: m.partner_id == self.customer_a)
        # the customer falls to C afterwards (e.g. the next daily run)
        self.customer_a.write({"qms_abc_class": "C"})
        self.env.invalidate_all()
        self.assertEqual(self.customer_a.qms_abc_class, "C")
        self.assertEqual(member_a.abc_class, "A")
        self.assertEqual(group.member_ids, members)
        self.assertEqual(group.candidate_count, 1)  # the live segment moved on
