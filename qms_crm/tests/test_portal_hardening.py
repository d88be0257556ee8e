# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hostile portal requests against helpdesk_mgmt's and sale's portal, over HTTP.

One class per class of finding: closing tickets, submitting tickets, listing
pages, NUL bytes and tokens. Every refused request must write nothing.
"""

import base64
from unittest.mock import patch
from urllib.parse import urlsplit

from lxml import html

from odoo import Command, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon

MUTED = (
    "odoo.http",
    "odoo.addons.http_routing.models.ir_http",
    "odoo.addons.qms_crm.models.ir_http",
)
SCRIPT = "<script>alert('qms')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;qms&#x27;)&lt;/script&gt;"


class QmsPortalHardeningCase(HttpCase, QmsCrmCommon):
    """Tickets and orders of two customers, helpdesk teams and stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "helpdesk_mgmt_portal_select_team": True,
                "helpdesk_mgmt_portal_team_id_required": False,
                "helpdesk_mgmt_portal_select_category": True,
                "helpdesk_mgmt_portal_category_id_required": False,
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "QMS Support", "show_in_portal": True}
        )
        cls.team_other = cls.env["helpdesk.ticket.team"].create(
            {"name": "QMS Back Office", "show_in_portal": True}
        )
        cls.team_hidden = cls.env["helpdesk.ticket.team"].create(
            {"name": "QMS Internal Team", "show_in_portal": False}
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "QMS Delivery", "show_in_portal": True}
        )
        cls.category_hidden = cls.env["helpdesk.ticket.category"].create(
            {"name": "QMS Internal Category", "show_in_portal": False}
        )
        ref = cls.env.ref
        cls.stage_new = ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.stage_rejected = ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        # a customer-closable stage of another team only
        cls.stage_other_team = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "Solved by back office",
                "closed": True,
                "close_from_portal": True,
                "team_ids": [Command.set(cls.team_other.ids)],
            }
        )
        cls.ticket_a = cls._ticket(cls.portal_a, "Alpha pump leaks")
        cls.ticket_b = cls._ticket(cls.portal_b, "Beta secret valve issue")
        cls.order_a = cls._order(cls.customer_a)
        cls.product_b = cls.env["product.product"].create(
            {"name": "QMS Beta-only gadget", "type": "consu", "list_price": 5.0}
        )
        cls.order_b = cls._order(
            cls.customer_b,
            user=cls.salesman2,
            order_line=[
                Command.create({"product_id": cls.product_b.id, "product_uom_qty": 1})
            ],
        )
        cls.order_a.action_confirm()
        cls.order_b.action_confirm()
        cls.order_a._portal_ensure_token()
        cls.order_b._portal_ensure_token()
        cls.ticket_a._portal_ensure_token()
        cls.ticket_b._portal_ensure_token()

    @classmethod
    def _ticket(cls, user, name, **vals):
        return cls.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": name,
                    "description": f"<p>{name}: details</p>",
                    "partner_id": user.partner_id.id,
                    "team_id": cls.team.id,
                    "stage_id": cls.stage_new.id,
                },
                **vals,
            )
        )

    # ------------------------------------------------------------------
    def _csrf(self):
        return http.Request.csrf_token(self)

    def _login_a(self):
        self.authenticate("qms_portal_a", "qms_portal_a")

    def _state(self, ticket):
        """What a refused request must not change: stage and messages."""
        self.env.invalidate_all()
        return ticket.stage_id, ticket.closed_date, len(ticket.message_ids)

    def _post_multipart(self, url, fields, files):
        """POST a multipart form with file names sent byte for byte.

        requests percent-encodes control characters of file names (HTML5
        style): a hostile client does not.
        """
        boundary = "qmsBoundary7MA4YWxkTrZu0gW"
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                f"\r\n\r\n{value}\r\n".encode()
            )
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.url_open(
            url,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            allow_redirects=False,
        )

    def _tickets_named(self, name):
        self.env.invalidate_all()
        return self.env["helpdesk.ticket"].search([("name", "ilike", name)])


