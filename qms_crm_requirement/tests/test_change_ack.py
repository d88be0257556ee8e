# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QmsRequirementCommon as QmsCrmCommon


@tagged("post_install", "-at_install")
class TestChangeAcknowledgement(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {
                "name": "QMS Team",
                "qms_change_notify_user_ids": [Command.set(cls.employee.ids)],
            }
        )
        cls.order = cls._order(team_id=cls.team.id)
        cls.order.message_subscribe(partner_ids=cls.salesman_all.partner_id.ids)
        cls.req = cls._requirement(order_id=cls.order.id, user_id=cls.qms_user.id)
        cls._approve(cls.order)
        cls.order.action_confirm()
        cls.picking = cls.order.picking_ids
        cls.picking.user_id = cls.salesman2

    def test_change_asks_every_relevant_person_once_but_not_its_author(self):
        version = self._change(self.req, user=self.qms_manager)
        roles = {ack.user_id: ack.role for ack in version.ack_ids}
        self.assertEqual(roles.get(self.salesman), "salesperson")
        self.assertEqual(roles.get(self.salesman_all), "follower")
        self.assertEqual(roles.get(self.salesman2), "delivery")
        self.assertEqual(roles.get(self.employee), "team")
        self.assertEqual(roles.get(self.qms_user), "owner")
        self.assertNotIn(self.qms_manager, roles)
        self.assertEqual(len(version.ack_ids), len(roles))
        activity_type = self.env.ref(
            "qms_crm_requirement.mail_activity_type_requirement_change"
        )
        for ack in version.ack_ids:
            self.assertEqual(ack.state, "pending")
            self.assertEqual(ack.activity_id.user_id, ack.user_id)
            self.assertEqual(ack.activity_id.activity_type_id, activity_type)
            self.assertEqual(ack.activity_id.res_id, self.req.id)
        self.assertEqual(version.ack_state, "pending")
        self.assertEqual(self.req.unack_count, len(roles))
        self.assertEqual(self.order.qms_unack_change_count, len(roles))

    def test_marking_the_activity_done_acknowledges(self):
        version = self._change(self.req, user=self.qms_manager)
        ack = version.ack_ids.filtered(lambda a: a.user_id == self.salesman)
        ack.activity_id.with_user(self.salesman).action_feedback(feedback="Read it")
        self.assertEqual(ack.state, "done")
        self.assertTrue(ack.ack_date)
        self.assertEqual(version.ack_state, "pending")
        self.assertIn(f"1 / {len(version.ack_ids)}", version.ack_progress)

    def test_acknowledge_button_only_for_own_and_banner_clears(self):
        version = self._change(self.req, user=self.qms_manager)
        others = version.ack_ids.filtered(lambda a: a.user_id != self.employee)
        with self.assertRaisesRegex(UserError, "Only"):
            others[0].with_user(self.employee).action_acknowledge()
        version.with_user(self.employee).action_acknowledge()
        mine = version.ack_ids.filtered(lambda a: a.user_id == self.employee)
        self.assertEqual(mine.state, "done")
        self.assertFalse(mine.activity_id.active)
        with self.assertRaisesRegex(UserError, "no pending acknowledgement"):
            version.with_user(self.employee).action_acknowledge()
        for ack in others:
            version.with_user(ack.user_id).action_acknowledge()
        self.assertEqual(version.ack_state, "done")
        self.assertEqual(self.order.qms_unack_change_count, 0)
        self.assertEqual(self.req.unack_count, 0)
        self.assertTrue(
            any("acknowledged by" in (m.body or "") for m in self.req.message_ids)
        )

    def test_acknowledgements_are_not_edited(self):
        version = self._change(self.req, user=self.qms_manager)
        ack = version.ack_ids[0]
        with self.assertRaises(UserError):
            ack.with_user(ack.user_id).write({"user_id": self.qms_manager.id})

    def test_change_can_ask_the_customer_to_confirm(self):
        version = self._change(self.req, user=self.qms_manager, ask_customer=True)
        self.assertEqual(self.req.confirmation_state, "pending")
        self.assertTrue(self.req.access_token)
        mail = self.env["mail.mail"].search(
            [("model", "=", "qms.requirement"), ("res_id", "=", self.req.id)], limit=1
        )
        self.assertTrue(mail)
        self.assertIn(self.req.access_token, mail.body_html)
        self.assertEqual(version.number, 2)
