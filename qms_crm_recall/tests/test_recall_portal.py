# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers acknowledge recall notices through their tokenised link, over
real HTTP."""

from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import QmsRecallCommon


@tagged("post_install", "-at_install")
class TestRecallPortal(HttpCase, QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 3)])
        cls.campaign, cls.line_a, cls.line_b = cls._notified_campaign()

    def _url(self, line, suffix=""):
        return f"/my/recall/{line.id}{suffix}"

    def _page(self, line, token, **kw):
        params = {"access_token": token} if token is not None else None
        return self.url_open(self._url(line), params=params, **kw)

    def _form(self, line):
        response = self._page(line, line.access_token)
        self.assertEqual(response.status_code, 200, response.text[:300])
        tree = html.fromstring(response.content)
        inputs = tree.xpath("//form[contains(@action, '/ack')]//input[@type='hidden']")
        self.assertTrue(inputs, "the page has no acknowledgement form")
        return {i.get("name"): i.get("value") or "" for i in inputs}

    def _ack(self, line, form, files=None, **data):
        return self.url_open(
            self._url(line, "/ack"),
            data=dict(form, **data),
            files=files,
            allow_redirects=False,
        )

    def test_link_shows_the_notice_and_the_form(self):
        self.authenticate(None, None)
        response = self._page(self.line_a, self.line_a.access_token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("PV-BAD", response.text)
        self.assertIn("Seals of lot PV-BAD were made", response.text)
        form = self._form(self.line_a)
        self.assertTrue(form["csrf_token"])
        self.assertEqual(form["access_token"], self.line_a.access_token)

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_wrong_missing_or_foreign_token_is_403(self):
        self.authenticate(None, None)
        for label, token in [
            ("wrong", "0f6e2c5e-1f61-4f55-9c8a-4c0b3f7f5e1a"),
            ("empty", ""),
            ("none", None),
            ("other customer's", self.line_b.access_token),
            ("cyrillic", "тест"),
        ]:
            with self.subTest(label):
                response = self._page(self.line_a, token)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("PV-BAD", response.text)
        response = self.url_open("/my/recall/999999999?access_token=x")
        self.assertIn(response.status_code, (403, 404))

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_rotated_token_is_403_and_closed_campaign_is_404(self):
        self.authenticate(None, None)
        old = self.line_a.access_token
        self.line_a.action_rotate_token()
        self.assertEqual(self._page(self.line_a, old).status_code, 403)
        self.assertEqual(
            self._page(self.line_a, self.line_a.access_token).status_code, 200
        )
        self.campaign.write(
            {"state": "closed", "effectiveness_checked": True, "closing_note": "Done"}
        )
        self.assertEqual(
            self._page(self.line_a, self.line_a.access_token).status_code, 404
        )
        self.assertEqual(
            self._page(self.line_b, self.line_b.access_token).status_code, 404
        )

    def test_acknowledge_with_quantity_and_remedy(self):
        self.authenticate(None, None)
        form = self._form(self.line_a)
        response = self._ack(
            self.line_a, form, qty_on_hand="4", remedy="return", note="Two in the store"
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertIn("message=acknowledged", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(self.line_a.state, "acknowledged")
        self.assertEqual(self.line_a.ack_qty_on_hand, 4)
        self.assertEqual(self.line_a.remedy, "return")
        self.assertEqual(self.line_a.ack_note, "Two in the store")
        self.assertTrue(self.line_a.ack_date)
        # the page now shows the answer, without the form
        response = self._page(self.line_a, self.line_a.access_token)
        self.assertNotIn("/ack", response.text)
        # a second answer is refused
        response = self._ack(self.line_a, form, qty_on_hand="1", remedy="repair")
        self.assertEqual(response.status_code, 400)
        self.assertIn("already been acknowledged", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.line_a.ack_qty_on_hand, 4)

    def test_bad_answers_are_refused_with_a_clear_error(self):
        self.authenticate(None, None)
        form = self._form(self.line_a)
        cases = [
            (
                "negative",
                {"qty_on_hand": "-1", "remedy": "return"},
                "cannot be negative",
            ),
            (
                "too many",
                {"qty_on_hand": "6", "remedy": "return"},
                "more than was delivered",
            ),
            (
                "not a number",
                {"qty_on_hand": "lots", "remedy": "return"},
                "as a number",
            ),
            ("missing", {"remedy": "return"}, "as a number"),
            ("no remedy", {"qty_on_hand": "2"}, "Choose what to do"),
            ("bad remedy", {"qty_on_hand": "2", "remedy": "burn"}, "remedies offered"),
            (
                "destroy without proof",
                {"qty_on_hand": "2", "remedy": "destroy"},
                "proof",
            ),
        ]
        for label, data, message in cases:
            with self.subTest(label):
                response = self._ack(self.line_a, form, **data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.env.invalidate_all()
        self.assertEqual(self.line_a.state, "notified")
        self.assertFalse(self.line_a.ack_date)

    def test_destroy_with_a_proof_file(self):
        self.authenticate(None, None)
        form = self._form(self.line_b)
        response = self._ack(
            self.line_b,
            form,
            qty_on_hand="3",
            remedy="destroy",
            files={
                "proof": ("certificate.pdf", b"%PDF-1.4 destroyed", "application/pdf")
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.env.invalidate_all()
        self.assertEqual(self.line_b.remedy, "destroy")
        self.assertEqual(self.line_b.proof_attachment_ids.name, "certificate.pdf")
        self.line_b.with_user(self.qms_user).action_mark_corrected()
        self.assertEqual(self.line_b.state, "closed")
        self.assertEqual(self.line_b.qty_corrected, 3)

    @mute_logger("odoo.http")
    def test_ack_needs_post_and_csrf(self):
        self.authenticate(None, None)
        form = self._form(self.line_a)
        no_csrf = dict(form)
        no_csrf.pop("csrf_token")
        response = self._ack(self.line_a, no_csrf, qty_on_hand="1", remedy="return")
        self.assertIn(response.status_code, (400, 403))
        response = self._ack(
            self.line_a,
            dict(form, csrf_token="forged"),
            qty_on_hand="1",
            remedy="return",
        )
        self.assertIn(response.status_code, (400, 403))
        response = self.url_open(
            self._url(self.line_a, "/ack") + f"?access_token={self.line_a.access_token}"
            "&qty_on_hand=1&remedy=return"
        )
        self.assertIn(response.status_code, (403, 404, 405))
        self.env.invalidate_all()
        self.assertEqual(self.line_a.state, "notified")