@tagged("post_install", "-at_install")
class TestTicketCloseHardening(QmsPortalHardeningCase):
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

    @mute_logger(*MUTED)
    def test_options_never_runs_a_post_only_route(self):
        """Odoo adds OPTIONS (a "safe" method, no CSRF check) to every route
        that declares its methods, for CORS preflights."""
        req = self._requirement(self.customer_a, documented=False, source="call")
        req.with_user(self.salesman).action_send_confirmation()
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/qms/requirements/{req.id}/answer",
            params={
                "access_token": req.access_token,
                "decision": "confirmed",
                "text_hash": req.text_hash,
            },
            method="OPTIONS",
        )
        self.assertEqual(response.status_code, 405)
        self.env.invalidate_all()
        self.assertEqual(req.confirmation_state, "pending")

    def test_state_changing_routes_of_ours_are_post_only_with_csrf(self):
        """Every route of our addons that accepts GET is a read-only page.

        A route that confirms, acknowledges or closes something must be declared
        ``methods=["POST"]`` without ``csrf=False``; a new read-only page is added
        to ``read_only`` below.
        """
        read_only = {
            "/my/qms/requirements",
            "/my/qms/requirements/page/<int:page>",
            "/my/qms/requirements/<int:requirement_id>",
            # helpdesk_mgmt and sale pages hardened by qms_crm
            "/my/tickets",
            "/my/tickets/page/<int:page>",
            "/my/ticket/<int:ticket_id>",
            "/my/ticket/<int:ticket_id>/<access_token>",
            "/my/orders/<int:order_id>",
            # customer property register (issue 5)
            "/my/qms/property",
            "/my/qms/property/page/<int:page>",
            "/my/qms/property/<int:property_id>",
            "/my/qms/property/incident/<int:incident_id>",
            "/my/recall/<int:line_id>",
        }
        ours = []
        IrHttp = self.env["ir.http"]
        rules = IrHttp._generate_routing_rules(
            sorted(self.env.registry._init_modules), IrHttp._get_converters()
        )
        for url, endpoint in rules:
            module = getattr(endpoint, "__module__", "") or ""
            if not module.startswith("odoo.addons.qms_crm"):
                continue
            ours.append(url)
            if url in read_only:
                continue
            with self.subTest(route=url):
                self.assertEqual(endpoint.routing.get("methods"), ["POST"])
                self.assertIsNot(endpoint.routing.get("csrf"), False)
        for route in ("/ticket/close", "/submitted/ticket"):
            self.assertIn(route, ours)


