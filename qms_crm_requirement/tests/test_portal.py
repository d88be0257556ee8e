# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer confirmation of requirements on the portal (ISO 9001 8.2.3.2),
over real HTTP: links with tokens, the answer form, logged-in portal users."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from lxml import html

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import QmsRequirementCommon as QmsCrmCommon

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@tagged("post_install", "-at_install")
class TestRequirementPortal(HttpCase, QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.req_a = cls._requirement(
            cls.customer_a,
            name="Deliver fast",
            description=f"Deliver within 5 days {SCRIPT}\nPacked in crates.",
            documented=False,
            source="call",
            user_id=cls.salesman.id,
        )
        cls.req_b = cls._requirement(
            cls.customer_b,
            name="Beta colour",
            documented=False,
            source="meeting",
            user_id=cls.salesman2.id,
        )
        cls.req_a.with_user(cls.salesman).action_send_confirmation()
        cls.req_b.with_user(cls.salesman2).action_send_confirmation()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _url(self, req, suffix=""):
        return f"/my/qms/requirements/{req.id}{suffix}"

    def _page(self, req, token=None, **kw):
        params = {"access_token": token} if token is not None else None
        return self.url_open(self._url(req), params=params, **kw)

    def _form(self, response):
        """The hidden fields of the answer form of a requirement page."""
        self.assertEqual(response.status_code, 200, response.text[:500])
        tree = html.fromstring(response.content)
        inputs = tree.xpath(
            "//form[contains(@action, '/answer')]//input[@type='hidden']"
        )
        self.assertTrue(inputs, "the page has no answer form")
        return {i.get("name"): i.get("value") or "" for i in inputs}

    def _form_present(self, response):
        tree = html.fromstring(response.content)
        return bool(tree.xpath("//form[contains(@action, '/answer')]"))

    def _answer(self, req, form, **data):
        return self.url_open(
            self._url(req, "/answer"), data=dict(form, **data), allow_redirects=False
        )

    def _confirmations(self, req):
        self.env.invalidate_all()
        return self.env["qms.requirement.confirmation"].search(
            [("requirement_id", "=", req.id)]
        )

    def _assert_nothing_stored(self, req, state="pending"):
        self.assertFalse(self._confirmations(req))
        self.assertEqual(req.confirmation_state, state)

    # ------------------------------------------------------------------
    # Sending the link
    # ------------------------------------------------------------------
    def test_sending_emails_the_customer_a_link_with_its_token(self):
        req = self.req_a
        self.assertEqual(req.confirmation_state, "pending")
        self.assertTrue(req.access_token)
        self.assertAlmostEqual(
            req.confirmation_deadline,
            fields.Datetime.now() + timedelta(days=30),
            delta=timedelta(minutes=5),
        )
        link = f"/my/qms/requirements/{req.id}?access_token={req.access_token}"
        message = req.message_ids.filtered(lambda m: link in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.customer_a, message.partner_ids)
        self.assertEqual(message.author_id, self.salesman.partner_id)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertTrue(mail, "no email queued for the customer")
        self.assertIn(self.customer_a, mail.recipient_ids)
        self.assertIn(link, mail.body_html)
        # the customer's text is escaped in the email too
        self.assertNotIn(SCRIPT, mail.body_html)
        self.assertIn(ESCAPED_SCRIPT, mail.body_html)

    # ------------------------------------------------------------------
    # Opening the link
    # ------------------------------------------------------------------
    def test_link_with_token_shows_the_requirement_text_escaped(self):
        self.authenticate(None, None)
        response = self._page(self.req_a, self.req_a.access_token)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.req_a.reference, response.text)
        self.assertIn("Deliver within 5 days", response.text)
        self.assertNotIn(SCRIPT, response.text)
        self.assertIn(ESCAPED_SCRIPT, response.text)
        form = self._form(response)
        self.assertEqual(form["text_hash"], self.req_a.text_hash)
        self.assertEqual(form["access_token"], self.req_a.access_token)
        self.assertTrue(form["csrf_token"])

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_bad_tokens_are_refused_never_a_server_error(self):
        self.authenticate(None, None)
        req = self.req_a
        cases = [
            ("wrong token", "0f6e2c5e-1f61-4f55-9c8a-4c0b3f7f5e1a", {403}),
            ("empty token", "", {403}),
            ("no token", None, {403}),
            ("cyrillic token", "тест", {403}),
            ("accented token", "é", {403}),
            ("token with NUL", "abc\x00def", {400, 403, 404}),
            ("NUL in a valid token", req.access_token + "\x00", {400, 403, 404}),
            ("another customer's token", self.req_b.access_token, {403}),
            ("very long token", "a" * 5000, {403}),
        ]
        for label, token, expected in cases:
            with self.subTest(label):
                response = self._page(req, token, allow_redirects=False)
                self.assertIn(response.status_code, expected)
                self.assertNotIn("Deliver within 5 days", response.text)
        # an undecodable (latin-1) token in the raw query string
        response = self.url_open(f"{self._url(req)}?access_token=%E9t%E9")
        self.assertEqual(response.status_code, 403)
        # my token does not open another customer's requirement
        response = self._page(self.req_b, req.access_token)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Beta colour", response.text)

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_unknown_requirement_is_not_found(self):
        self.authenticate(None, None)
        missing = (
            self.env["qms.requirement"].search([], order="id desc", limit=1).id + 1000
        )
        response = self.url_open(
            f"/my/qms/requirements/{missing}?access_token={self.req_a.access_token}"
        )
        self.assertEqual(response.status_code, 404)

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_documented_requirement_is_not_on_the_portal_even_with_a_token(self):
        documented = self._requirement(self.customer_a, name="Written one")
        token = documented._portal_ensure_token()
        self.authenticate(None, None)
        self.assertEqual(self._page(documented, token).status_code, 404)

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_expired_link_shows_expired_and_refuses_answers(self):
        self.authenticate(None, None)
        req = self.req_a
        form = self._form(self._page(req, req.access_token))
        req.write({"confirmation_deadline": fields.Datetime.now() - timedelta(hours=1)})
        response = self._page(req, req.access_token)
        self.assertEqual(response.status_code, 403)
        self.assertIn("This confirmation link has expired", response.text)
        self.assertFalse(self._form_present(response))
        response = self._answer(req, form, decision="confirmed")
        self.assertEqual(response.status_code, 403)
        self.assertIn("This confirmation link has expired", response.text)
        self._assert_nothing_stored(req)

    # ------------------------------------------------------------------
    # Answering
    # ------------------------------------------------------------------
    def test_customer_confirms_the_exact_text_through_the_link(self):
        self.authenticate(None, None)
        req = self.req_a
        form = self._form(self._page(req, req.access_token))
        response = self._answer(req, form, decision="confirmed")
        self.assertIn(response.status_code, (302, 303))
        location = urlsplit(response.headers["Location"])
        self.assertEqual(location.path, self._url(req))
        query = parse_qs(location.query)
        self.assertEqual(query["access_token"], [req.access_token])
        self.assertEqual(query["message"], ["confirmed"])

        confirmation = self._confirmations(req)
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(confirmation.decision, "confirmed")
        self.assertEqual(confirmation.text_confirmed, req._confirmation_text())
        self.assertIn(SCRIPT, confirmation.text_confirmed)  # stored as given
        self.assertEqual(confirmation.version, req.version)
        self.assertEqual(confirmation.ip_address, "127.0.0.1")
        self.assertFalse(confirmation.portal_user_id)
        self.assertFalse(confirmation.comment)
        self.assertEqual(req.confirmation_state, "confirmed")
        note = req.message_ids.filtered(
            lambda m: "The customer confirmed this requirement" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.customer_a)

        # the page after the redirect thanks and offers no form any more
        response = self.url_open(response.headers["Location"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("your confirmation has been recorded", response.text)
        self.assertFalse(self._form_present(response))
        # answering again (replayed form) is refused, nothing more stored
        response = self._answer(req, form, decision="commented", comment="Again")
        self.assertEqual(response.status_code, 400)
        self.assertIn("not awaiting your confirmation", response.text)
        self.assertEqual(self._confirmations(req), confirmation)
        self.assertEqual(req.confirmation_state, "confirmed")

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_answer_without_csrf_token_is_refused(self):
        self.authenticate(None, None)
        req = self.req_a
        form = self._form(self._page(req, req.access_token))
        del form["csrf_token"]
        response = self._answer(req, form, decision="confirmed")
        self.assertIn(response.status_code, (400, 403))
        self._assert_nothing_stored(req)
        response = self._answer(req, form, decision="confirmed", csrf_token="forged")
        self.assertIn(response.status_code, (400, 403))
        self._assert_nothing_stored(req)

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_answer_route_refuses_get(self):
        self.authenticate(None, None)
        req = self.req_a
        response = self.url_open(
            self._url(req, "/answer"),
            params={
                "access_token": req.access_token,
                "decision": "confirmed",
                "text_hash": req.text_hash,
            },
        )
        self.assertEqual(response.status_code, 405)
        self._assert_nothing_stored(req)

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_answer_with_the_wrong_token_is_refused(self):
        self.authenticate(None, None)
        req = self.req_a
        form = self._form(self._page(req, req.access_token))
        for token in ("", "not-the-token", self.req_b.access_token, "тест"):
            with self.subTest(token=token):
                response = self._answer(
                    req, form, access_token=token, decision="confirmed"
                )
                self.assertEqual(response.status_code, 403)
        self._assert_nothing_stored(req)

    def test_comment_decision_needs_a_comment(self):
        self.authenticate(None, None)
        req = self.req_a
        form = self._form(self._page(req, req.access_token))
        response = self._answer(req, form, decision="commented", comment="   \n ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please write your comment.", response.text)
        # the form is shown again so that the customer can correct it
        self.assertTrue(self._form_present(response))
        self._assert_nothing_stored(req)

    def test_unknown_decision_is_refused(self):
        self.authenticate(None, None)
        req = self.req_a
        form = self._form(self._page(req, req.access_token))
        for decision in ("maybe", ""):
            with self.subTest(decision=decision):
                response = self._answer(req, form, decision=decision)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Unknown answer.", response.text)
        self._assert_nothing_stored(req)

    def test_answer_on_a_changed_text_is_refused(self):
        self.authenticate(None, None)
        req = self.req_a
        form = self._form(self._page(req, req.access_token))
        # the salesperson corrects the (still draft) text meanwhile
        req.with_user(self.salesman).write({"description": "Deliver within 4 days."})
        response = self._answer(req, form, decision="confirmed")
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "The requirement changed while you were reading it", response.text
        )
        self._assert_nothing_stored(req)
        # a fresh page carries the new text and its hash, and is accepted
        form = self._form(self._page(req, req.access_token))
        response = self._answer(req, form, decision="confirmed")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("Deliver within 4 days.", self._confirmations(req).text_confirmed)

    def test_html_comment_is_stored_as_text_and_shown_escaped(self):
        self.authenticate(None, None)
        req = self.req_a
        comment = 'Not 5 but 7 days <img src="x" onerror="alert(1)"> <b>bold</b>'
        form = self._form(self._page(req, req.access_token))
        response = self._answer(req, form, decision="commented", comment=comment)
        self.assertIn(response.status_code, (302, 303))
        confirmation = self._confirmations(req)
        self.assertEqual(confirmation.decision, "commented")
        self.assertEqual(confirmation.comment, comment)
        self.assertEqual(req.confirmation_state, "commented")
        # the owner gets a to-do with the comment, as text, not as markup
        activity = req.activity_ids.filtered(lambda a: "commented" in (a.summary or ""))
        self.assertEqual(len(activity), 1)
        self.assertNotIn("<img", activity.note)
        self.assertNotIn("<b>", activity.note)
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", activity.note)
        for message in req.message_ids:
            self.assertNotIn("<img", message.body or "")
            self.assertNotIn("<b>bold", message.body or "")

    # ------------------------------------------------------------------
    # Sending again
    # ------------------------------------------------------------------
    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_sending_again_invalidates_the_earlier_link(self):
        req = self.req_a
        old_token = req.access_token
        req.with_user(self.salesman).action_send_confirmation()
        self.assertTrue(req.access_token)
        self.assertNotEqual(req.access_token, old_token)
        self.authenticate(None, None)
        self.assertEqual(self._page(req, old_token).status_code, 403)
        self.assertEqual(self._page(req, req.access_token).status_code, 200)

    # ------------------------------------------------------------------
    # Logged-in portal users
    # ------------------------------------------------------------------
    def test_portal_user_lists_their_company_requirements_only(self):
        documented = self._requirement(self.customer_a, name="Written wording")
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self.url_open("/my/qms/requirements")
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        links = tree.xpath("//a[contains(@href, '/my/qms/requirements/')]/@href")
        paths = {urlsplit(link).path for link in links}
        self.assertIn(self._url(self.req_a), paths)
        self.assertNotIn(self._url(self.req_b), paths)
        self.assertNotIn(self._url(documented), paths)
        self.assertNotIn(self.req_b.reference, response.text)

    def test_portal_user_opens_and_answers_without_token(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        req = self.req_a
        response = self._page(req)
        self.assertIn("Deliver within 5 days", response.text)
        form = self._form(response)
        self.assertEqual(form["access_token"], "")
        response = self._answer(req, form, decision="confirmed")
        self.assertIn(response.status_code, (302, 303))
        confirmation = self._confirmations(req)
        self.assertEqual(confirmation.portal_user_id, self.portal_a)
        self.assertEqual(req.confirmation_state, "confirmed")

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_other_customer_portal_user_is_refused(self):
        self.authenticate("qms_portal_b", "qms_portal_b")
        req = self.req_a
        response = self._page(req)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Deliver within 5 days", response.text)
        # nor can they answer it
        own_form = self._form(self._page(self.req_b))
        response = self._answer(req, own_form, decision="confirmed")
        self.assertEqual(response.status_code, 403)
        self._assert_nothing_stored(req)

    def test_home_counter_counts_requirements_awaiting_confirmation(self):
        # not yet sent: visible, but not awaiting the customer
        self._requirement(self.customer_a, name="Not sent yet", documented=False)
        self.authenticate("qms_portal_a", "qms_portal_a")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["qms_requirement_count"]}
        )
        self.assertEqual(counters["qms_requirement_count"], 1)
        response = self.url_open("/my/home")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Requirements to confirm", response.text)
        # once confirmed, nothing is left to confirm
        self._answer(
            self.req_a, self._form(self._page(self.req_a)), decision="confirmed"
        )
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["qms_requirement_count"]}
        )
        self.assertEqual(counters["qms_requirement_count"], 0)
