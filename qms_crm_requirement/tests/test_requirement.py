# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import QmsRequirementCommon as QmsCrmCommon


@tagged("post_install", "-at_install")
class TestRequirement(QmsCrmCommon):
    def test_reference_from_sequence_and_category_clause_tag(self):
        req = self._requirement(category="statutory", regulation_ref="EU 2017/745")
        self.assertTrue(req.reference.startswith("REQ/"))
        codes = set(req.qms_clause_ids.mapped("code"))
        self.assertTrue({"8.2.3.1", "5.1.2 a)", "8.2.3.1 d)"} <= codes, codes)

    def test_bad_inputs_are_clear_errors(self):
        with self.assertRaisesRegex(ValidationError, "law or regulation"):
            self._requirement(category="statutory", regulation_ref="  ")
        with self.assertRaisesRegex(ValidationError, "non-empty text"):
            self._requirement(description="   ")
        other_order = self._order(partner=self.customer_b, user=self.salesman2)
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._requirement(order_id=other_order.id)
        order = self._order()
        with self.assertRaisesRegex(ValidationError, "must belong to its order"):
            self._requirement(
                order_id=order.id, sale_line_ids=[(6, 0, other_order.order_line.ids)]
            )

    def test_order_link_brings_its_opportunity(self):
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "type": "opportunity", "partner_id": self.customer_a.id}
        )
        order = self._order(opportunity_id=lead.id)
        req = self._requirement(order_id=order.id)
        self.assertEqual(req.lead_id, lead)

    def test_submit_only_from_draft(self):
        req = self._requirement()
        req.action_submit()
        self.assertEqual(req.state, "review")
        with self.assertRaises(UserError):
            req.action_submit()

    def test_undocumented_requirement_needs_confirmation(self):
        req = self._requirement(documented=False)
        self.assertEqual(req.confirmation_state, "to_send")
        req.documented = True
        self.assertEqual(req.confirmation_state, "not_needed")

    def test_accepted_requirement_is_not_silently_overwritten(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        self.assertEqual(req.state, "accepted")
        self.assertEqual(req.version_ids.number, 1)
        with self.assertRaisesRegex(UserError, "Change Requirement"):
            req.with_user(self.salesman).description = "Something else"
        with self.assertRaisesRegex(UserError, "final evidence"):
            req.with_user(self.salesman).source = "call"
        # administrative links stay editable
        req.with_user(self.salesman).user_id = self.salesman2

    def test_change_creates_numbered_version_with_diff_and_keeps_old_text(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        old_text = req.description
        version = self._change(req, user=self.salesman, change_reason="Faster please")
        self.assertEqual(version.number, 2)
        self.assertEqual(req.version, 2)
        self.assertEqual(req.state, "review")
        self.assertEqual(
            req.description, "Delivery within 3 working days of the order."
        )
        first = req.version_ids.filtered(lambda v: v.number == 1)
        self.assertEqual(first.description, old_text)
        self.assertEqual(version.previous_id, first)
        self.assertEqual(version.change_reason, "Faster please")
        self.assertEqual(version.requested_by, "customer")
        self.assertEqual(version.user_id, self.salesman)
        self.assertIn("<del", version.diff_html)
        self.assertIn("5", version.diff_html)
        self.assertIn("<ins", version.diff_html)
        self.assertIn("3", version.diff_html)

    def test_change_wizard_rejects_bad_input(self):
        req = self._requirement()
        with self.assertRaisesRegex(UserError, "Only accepted"):
            req.action_change()
        order = self._order()
        req.order_id = order
        self._approve(order)
        with self.assertRaisesRegex(UserError, "Nothing changed"):
            self._change(req, description=req.description)
        with self.assertRaisesRegex(UserError, "reason"):
            self._change(req, change_reason="  ")

    def test_versions_are_never_edited_or_deleted(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        version = req.version_ids
        with self.assertRaises(UserError):
            version.with_user(self.qms_manager).description = "rewritten history"
        with self.assertRaises(UserError):
            version.sudo().unlink()
        with self.assertRaises(UserError):
            req.sudo().unlink()

    def test_statutory_change_keeps_regulation_rule(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        with self.assertRaisesRegex(ValidationError, "law or regulation"):
            self._change(req, category="statutory", regulation_ref=False)
