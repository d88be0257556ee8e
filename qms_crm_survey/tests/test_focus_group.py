# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestFocusGroup(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = cls.env["res.partner.category"].create({"name": "Pilot customers"})
        cls.country = cls.env.ref("base.be")
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Gamma Customer", "is_company": True, "email": "g@example.com"}
        )
        (cls.customer_a | cls.customer_b | cls.customer_c).write(
            {
                "customer_rank": 1,
                "country_id": cls.country.id,
                "category_id": [(4, cls.tag.id)],
            }
        )

    def _group(self, **vals):
        return (
            self.env["qms.focus.group"]
            .with_user(self.qms_user)
            .create(
                dict(
                    {
                        "name": "Pump redesign panel",
                        "purpose": "design_review",
                        "category_ids": [(6, 0, self.tag.ids)],
                        "country_ids": [(6, 0, self.country.ids)],
                        "product_id": self.product.id,
                    },
                    **vals,
                )
            )
        )

    def test_segment_criteria(self):
        group = self._group()
        self.assertEqual(group.candidate_count, 3)
        self._answer(self.nps, self.customer_a, {"nps": 10})
        self._answer(self.nps, self.customer_b, {"nps": 5})
        group.nps_category = "promoter"
        self.assertEqual(group._qms_segment_partners(), self.customer_a)
        # products bought: a confirmed order of the product
        group.nps_category = False
        group.bought_product_ids = self.product
        self.assertFalse(group._qms_segment_partners())
        order = self._order(self.customer_c)
        order.action_confirm()
        self.assertEqual(group._qms_segment_partners(), self.customer_c)

    def test_snapshot_is_unaffected_by_later_segment_changes(self):
        group = self._group()
        group.action_convene()
        self.assertEqual(group.state, "convened")
        self.assertTrue(group.convened_date)
        members = group.member_ids
        self.assertEqual(
            members.partner_id, self.customer_a | self.customer_b | self.customer_c
        )
        member_a = members.filtered(lambda m: m.partner_id == self.customer_a)
        self.assertEqual(member_a.tags, "Pilot customers")
        # customers and segment change afterwards
        self.customer_a.write({"category_id": [(5,)], "country_id": False})
        self.env["res.partner"].create(
            {
                "name": "Delta Customer",
                "is_company": True,
                "customer_rank": 1,
                "country_id": self.country.id,
                "category_id": [(4, self.tag.id)],
            }
        )
        self.tag.name = "Renamed tag"
        group.invalidate_recordset()
        self.assertEqual(group.member_ids, members)
        self.assertEqual(member_a.tags, "Pilot customers")
        self.assertEqual(member_a.country_id, self.country)
        self.assertEqual(group.candidate_count, 3)  # the live segment moved on
        with self.assertRaisesRegex(UserError, "already convened"):
            group.action_convene()

    def test_convening_an_empty_segment_is_refused(self):
        group = self._group(nps_category="detractor")
        with self.assertRaisesRegex(UserError, "No customer matches"):
            group.action_convene()

    def test_session_invitations_participation_and_requirement(self):
        group = self._group()
        session = (
            self.env["qms.focus.group.session"]
            .with_user(self.qms_user)
            .create({"name": "Prototype B review", "focus_group_id": group.id})
        )
        with self.assertRaisesRegex(UserError, "Convene the focus group"):
            session.action_invite()
        group.action_convene()
        session.action_invite()
        session.action_invite()  # nobody twice
        self.assertEqual(len(session.participation_ids), 3)
        self.assertEqual(set(session.participation_ids.mapped("state")), {"invited"})
        self.assertEqual(
            session.message_ids[:1].partner_ids,
            self.customer_a | self.customer_b | self.customer_c,
        )
        part = session.participation_ids.filtered(
            lambda p: p.partner_id == self.customer_a
        )
        with self.assertRaisesRegex(UserError, "Record the feedback"):
            part.action_create_requirement()
        part.write(
            {"state": "attended", "feedback": "Handle must fold flat\nfor transport."}
        )
        self.assertEqual(session.attended_count, 1)
        action = part.action_create_requirement()
        requirement = part.requirement_id
        self.assertEqual(action["res_id"], requirement.id)
        self.assertEqual(requirement.name, "Handle must fold flat")
        self.assertEqual(requirement.source, "focus_group")
        self.assertEqual(requirement.partner_id, self.customer_a)
        self.assertEqual(requirement.product_ids, self.product)
        with self.assertRaisesRegex(UserError, "already created"):
            part.action_create_requirement()
        self.assertEqual(group.qms_clause_ids.mapped("code"), ["8.3.2 g)"])

    def test_focus_group_is_evidence_never_deleted(self):
        group = self._group()
        with self.assertRaisesRegex(UserError, "never deleted"):
            group.sudo().unlink()
