# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QmsRequirementCommon as QmsCrmCommon


@tagged("post_install", "-at_install")
class TestConfirmationGate(QmsCrmCommon):
    def _set_mode(self, mode):
        self.env["ir.config_parameter"].sudo().set_param("qms_crm.gate_mode", mode)

    def test_order_without_requirements_confirms_in_block_mode(self):
        order = self._order()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.qms_confirmed_without_review)

    def test_block_mode_names_every_missing_requirement(self):
        order = self._order()
        draft = self._requirement(name="Draft one", order_id=order.id)
        in_review = self._requirement(name="Reviewed one", order_id=order.id)
        in_review.action_submit()
        self.assertTrue(order.qms_gate_blocked)
        with self.assertRaises(UserError) as err:
            order.with_user(self.salesman).action_confirm()
        message = str(err.exception)
        self.assertIn(order.name, message)
        self.assertIn(draft.display_name, message)
        self.assertIn("has not been submitted for review", message)
        self.assertIn(in_review.display_name, message)
        self.assertIn("has no approved review", message)
        self.assertEqual(order.state, "draft")

    def test_block_mode_allows_confirmation_after_approved_review(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        self.assertEqual(req.state, "accepted")
        self.assertFalse(order.qms_gate_blocked)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.qms_confirmed_without_review)

    def test_opportunity_requirements_gate_its_quotations(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Big deal",
                "type": "opportunity",
                "partner_id": self.customer_a.id,
            }
        )
        req = self._requirement(lead_id=lead.id)
        order = self._order(opportunity_id=lead.id)
        with self.assertRaisesRegex(UserError, "has not been submitted for review"):
            order.action_confirm()
        review = self._approve(order)
        self.assertIn(req, review.line_ids.requirement_id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_change_after_review_blocks_again(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        self._change(req)
        self.assertEqual(req.version, 2)
        with self.assertRaisesRegex(
            UserError, "changed since its last approved review"
        ):
            order.action_confirm()
        self._approve(order)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_rejected_and_unconfirmed_requirements_block(self):
        order = self._order()
        undocumented = self._requirement(
            order_id=order.id, documented=False, name="Oral"
        )
        self.assertEqual(undocumented.confirmation_state, "to_send")
        undocumented.action_submit()
        with self.assertRaisesRegex(UserError, "has no approved review"):
            order.action_confirm()
        review = self.env["qms.requirement.review"].create({"order_id": order.id})
        review.line_ids.write({"can_meet": "yes"})
        with self.assertRaisesRegex(UserError, "has not confirmed"):
            review.action_approve()
        review.line_ids.write({"can_meet": "no", "note": "Impossible"})
        review.outcome_note = "We cannot do it"
        review.action_reject()
        self.assertEqual(undocumented.state, "rejected")
        with self.assertRaisesRegex(UserError, "was rejected in review"):
            order.action_confirm()

    def test_superseded_requirements_do_not_block(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        req.action_submit()
        req.action_supersede()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_warn_mode_confirms_and_logs_what_was_missing(self):
        self._set_mode("warn")
        order = self._order()
        req = self._requirement(order_id=order.id)
        self.assertFalse(order.qms_gate_blocked)
        self.assertIn(req.display_name, order.qms_gate_message)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.qms_confirmed_without_review)
        note = order.message_ids.filtered(
            lambda m: "requirement review is incomplete" in (m.body or "")
        )
        self.assertTrue(note)
        self.assertIn(req.display_name, note[0].body)

    def test_off_mode_confirms_without_message_but_keeps_the_figure(self):
        self._set_mode("off")
        order = self._order()
        self._requirement(order_id=order.id)
        self.assertFalse(order.qms_gate_message)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.qms_confirmed_without_review)

    def test_unknown_mode_falls_back_to_block(self):
        self._set_mode("sometimes")
        order = self._order()
        self._requirement(order_id=order.id)
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_override_needs_a_manager_and_a_reason_and_is_logged(self):
        order = self._order(user=self.salesman_all)
        self._requirement(order_id=order.id)
        Wizard = self.env["qms.gate.override"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.salesman_all).create(
                {"order_id": order.id, "reason": "Customer is in a hurry"}
            )
        # even a wizard created on their behalf does not confirm for them
        as_salesman = Wizard.create(
            {"order_id": order.id, "reason": "Customer is in a hurry"}
        ).with_user(self.salesman_all)
        with self.assertRaises(AccessError):
            as_salesman.action_confirm()
        self.assertEqual(order.state, "draft")
        blank = Wizard.with_user(self.qms_manager).create(
            {"order_id": order.id, "reason": "   "}
        )
        with self.assertRaises(UserError):
            blank.action_confirm()
        self.assertEqual(order.state, "draft")
        wizard = Wizard.with_user(self.qms_manager).create(
            {"order_id": order.id, "reason": "Framework contract already covers it"}
        )
        self.assertIn("has not been submitted for review", wizard.issues)
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            order.qms_override_reason, "Framework contract already covers it"
        )
        self.assertEqual(order.qms_override_user_id, self.qms_manager)
        self.assertTrue(order.qms_override_date)
        self.assertTrue(order.qms_confirmed_without_review)
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("Framework contract already covers it", bodies)
        self.assertIn("override", bodies)
