# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A helpdesk agent confirming a complaint resolution for the customer
(issue 17), over real HTTP: through the portal route from the agent's own
session, and over JSON-RPC. Refused, nothing written; the customer's own
answer is recorded with who, how, when and from where."""

from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import QmsJsonRpcMixin

from .test_complaint_portal import MUTED, QmsComplaintPortalCase


@tagged("post_install", "-at_install")
class TestComplaintForgery(QmsJsonRpcMixin, QmsComplaintPortalCase):
    def _answer_stamps(self, ticket):
        # tracking messages of the setup are posted before the baseline
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        return (
            ticket.qms_confirmation_state,
            ticket.qms_confirmation_date,
            ticket.qms_confirmation_user_id,
            ticket.stage_id,
            len(ticket.message_ids),
        )

    @mute_logger(*MUTED)
    def test_agent_cannot_confirm_the_resolution_for_the_customer(self):
        ticket = self.ticket_a
        self.assertEqual(ticket.qms_confirmation_state, "pending")
        before = self._answer_stamps(ticket)
        for login in ("qms_cpl_agent", "qms_cpl_manager"):
            self.authenticate(login, login)
            for action, data in (("confirm", {}), ("reject", {"reason": "No"})):
                for token in (None, ticket.access_token):
                    with self.subTest(login=login, action=action, token=bool(token)):
                        response = self._post(
                            f"/my/ticket/{ticket.id}/qms/{action}",
                            access_token=token,
                            **data,
                        )
                        self.assertIn(response.status_code, (403, 404))
                        self.assertEqual(self._answer_stamps(ticket), before)
        # nor over JSON-RPC, by writing or creating
        for vals in (
            {"qms_confirmation_state": "confirmed"},
            {"qms_confirmation_date": "2026-01-01 00:00:00"},
            {"qms_confirmation_via": "portal"},
        ):
            with (
                self.subTest(vals=vals),
                mute_logger("odoo.http"),
                self.assertRaisesRegex(JsonRpcException, "UserError|AccessError"),
            ):
                self._rpc(
                    "qms_cpl_agent", "helpdesk.ticket", "write", [ticket.ids, vals]
                )
        self.assertEqual(self._answer_stamps(ticket), before)
        count = self.env["helpdesk.ticket"].search_count([])
        with (
            mute_logger("odoo.http"),
            self.assertRaisesRegex(JsonRpcException, "AccessError"),
        ):
            self._rpc(
                "qms_cpl_agent",
                "helpdesk.ticket",
                "create",
                [
                    {
                        "name": "Born confirmed",
                        "description": "<p>x</p>",
                        "partner_id": self.customer_a.id,
                        "qms_feedback_kind": "complaint",
                        "qms_confirmation_state": "confirmed",
                    }
                ],
            )
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        # the customer answers: recorded with portal user, channel, IP, time
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self._post(f"/my/ticket/{ticket.id}/qms/confirm")
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(ticket.qms_confirmation_state, "confirmed")
        self.assertEqual(ticket.qms_confirmation_user_id, self.portal_a)
        self.assertEqual(ticket.qms_confirmation_via, "portal")
        self.assertTrue(ticket.qms_confirmation_ip)
        self.assertTrue(ticket.qms_confirmation_date)

    def test_confirmation_by_phone_is_recorded_on_behalf_with_its_right(self):
        ticket = self.ticket_a
        ticket.qms_confirmation_channel = "phone"
        before = self._answer_stamps(ticket)
        with (
            mute_logger("odoo.http"),
            self.assertRaisesRegex(JsonRpcException, "AccessError"),
        ):
            self._rpc(
                "qms_cpl_agent",
                "helpdesk.ticket",
                "action_qms_record_customer_confirmation",
                [ticket.ids],
            )
        self.assertEqual(self._answer_stamps(ticket), before)
        new_test_user(
            self.env,
            "qms_cpl_recorder",
            groups="helpdesk_mgmt.group_helpdesk_manager,"
            "qms_crm_evidence.group_qms_record_on_behalf",
            name="Rita Recorder",
        )
        self._rpc(
            "qms_cpl_recorder",
            "helpdesk.ticket",
            "action_qms_record_customer_confirmation",
            [ticket.ids],
        )
        self.env.invalidate_all()
        self.assertEqual(ticket.qms_confirmation_state, "confirmed")
        self.assertEqual(ticket.qms_confirmation_via, "phone")
        self.assertEqual(
            ticket.qms_confirmation_recorded_by_id.login, "qms_cpl_recorder"
        )
        self.assertFalse(ticket.qms_confirmation_user_id)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "recorded by Rita Recorder on their behalf" in (m.body or "")
            )
        )

    def test_the_link_holder_answers_recorded_as_token(self):
        ticket = self.ticket_b
        self.authenticate(None, None)
        response = self._post(
            f"/my/ticket/{ticket.id}/qms/confirm", access_token=ticket.access_token
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(ticket.qms_confirmation_state, "confirmed")
        self.assertEqual(ticket.qms_confirmation_via, "token")
        self.assertFalse(ticket.qms_confirmation_user_id)
        self.assertTrue(ticket.qms_confirmation_ip)
