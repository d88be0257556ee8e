# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import QmsProcessCommon

SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


class QmsActCommon(QmsProcessCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._order()
        cls.req_size = cls._requirement(name="Windows 1200x1400", order_id=cls.order.id)
        cls.req_colour = cls._requirement(name="White frames", order_id=cls.order.id)
        (cls.req_size | cls.req_colour).write({"state": "accepted"})

    @classmethod
    def _visit(cls):
        return cls.env["qms.installation"].create(
            {
                "sale_order_id": cls.order.id,
                "installer_id": cls.installer.id,
                "planned_date": "2026-12-07 09:00:00",
                "check_ids": [(0, 0, {"name": "Frames sealed", "done": True})],
            }
        )

    @classmethod
    def _act(cls, results=("met", "met")):
        visit = cls._visit()
        visit.action_done()
        act = cls.env["qms.acceptance.act"].browse(visit.action_new_act()["res_id"])
        for line, result in zip(act.line_ids, results, strict=True):
            line.write({"result": result, "note": "checked"})
        return act


@tagged("post_install", "-at_install")
class TestAcceptanceAct(QmsActCommon):
    def test_act_lists_each_requirement_of_the_order(self):
        act = self._act()
        self.assertEqual(act.line_ids.requirement_id, self.req_size | self.req_colour)
        self.assertEqual(act.partner_id, self.customer_a)
        self.assertEqual(
            set(act.qms_clause_ids.mapped("code")), {"5.1.2 a)", "8.2.3", "8.6"}
        )

    def test_results(self):
        self.assertEqual(self._act(("met", "met")).result, "accepted")
        self.assertEqual(self._act(("met", "deviation")).result, "deviation")
        self.assertEqual(self._act(("deviation", "not_met")).result, "rejected")

    def test_send_needs_every_line_answered(self):
        visit = self._visit()
        visit.action_done()
        act = self.env["qms.acceptance.act"].browse(visit.action_new_act()["res_id"])
        with self.assertRaisesRegex(UserError, "Windows 1200x1400"):
            act.action_send()
        self.assertEqual(act.state, "draft")

    def test_states_draft_sent_signed(self):
        act = self._act()
        self.assertEqual(act.state, "draft")
        act.with_user(self.installer).action_send()
        self.assertEqual(act.state, "sent")
        self.assertTrue(act.access_token)
        with self.assertRaises(UserError):
            act.line_ids[0].with_user(self.installer).result = "not_met"
        act._qms_customer_sign(SIGNATURE, "Alice Portal", user=self.portal_a)
        self.assertEqual(act.state, "signed")
        self.assertEqual(act.sign_channel, "portal")
        self.assertEqual(act.portal_user_id, self.portal_a)
        self.assertTrue(act.signed_on)
        self.assertFalse(act.complaint_id)
        with self.assertRaises(UserError):
            act.with_user(self.installer).write({"name": "other"})

    def test_not_met_opens_a_complaint(self):
        act = self._act(("met", "not_met"))
        act.action_send()
        act._qms_customer_sign(SIGNATURE, "Alice Portal", user=self.portal_a)
        self.assertEqual(act.state, "signed")
        self.assertEqual(act.result, "rejected")
        self.assertTrue(act.complaint_id.qms_is_complaint)
        self.assertEqual(act.complaint_id.partner_id, self.customer_a)
        self.assertEqual(act.complaint_id.qms_sale_order_id, self.order)

    def test_refusal_opens_a_complaint(self):
        act = self._act()
        act.action_send()
        with self.assertRaisesRegex(ValidationError, "why"):
            act._qms_customer_sign(
                None, None, "refuse", comment=" ", user=self.portal_a
            )
        act._qms_customer_sign(
            None, None, "refuse", comment="Scratched glass", user=self.portal_a
        )
        self.assertEqual(act.state, "refused")
        self.assertIn("Scratched glass", act.complaint_id.description)

    def test_staff_session_cannot_sign_for_the_customer(self):
        act = self._act()
        act.action_send()
        for user in (self.installer, self.qms_manager, self.env.ref("base.user_admin")):
            with self.assertRaises(AccessError):
                act.with_user(user)._qms_customer_sign(SIGNATURE, "Me", user=user)
        self.assertEqual(act.state, "sent")

    def test_other_customers_portal_user_cannot_sign(self):
        act = self._act()
        act.action_send()
        with self.assertRaises(AccessError):
            act._qms_customer_sign(SIGNATURE, "Bob", user=self.portal_b)
        self.assertEqual(act.state, "sent")

    def test_decision_fields_are_guarded_on_every_write(self):
        act = self._act()
        act.action_send()
        for vals in (
            {"state": "signed"},
            {"signed_by": "Forged"},
            {"signature": SIGNATURE},
            {"sign_channel": "portal"},
        ):
            for user in (self.installer, self.qms_manager):
                with (
                    self.subTest(vals=vals, user=user.login),
                    self.assertRaises(UserError),
                ):
                    act.with_user(user).write(vals)
        with self.assertRaises(UserError):
            act.sudo().write({"state": "signed"})
        with self.assertRaises(UserError):
            self.env["qms.acceptance.act"].create(
                {"installation_id": act.installation_id.id, "state": "signed"}
            )
        self.assertEqual(act.state, "sent")

    def test_tablet_signature_records_who_held_the_tablet(self):
        act = self._act()
        act.action_send()
        wizard = (
            self.env["qms.acceptance.sign"]
            .with_user(self.installer)
            .create(
                {"act_id": act.id, "signed_by": "Alice Alpha", "signature": SIGNATURE}
            )
        )
        wizard.action_confirm()
        self.assertEqual(act.state, "signed")
        self.assertEqual(act.sign_channel, "tablet")
        self.assertEqual(act.recorded_by_id, self.installer)
        self.assertEqual(act.signer_partner_id, self.customer_a)

    def test_act_is_never_deleted(self):
        act = self._act()
        with self.assertRaises(UserError):
            act.unlink()

    def test_report_renders_the_lines_and_signature(self):
        act = self._act(("met", "deviation"))
        act.action_send()
        act._qms_customer_sign(SIGNATURE, "Alice Portal", user=self.portal_a)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "qms_crm_process.action_report_qms_acceptance_act", act.ids
            )[0]
            .decode()
        )
        self.assertIn("Windows 1200x1400", html)
        self.assertIn("Met with Deviation", html)
        self.assertIn("Alice Portal", html)

    def test_visit_on_time_flag(self):
        visit = self._visit()
        visit.action_done()
        # done now (2026 or later) after a visit planned on 7 December 2026
        self.assertEqual(
            visit.on_time, visit.done_date.date() <= visit.planned_date.date()
        )
        with self.assertRaisesRegex(UserError, "checklist"):
            v2 = self._visit()
            v2.check_ids.done = False
            v2.action_done()