@tagged("post_install", "-at_install")
class TestTicketSubmitHardening(QmsPortalHardeningCase):
    def _form(self, **values):
        data = {
            "csrf_token": self._csrf(),
            "subject": "QMS probe subject",
            "description": "Something is wrong.",
        }
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def _submit(self, files=None, **values):
        return self.url_open(
            "/submitted/ticket",
            data=self._form(**values),
            files=files,
            allow_redirects=False,
        )

    def _assert_rejected(self, response, message, subject="QMS probe subject"):
        self.assertEqual(response.status_code, 400, response.text[:300])
        self.assertIn(message, response.text)
        self.assertIn("Your ticket was not sent.", response.text)
        # the form is shown again, with what the customer typed
        tree = html.fromstring(response.content)
        self.assertTrue(tree.xpath("//form[@action='/submitted/ticket']"))
        if subject:
            self.assertEqual(
                tree.xpath("//input[@name='subject']/@value"), [subject.strip()]
            )
        self.assertFalse(self._tickets_named(subject or "QMS probe"))

    @mute_logger(*MUTED)
    def test_submission_over_get_head_or_options_creates_nothing(self):
        self._login_a()
        for method in ("GET", "HEAD", "OPTIONS"):
            with self.subTest(method=method):
                response = self.url_open(
                    "/submitted/ticket",
                    params=self._form(subject="QMS via GET"),
                    method=method,
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 405)
        self.assertFalse(self._tickets_named("QMS via GET"))

    @mute_logger(*MUTED)
    def test_submission_without_csrf_token_creates_nothing(self):
        self._login_a()
        for token in (None, "forged", "é"):
            with self.subTest(token=token):
                response = self._submit(subject="QMS no csrf", csrf_token=token)
                self.assertIn(response.status_code, (400, 403))
        self.assertFalse(self._tickets_named("QMS no csrf"))

    def test_blank_subject_or_description_shows_the_form_again(self):
        self._login_a()
        response = self._submit(subject="   \n\t ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please enter a subject for your ticket.", response.text)
        for description in ("", "   \n ", None):
            with self.subTest(description=description):
                response = self._submit(description=description)
                self._assert_rejected(response, "Please describe your request.")
        self.assertFalse(self._tickets_named("QMS probe"))

    def test_ids_the_customer_may_not_use_show_the_form_again(self):
        self._login_a()
        cases = [
            ("category", "abc", "The selected category is not available."),
            ("category", "9" * 30, "The selected category is not available."),
            (
                "category",
                str(self.category_hidden.id),
                "The selected category is not available.",
            ),
            ("team", "1; DROP TABLE", "The selected team is not available."),
            ("team", str(self.team_hidden.id), "The selected team is not available."),
            ("team", "-5", "The selected team is not available."),
            ("product_id", "abc", "The selected product is not available."),
            # a product only the other customer ordered
            (
                "product_id",
                str(self.product_b.id),
                "The selected product is not available.",
            ),
            ("sale_order_id", "x1", "The selected order is not available."),
            (
                "sale_order_id",
                str(self.order_b.id),
                "The selected order is not available.",
            ),
        ]
        for name, value, message in cases:
            with self.subTest(name=name, value=value):
                response = self._submit(**{name: value})
                self._assert_rejected(response, message)

    def test_category_and_team_the_portal_does_not_offer_are_ignored(self):
        self.company.write(
            {
                "helpdesk_mgmt_portal_select_team": False,
                "helpdesk_mgmt_portal_select_category": False,
            }
        )
        self._login_a()
        for category in (str(self.category_hidden.id), "abc"):
            with self.subTest(category=category):
                response = self._submit(
                    subject=f"QMS ignored {category}",
                    category=category,
                    team=str(self.team_hidden.id),
                )
                self.assertIn(response.status_code, (302, 303))
                ticket = self._tickets_named(f"QMS ignored {category}")
                self.assertEqual(len(ticket), 1)
                self.assertFalse(ticket.category_id)
                self.assertFalse(ticket.team_id)

    def test_team_and_category_choice_is_kept_when_the_form_comes_back(self):
        self._login_a()
        response = self._submit(
            team=str(self.team.id), category=str(self.category.id), description=" "
        )
        self._assert_rejected(response, "Please describe your request.")
        tree = html.fromstring(response.content)
        self.assertEqual(
            tree.xpath("//select[@name='team']/option[@selected]/@value"),
            [str(self.team.id)],
        )
        self.assertEqual(
            tree.xpath("//select[@name='category']/option[@selected]/@value"),
            [str(self.category.id)],
        )

    def test_valid_submission_is_trimmed_and_shown_escaped(self):
        self._login_a()
        response = self._submit(
            subject=f"  QMS probe {SCRIPT}  ",
            description=f"  Broken {SCRIPT}\n",
            team=str(self.team.id),
            category=str(self.category.id),
            product_id=str(self.product.id),
            sale_order_id=str(self.order_a.id),
        )
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        ticket = self._tickets_named("QMS probe")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, f"QMS probe {SCRIPT}")
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.category_id, self.category)
        self.assertNotIn("<script>", ticket.description)
        self.assertEqual(
            urlsplit(response.headers["Location"]).path, f"/my/ticket/{ticket.id}"
        )
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(SCRIPT, page.text)
        self.assertIn("&lt;script&gt;", page.text)

    def test_attachment_name_with_control_characters_shows_the_form_again(self):
        self._login_a()
        for filename in ("report\x01.txt", "report\x1b[31m.txt", "../report.txt"):
            with self.subTest(filename=filename):
                response = self._post_multipart(
                    "/submitted/ticket",
                    self._form(),
                    [("attachment", filename, b"hello")],
                )
                self._assert_rejected(
                    response, "The name of an attached file is not valid."
                )
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "like", "report%")])
        )
        # a good file is stored with the ticket
        files = [("attachment", ("report.txt", b"hello", "text/plain"))]
        response = self._submit(files=files)
        self.assertIn(response.status_code, (302, 303))
        ticket = self._tickets_named("QMS probe")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "report.txt")
        self.assertEqual(base64.b64decode(attachment.datas), b"hello")


