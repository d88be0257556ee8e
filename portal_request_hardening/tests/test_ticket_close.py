# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``/ticket/close`` of OCA helpdesk_mgmt against hostile requests, over HTTP.

Every refused request must write nothing.
"""

from unittest.mock import patch
from urllib.parse import urlsplit

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController

from .common import MUTED, PortalHardeningCommon


@tagged("post_install", "-at_install")
class TestTicketCloseHardening(PortalHardeningCommon):
    def _close(self, ticket_id, stage_id, csrf=True, method="POST", **extra):
        data = dict({"ticket_id": ticket_id, "stage_id": stage_id}, **extra)
        if csrf:
            data["csrf_token"] = self._csrf()
        if method == "POST":
            return self.url_open("/ticket/close", data=data, allow_redirects=False)
        return self.url_open(
            "/ticket/close", params=data, method=method, allow_redirects=False
        )

    @mute_logger(*MUTED)
    def test_other_customer_ticket_cannot_be_closed_and_nothing_is_written(self):
        self._login_a()
        before = self._state(self.ticket_b)
        missing_id = self.env["helpdesk.ticket"].search([], order="id desc").ids[0] + 99
        for stage in (self.stage_done, self.stage_cancelled):
            with self.subTest(stage=stage.name):
                response = self._close(self.ticket_b.id, stage.id)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Location", response.headers)
                self.assertNotIn(self.ticket_b.name, response.text)
        self.assertEqual(self._state(self.ticket_b), before)
        # a missing ticket answers exactly the same: ids are not revealed
        response = self._close(missing_id, self.stage_done.id)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Location", response.headers)

    @mute_logger(*MUTED)
    def test_close_over_get_head_or_options_is_refused(self):
        self._login_a()
        before = self._state(self.ticket_a)
        for method in ("GET", "HEAD", "OPTIONS"):
            with self.subTest(method=method):
                response = self._close(
                    self.ticket_a.id, self.stage_done.id, method=method
                )
                self.assertEqual(response.status_code, 405)
        self.assertEqual(self._state(self.ticket_a), before)

    @mute_logger(*MUTED)
    def test_close_without_a_valid_csrf_token_is_refused(self):
        self._login_a()
        before = self._state(self.ticket_a)
        response = self._close(self.ticket_a.id, self.stage_done.id, csrf=False)
        self.assertIn(response.status_code, (400, 403))
        for token in ("forged", "é" * 10, "0" * 40 + "o9999999999"):
            with self.subTest(token=token):
                response = self._close(
                    self.ticket_a.id, self.stage_done.id, csrf=False, csrf_token=token
                )
                self.assertIn(response.status_code, (400, 403))
        self.assertEqual(self._state(self.ticket_a), before)

    @mute_logger(*MUTED)
    def test_close_to_a_stage_not_meant_for_customers_is_refused(self):
        self._login_a()
        before = self._state(self.ticket_a)
        refused = {
            "closed, not from portal": self.stage_rejected.id,
            "open stage": self.stage_progress.id,
            "another team's closing stage": self.stage_other_team.id,
            "missing stage": self.stage_other_team.id + 1000,
            "not a number": "done",
            "empty": "",
            "too big": "9" * 30,
            "negative": -self.stage_done.id,
        }
        for label, stage_id in refused.items():
            with self.subTest(label):
                response = self._close(self.ticket_a.id, stage_id)
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self._state(self.ticket_a), before)

    @mute_logger(*MUTED)
    def test_malformed_ticket_ids_are_not_found_never_a_server_error(self):
        self._login_a()
        before = self._state(self.ticket_a)
        for ticket_id in ("abc", "", "9" * 30, "-1", "1.5", "１", " 0x1 "):
            with self.subTest(ticket_id=ticket_id):
                response = self._close(ticket_id, self.stage_done.id)
                self.assertEqual(response.status_code, 404)
        # stock helpdesk_mgmt calls int() on any field ending with _id
        response = self._close(self.ticket_a.id, "x", foo_id="not-a-number")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._state(self.ticket_a), before)

    def test_customer_closes_own_ticket_with_the_page_form(self):
        self._login_a()
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.content)
        forms = tree.xpath("//form[@action='/ticket/close']")
        # Done and Cancelled: the customer stages of the ticket's team
        self.assertEqual(len(forms), 2)
        for form in forms:
            self.assertEqual(form.get("method").upper(), "POST")
        form = forms[0]
        data = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
        self.assertTrue(data.get("csrf_token"))
        self.assertEqual(data["stage_id"], str(self.stage_done.id))
        # once checked, the move itself is helpdesk_mgmt's (super())
        core_close = HelpdeskTicketController.support_ticket_close
        with patch.object(
            HelpdeskTicketController,
            "support_ticket_close",
            autospec=True,
            side_effect=core_close,
        ) as core:
            response = self.url_open("/ticket/close", data=data, allow_redirects=False)
        self.assertEqual(core.call_count, 1)
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(
            urlsplit(response.headers["Location"]).path,
            f"/my/ticket/{self.ticket_a.id}",
        )
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.stage_id, self.stage_done)
        closed_date = self.ticket_a.closed_date
        self.assertTrue(closed_date)
        tracking = self.ticket_a.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(tracking.author_id, self.portal_a.partner_id)
        # replaying the form is harmless (the closing date stays); closing
        # again to another stage is not
        response = self.url_open("/ticket/close", data=data, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.closed_date, closed_date)
        with mute_logger(*MUTED):
            response = self._close(self.ticket_a.id, self.stage_cancelled.id)
        self.assertEqual(response.status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.stage_id, self.stage_done)
        # a closed ticket shows no close button any more
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertNotIn('action="/ticket/close"', page.text)

    def test_visitor_with_the_link_sees_the_ticket_without_close_buttons(self):
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/ticket/{self.ticket_a.id}/{self.ticket_a.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.name, response.text)
        self.assertNotIn('action="/ticket/close"', response.text)

    def test_close_and_submit_routes_are_declared_post_only_with_csrf(self):
        """The routes as Odoo serves them (every installed addon's override
        merged): a later override may not reopen them to GET or drop CSRF."""
        IrHttp = self.env["ir.http"]
        rules = dict(
            IrHttp._generate_routing_rules(
                sorted(self.env.registry._init_modules), IrHttp._get_converters()
            )
        )
        for url in ("/ticket/close", "/submitted/ticket"):
            with self.subTest(route=url):
                routing = rules[url].routing
                self.assertEqual(routing.get("methods"), ["POST"])
                self.assertIsNot(routing.get("csrf"), False)
