# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Forging decisions and customer acts (issue 17), tried as each role over
real HTTP: JSON-RPC (``/web/dataset/call_kw``) with a real login and the
portal routes. Every attempt is refused and writes nothing; the legitimate
path (the buttons, the customer on the portal) still works."""

import base64
from datetime import datetime, timedelta

from lxml import html

from odoo import Command, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import QmsJsonRpcMixin

from .common import QmsRequirementCommon


@tagged("post_install", "-at_install")
class TestRequirementForgery(QmsJsonRpcMixin, HttpCase, QmsRequirementCommon):
    # ------------------------------------------------------------------
    # confirmation_state written by a salesperson
    # ------------------------------------------------------------------
    def test_salesperson_cannot_write_the_customer_confirmation(self):
        order = self._order()
        req = self._requirement(order_id=order.id, documented=False, source="call")
        self.assertEqual(req.confirmation_state, "to_send")
        for vals in (
            {"confirmation_state": "confirmed"},
            {"state": "accepted"},
            {"confirmation_sent_date": "2020-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals):
                self._refused(
                    "qms_salesman", "qms.requirement", "write", [req.ids, vals]
                )
                self.assertEqual(req.confirmation_state, "to_send")
                self.assertEqual(req.state, "draft")
                self.assertFalse(req.confirmation_sent_date)
        # nor born confirmed, by value, by context default or by import
        count = self.env["qms.requirement"].search_count([])
        base = {
            "name": "Forged",
            "description": "Forged text",
            "partner_id": self.customer_a.id,
            "documented": False,
        }
        self._refused(
            "qms_salesman",
            "qms.requirement",
            "create",
            [dict(base, confirmation_state="confirmed")],
        )
        self._refused(
            "qms_salesman",
            "qms.requirement",
            "create",
            [base],
            {"default_state": "accepted"},
        )
        result = self._rpc(
            "qms_salesman",
            "qms.requirement",
            "load",
            [
                ["name", "description", "partner_id/.id", "confirmation_state"],
                [["Imported", "Text", str(self.customer_a.id), "confirmed"]],
            ],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.assertEqual(self.env["qms.requirement"].search_count([]), count)
        self.assertFalse(req.confirmation_ids)
        # nor skipped by declaring it documented once the customer was asked
        req.with_user(self.salesman).action_send_confirmation()
        self._refused(
            "qms_salesman",
            "qms.requirement",
            "write",
            [req.ids, {"documented": True}],
        )
        self.assertFalse(req.documented)
        self.assertEqual(req.confirmation_state, "pending")
        # so the order still waits for a review with the customer's answer
        self._refused("qms_salesman", "sale.order", "action_confirm", [order.ids])
        self.assertEqual(order.state, "draft")

    @mute_logger("odoo.http")
    def test_salesperson_api_key_cannot_confirm_through_json2(self):
        req = self._requirement(documented=False, source="call")
        req.with_user(self.salesman).action_send_confirmation()
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.salesman)
            ._generate("rpc", "forgery test", datetime.now() + timedelta(days=1))
        )
        headers = {
            "Authorization": f"Bearer {key}",
            "X-Odoo-Database": self.env.cr.dbname,
        }
        for vals in ({"confirmation_state": "confirmed"}, {"state": "accepted"}):
            with self.subTest(vals=vals):
                response = self.url_open(
                    "/json/2/qms.requirement/write",
                    json={"ids": req.ids, "vals": vals},
                    headers=headers,
                )
                self.assertEqual(response.status_code, 403, response.text[:300])
                self.assertEqual(response.json()["name"], "odoo.exceptions.AccessError")
                self.env.invalidate_all()
                self.assertEqual(req.confirmation_state, "pending")
                self.assertEqual(req.state, "draft")
        self.assertFalse(req.confirmation_ids)
        # the same key reads, so it did authenticate
        response = self.url_open(
            "/json/2/qms.requirement/read",
            json={"ids": req.ids, "fields": ["confirmation_state"]},
            headers=headers,
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(response.json()[0]["confirmation_state"], "pending")

    # ------------------------------------------------------------------
    # the customer's portal answer given from a staff session
    # ------------------------------------------------------------------
    def _answer_form(self, req, token):
        response = self.url_open(
            f"/my/qms/requirements/{req.id}", params={"access_token": token}
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        tree = html.fromstring(response.content)
        inputs = tree.xpath(
            "//form[contains(@action, '/answer')]//input[@type='hidden']"
        )
        return {i.get("name"): i.get("value") or "" for i in inputs}

    def _post_answer(self, req, form, **data):
        return self.url_open(
            f"/my/qms/requirements/{req.id}/answer",
            data=dict(form, **data),
            allow_redirects=False,
        )

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_salesperson_cannot_answer_on_the_customer_portal(self):
        req = self._requirement(documented=False, source="call")
        req.with_user(self.salesman).action_send_confirmation()
        messages = len(req.message_ids)
        # the salesperson, logged in, with the customer's link
        self.authenticate("qms_salesman", "qms_salesman")
        form = self._answer_form(req, req.access_token)
        response = self._post_answer(req, form, decision="confirmed")
        self.assertEqual(response.status_code, 403)
        # another customer's portal user without the link
        self.authenticate("qms_portal_b", "qms_portal_b")
        response = self._post_answer(
            req,
            dict(form, access_token="", csrf_token=http.Request.csrf_token(self)),
            decision="confirmed",
        )
        self.assertIn(response.status_code, (403, 404))
        self.env.invalidate_all()
        self.assertEqual(req.confirmation_state, "pending")
        self.assertFalse(req.confirmation_ids)
        self.assertEqual(len(req.message_ids), messages)
        # the customer's own portal user answers (no link needed): recorded
        # with who, how, when and from where
        self.authenticate("qms_portal_a", "qms_portal_a")
        form = self._answer_form(req, None)
        response = self._post_answer(req, form, decision="confirmed")
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        self.env.invalidate_all()
        self.assertEqual(req.confirmation_state, "confirmed")
        confirmation = req.confirmation_ids
        self.assertEqual(confirmation.portal_user_id, self.portal_a)
        self.assertEqual(confirmation.answered_via, "portal")
        self.assertTrue(confirmation.ip_address)
        self.assertTrue(confirmation.create_date)

    # ------------------------------------------------------------------
    # a draft review "approved" by writing its fields
    # ------------------------------------------------------------------
    def test_draft_review_state_approver_and_date_are_not_writable(self):
        order = self._order()
        self._requirement(order_id=order.id)
        review = self.env["qms.requirement.review"].create({"order_id": order.id})
        review.line_ids.write({"can_meet": "yes"})
        forged = {
            "state": "approved",
            "user_id": self.qms_manager.id,
            "review_date": "2020-01-01 09:00:00",
        }
        self._refused(
            "qms_salesman", "qms.requirement.review", "write", [review.ids, forged]
        )
        self.assertEqual(review.state, "draft")
        self.assertEqual(review.user_id, self.env.user)
        self.assertFalse(review.review_date)
        self.assertEqual(review.line_ids.requirement_id.state, "review")
        count = self.env["qms.requirement.review"].search_count([])
        self._refused(
            "qms_salesman",
            "qms.requirement.review",
            "create",
            [{"order_id": order.id, "state": "approved"}],
        )
        self.assertEqual(self.env["qms.requirement.review"].search_count([]), count)
        # the button records the real approver, now
        self._rpc(
            "qms_salesman", "qms.requirement.review", "action_approve", [review.ids]
        )
        self.env.invalidate_all()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.user_id, self.salesman)
        self.assertGreater(review.review_date.year, 2020)
        self.assertEqual(review.line_ids.requirement_id.state, "accepted")

    # ------------------------------------------------------------------
    # change acknowledgements
    # ------------------------------------------------------------------
    def _pending_ack(self, user):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        order.action_confirm()
        version = self._change(req, user=self.qms_manager)
        ack = version.ack_ids.filtered(lambda a: a.user_id == user)
        self.assertEqual(ack.state, "pending")
        self.assertTrue(ack.activity_id)
        return ack

    def test_nobody_writes_an_acknowledgement_state_or_date(self):
        ack = self._pending_ack(self.salesman)
        for vals in (
            {"state": "done", "ack_date": "2020-01-01 00:00:00"},
            {"ack_date": "2020-01-01 00:00:00"},
            {"recorded_by_id": self.qms_manager.id},
        ):
            with self.subTest(vals=vals):
                self._refused(
                    "qms_salesman", "qms.requirement.ack", "write", [ack.ids, vals]
                )
                self.assertEqual(ack.state, "pending")
                self.assertFalse(ack.ack_date)
        self.assertEqual(ack.delay_hours, 0.0)
        # the person acknowledges with the button: stamped now
        self._rpc(
            "qms_salesman", "qms.requirement.ack", "action_acknowledge", [ack.ids]
        )
        self.env.invalidate_all()
        self.assertEqual(ack.state, "done")
        self.assertGreaterEqual(ack.delay_hours, 0.0)
        self.assertFalse(ack.recorded_by_id)

    def test_only_the_assignee_marks_an_acknowledgement_activity_done(self):
        ack = self._pending_ack(self.salesman)
        activity = ack.activity_id
        # a colleague who may write the requirement
        self._refused(
            "qms_salesman_all",
            "mail.activity",
            "action_feedback",
            [activity.ids],
            feedback="Read it for Sam",
        )
        self.assertEqual(ack.state, "pending")
        self.assertTrue(activity.exists() and activity.active)
        # a manager needs a reason
        self._refused("qms_manager", "mail.activity", "action_feedback", [activity.ids])
        self.assertEqual(ack.state, "pending")
        # with a reason: recorded as done on the person's behalf
        self._rpc(
            "qms_manager",
            "mail.activity",
            "action_feedback",
            [activity.ids],
            feedback="Sam confirmed in the team meeting",
        )
        self.env.invalidate_all()
        self.assertEqual(ack.state, "done")
        self.assertEqual(ack.recorded_by_id, self.qms_manager)
        self.assertIn("team meeting", ack.recorded_reason)
        self.assertTrue(
            ack.requirement_id.message_ids.filtered(
                lambda m: "on their behalf" in (m.body or "")
            )
        )

    def test_assignee_marks_their_own_activity_done(self):
        ack = self._pending_ack(self.salesman)
        self._rpc(
            "qms_salesman",
            "mail.activity",
            "action_feedback",
            [ack.activity_id.ids],
            feedback="Read",
        )
        self.env.invalidate_all()
        self.assertEqual(ack.state, "done")
        self.assertFalse(ack.recorded_by_id)

    # ------------------------------------------------------------------
    # the source contract of an accepted requirement
    # ------------------------------------------------------------------
    def test_source_contract_of_an_accepted_requirement_stays(self):
        order = self._order()
        contract = self.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "datas": base64.b64encode(b"%PDF signed contract"),
                "res_model": "qms.requirement",
                "res_id": 0,
            }
        )
        req = self._requirement(
            order_id=order.id, attachment_ids=[Command.link(contract.id)]
        )
        contract.res_id = req.id
        self._approve(order)
        self.assertEqual(req.state, "accepted")
        for commands in (
            [Command.unlink(contract.id)],
            [Command.set([])],
            [Command.clear()],
        ):
            with self.subTest(commands=commands):
                self._refused(
                    "qms_salesman",
                    "qms.requirement",
                    "write",
                    [req.ids, {"attachment_ids": commands}],
                )
                self.assertEqual(req.attachment_ids, contract)
        self._refused("qms_salesman", "ir.attachment", "unlink", [contract.ids])
        self._refused(
            "qms_salesman",
            "ir.attachment",
            "write",
            [contract.ids, {"datas": base64.b64encode(b"another").decode()}],
        )
        self.assertTrue(contract.exists())
        self.assertEqual(contract.raw, b"%PDF signed contract")
        # adding a document is fine
        annex = (
            self.env["ir.attachment"]
            .with_user(self.salesman)
            .create({"name": "annex.pdf", "datas": base64.b64encode(b"annex")})
        )
        self._rpc(
            "qms_salesman",
            "qms.requirement",
            "write",
            [req.ids, {"attachment_ids": [Command.link(annex.id)]}],
        )
        self.env.invalidate_all()
        self.assertEqual(req.attachment_ids, contract | annex)