@tagged("post_install", "-at_install")
class TestPortalListHardening(QmsPortalHardeningCase):
    NOTICE = "they have been ignored"

    def _list(self, url, **params):
        return self.url_open(url, params=params, allow_redirects=False)

    @mute_logger(*MUTED)
    def test_unknown_sort_group_filter_values_fall_back_to_the_default(self):
        self._login_a()
        cases = {
            "/my/tickets": [
                {"sortby": "nope"},
                {"groupby": "partner_id"},
                {"groupby": "__class__"},
                {"filterby": "99999999999999999999"},
                {"filterby": "1 OR 1=1"},
                {"search_in": "password", "search": "Alpha"},
                {"sortby": "", "groupby": "", "search_in": ""},
            ],
            "/my/orders": [{"sortby": "amount_total desc"}, {"sortby": "__init__"}],
            "/my/quotes": [{"sortby": "nope"}],
        }
        for url, params_list in cases.items():
            for params in params_list:
                with self.subTest(url=url, **params):
                    response = self._list(url, **params)
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn(self.NOTICE, response.text)
        response = self._list("/my/tickets", sortby="nope")
        self.assertIn(self.ticket_a.name, response.text)
        self.assertNotIn(self.ticket_b.name, response.text)
        response = self._list("/my/orders", sortby="nope")
        self.assertIn(self.order_a.name, response.text)
        self.assertNotIn(self.order_b.name, response.text)

    @mute_logger(*MUTED)
    def test_malformed_dates_are_ignored_with_a_notice(self):
        self._login_a()
        for url in ("/my/tickets", "/my/orders", "/my/quotes"):
            for dates in (
                {"date_begin": "yesterday", "date_end": "2030-01-01"},
                {"date_begin": "2024-13-45", "date_end": "2024-02-30"},
                {"date_begin": "2024-01-01'; --", "date_end": "now"},
                {"date_begin": "99999-01-01", "date_end": "0000-00-00"},
            ):
                with self.subTest(url=url, **dates):
                    response = self._list(url, **dates)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(self.NOTICE, response.text)
        # the dates being ignored, the customer's own documents are listed
        response = self._list("/my/tickets", date_begin="x", date_end="y")
        self.assertIn(self.ticket_a.name, response.text)

    @mute_logger(*MUTED)
    def test_amounts_that_are_not_numbers_are_ignored_on_the_order_page(self):
        self._login_a()
        for amount in ("nan", "inf", "-inf", "1e308", "1e400", "abc", ""):
            with self.subTest(amount=amount):
                response = self.url_open(
                    f"/my/orders/{self.order_a.id}", params={"payment_amount": amount}
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(self.order_a.name, response.text)

    def test_valid_dates_still_filter_without_notice(self):
        self._login_a()
        response = self._list(
            "/my/tickets", date_begin="2000-01-01", date_end="2000-12-31"
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.NOTICE, response.text)
        self.assertNotIn(self.ticket_a.name, response.text)
        response = self._list(
            "/my/tickets", date_begin="2000-01-01", date_end="2999-12-31 23:59:59"
        )
        self.assertIn(self.ticket_a.name, response.text)


@tagged("post_install", "-at_install")
class TestNulByteHardening(QmsPortalHardeningCase):
    @mute_logger(*MUTED)
    def test_nul_in_query_values_and_names_is_a_bad_request(self):
        self._login_a()
        for params in (
            {"search": "pump\x00"},
            {"search\x00": "pump"},
            {"sortby": "\x00"},
            {"date_begin": "2024-01-01\x00", "date_end": "2024-02-01"},
        ):
            with self.subTest(params=params):
                response = self.url_open("/my/tickets", params=params)
                self.assertEqual(response.status_code, 400)
        response = self.url_open("/my/orders", params={"sortby": "date\x00"})
        self.assertEqual(response.status_code, 400)

    @mute_logger(*MUTED)
    def test_nul_in_a_submitted_subject_or_file_name_creates_nothing(self):
        self._login_a()
        data = {
            "csrf_token": self._csrf(),
            "subject": "QMS NUL \x00 subject",
            "description": "Text",
        }
        response = self.url_open("/submitted/ticket", data=data)
        self.assertEqual(response.status_code, 400)
        data.update(subject="QMS NUL file", description="Text\x00")
        response = self.url_open("/submitted/ticket", data=data)
        self.assertEqual(response.status_code, 400)
        data.update(description="Text")
        response = self._post_multipart(
            "/submitted/ticket", data, [("attachment", "evil\x00.txt", b"x")]
        )
        self.assertEqual(response.status_code, 400)
        response = self._post_multipart(
            "/submitted/ticket", data, [("attach\x00ment", "evil.txt", b"x")]
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._tickets_named("QMS NUL"))
        self.assertFalse(self.env["ir.attachment"].search([("name", "like", "evil")]))

    @mute_logger(*MUTED)
    def test_nul_in_the_path_is_a_bad_request(self):
        for user in ("qms_portal_a", None):
            self.authenticate(user, user)
            for path in (
                "/my/tickets%00",
                f"/my/ticket/{self.ticket_a.id}/abc%00def",
                "/my/orders%00/x",
                "/some%00page",
                "/%00",
            ):
                with self.subTest(user=user, path=path):
                    response = self.url_open(path, allow_redirects=False)
                    self.assertEqual(response.status_code, 400)

    @mute_logger(*MUTED)
    def test_nul_in_a_close_request_is_a_bad_request(self):
        self._login_a()
        before = self._state(self.ticket_a)
        response = self.url_open(
            "/ticket/close",
            data={
                "csrf_token": self._csrf(),
                "ticket_id": f"{self.ticket_a.id}\x00",
                "stage_id": self.stage_done.id,
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._state(self.ticket_a), before)


@tagged("post_install", "-at_install")
class TestTokenHardening(QmsPortalHardeningCase):
    BAD_TOKENS = ("é", "тест", "%E9t%E9", "a" * 300, "' OR 1=1 --")

    def _order_url(self, order, token):
        if token == "%E9t%E9":  # latin-1 bytes in the raw query string
            return f"/my/orders/{order.id}?access_token={token}"
        return None

    @mute_logger(*MUTED)
    def test_malformed_or_foreign_tokens_on_orders_are_not_found(self):
        tokens = (*self.BAD_TOKENS, self.order_b.access_token)
        for user in (None, "qms_portal_b"):
            self.authenticate(user, user)
            for token in tokens:
                with self.subTest(user=user, token=token):
                    url = self._order_url(self.order_a, token)
                    if url:
                        response = self.url_open(url, allow_redirects=False)
                    else:
                        response = self.url_open(
                            f"/my/orders/{self.order_a.id}",
                            params={"access_token": token},
                            allow_redirects=False,
                        )
                    self.assertIn(response.status_code, (403, 404))
                    self.assertNotIn(self.order_a.name, response.text)
        # the right token opens the order, for anyone
        response = self.url_open(
            f"/my/orders/{self.order_a.id}",
            params={"access_token": self.order_a.access_token},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_a.name, response.text)

    @mute_logger(*MUTED)
    def test_malformed_or_foreign_tokens_on_tickets_are_not_found(self):
        tokens = ("é", "тест", "%E9t%E9", "a" * 300, self.ticket_b.access_token)
        for user in (None, "qms_portal_b"):
            self.authenticate(user, user)
            for token in tokens:
                with self.subTest(user=user, token=token):
                    response = self.url_open(
                        f"/my/ticket/{self.ticket_a.id}/{token}",
                        allow_redirects=False,
                    )
                    self.assertIn(response.status_code, (403, 404))
                    self.assertNotIn(self.ticket_a.name, response.text)
                    response = self.url_open(
                        f"/my/ticket/{self.ticket_a.id}",
                        params={"access_token": token},
                        allow_redirects=False,
                    )
                    self.assertIn(response.status_code, (403, 404))
        response = self.url_open(
            f"/my/ticket/{self.ticket_a.id}/{self.ticket_a.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.name, response.text)

    @mute_logger(*MUTED)
    def test_missing_documents_answer_like_forbidden_ones(self):
        self.authenticate(None, None)
        missing = self.env["sale.order"].search([], order="id desc").ids[0] + 500
        token = self.order_a.access_token
        forbidden = self.url_open(
            f"/my/orders/{self.order_b.id}", params={"access_token": token}
        )
        absent = self.url_open(f"/my/orders/{missing}", params={"access_token": token})
        self.assertEqual(forbidden.status_code, absent.status_code)
