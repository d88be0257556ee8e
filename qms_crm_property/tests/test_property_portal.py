# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's portal for property we hold (ISO 9001 8.5.3), over real HTTP:
lists, pages by token, acknowledgement of incident notices."""

from lxml import html

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common_property import QmsPropertyCommon

MUTED = (
    "odoo.http",
    "odoo.addons.http_routing.models.ir_http",
    "odoo.addons.portal_request_hardening.models.ir_http",
)
BAD_TOKENS = ("é", "тест", "a" * 300, "' OR 1=1 --", "forged")


@tagged("post_install", "-at_install")
class TestPropertyPortal(HttpCase, QmsPropertyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.incident_a = cls._incident(cls.mould_a)
        cls.incident_b = cls._incident(
            cls.mould_b, description="Beta secret incident text"
        )
        cls.mould_a._portal_ensure_token()
        cls.mould_b._portal_ensure_token()

    def _form(self, response):
        self.assertEqual(response.status_code, 200, response.text[:300])
        tree = html.fromstring(response.content)
        inputs = tree.xpath(
            "//form[contains(@action, '/acknowledge')]//input[@type='hidden']"
        )
        self.assertTrue(inputs, "the page has no acknowledgement form")
        return {i.get("name"): i.get("value") or "" for i in inputs}

    def _ack_url(self, incident):
        return f"/my/qms/property/incident/{incident.id}/acknowledge"

    def _state(self, incident):
        self.env.invalidate_all()
        return incident.state, incident.acknowledged_at, len(incident.message_ids)

    # ------------------------------------------------------------------
    def test_owner_lists_only_own_property(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self.url_open("/my/qms/property")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Mould A", response.text)
        self.assertIn("Badge list A", response.text)
        self.assertNotIn("Mould B", response.text)
        home = self.url_open(
            "/my/counters",
            data='{"jsonrpc": "2.0", "params": {"counters": '
            '["qms_property_count", "qms_property_incident_count"]}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(
            home.json()["result"],
            {"qms_property_count": 2, "qms_property_incident_count": 1},
        )
        page = self.url_open(f"/my/qms/property/{self.mould_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.incident_a.reference, page.text)
        self.assertIn("MA-1", page.text)

    @mute_logger(*MUTED)
    def test_other_owner_and_wrong_tokens_are_refused(self):
        urls = (
            f"/my/qms/property/{self.mould_a.id}",
            f"/my/qms/property/incident/{self.incident_a.id}",
        )
        for user in (None, "qms_portal_b"):
            self.authenticate(user, user)
            for url in urls:
                for token in (*BAD_TOKENS, self.mould_b.access_token, None):
                    with self.subTest(user=user, url=url, token=token):
                        response = self.url_open(
                            url,
                            params={"access_token": token} if token else None,
                            allow_redirects=False,
                        )
                        self.assertIn(response.status_code, (403, 404))
                        self.assertNotIn("Dented parting line", response.text)
                        self.assertNotIn("MA-1", response.text)
        # a missing record answers like a forbidden one
        self.authenticate(None, None)
        missing = self.url_open(
            f"/my/qms/property/{self.mould_b.id + 1000}",
            params={"access_token": self.mould_a.access_token},
        )
        self.assertIn(missing.status_code, (403, 404))
        # the anonymous list page asks to log in
        response = self.url_open("/my/qms/property", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        # the right token opens the page for anyone
        response = self.url_open(
            f"/my/qms/property/{self.mould_a.id}",
            params={"access_token": self.mould_a.access_token},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("MA-1", response.text)

    def test_owner_acknowledges_the_notice_from_the_mail_link(self):
        self.authenticate(None, None)
        url = self.incident_a.get_portal_url()
        self.assertIn(self.incident_a.access_token, url)
        page = self.url_open(url)
        self.assertIn("Dented parting line", page.text)
        form = self._form(page)
        response = self.url_open(
            self._ack_url(self.incident_a),
            data=dict(form, comment="Please send the repair quote"),
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertEqual(self.incident_a.state, "acknowledged")
        self.assertEqual(self.incident_a.acknowledged_how, "portal")
        self.assertEqual(self.incident_a.acknowledged_by_partner_id, self.customer_a)
        self.assertEqual(self.incident_a.ack_comment, "Please send the repair quote")
        page = self.url_open(response.headers["Location"])
        self.assertIn("your acknowledgement has been recorded", page.text)
        tree = html.fromstring(page.content)
        self.assertFalse(tree.xpath("//form[contains(@action, '/acknowledge')]"))
        # a second acknowledgement is refused without a server error
        response = self.url_open(self._ack_url(self.incident_a), data=form)
        self.assertEqual(response.status_code, 400)
        self.assertIn("already been acknowledged", response.text)

    def test_logged_in_owner_acknowledges_as_themselves(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        page = self.url_open(f"/my/qms/property/incident/{self.incident_a.id}")
        form = self._form(page)
        response = self.url_open(
            self._ack_url(self.incident_a), data=form, allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertEqual(
            self.incident_a.acknowledged_by_partner_id, self.portal_a.partner_id
        )

    @mute_logger(*MUTED)
    def test_acknowledgement_needs_post_csrf_and_the_right_owner(self):
        before = self._state(self.incident_a)
        self.authenticate("qms_portal_b", "qms_portal_b")
        csrf = http.Request.csrf_token(self)
        for token in (*BAD_TOKENS, self.incident_b.access_token, None):
            with self.subTest(token=token):
                data = {"csrf_token": csrf}
                if token:
                    data["access_token"] = token
                response = self.url_open(self._ack_url(self.incident_a), data=data)
                self.assertIn(response.status_code, (403, 404))
        response = self.url_open(
            self._ack_url(self.incident_a),
            data={"access_token": self.incident_a.access_token},
        )
        self.assertIn(response.status_code, (400, 403))
        for method in ("GET", "HEAD"):
            response = self.url_open(
                self._ack_url(self.incident_a),
                params={"access_token": self.incident_a.access_token},
                method=method,
            )
            self.assertEqual(response.status_code, 405)
        self.assertEqual(self._state(self.incident_a), before)
