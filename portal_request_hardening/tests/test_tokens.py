# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Portal access tokens: malformed, non-ASCII or foreign ones are not found."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MUTED, PortalHardeningCommon


@tagged("post_install", "-at_install")
class TestTokenHardening(PortalHardeningCommon):
    BAD_TOKENS = ("é", "тест", "%E9t%E9", "a" * 300, "' OR 1=1 --")

    def _order_url(self, order, token):
        if token == "%E9t%E9":  # latin-1 bytes in the raw query string
            return f"/my/orders/{order.id}?access_token={token}"
        return None

    @mute_logger(*MUTED)
    def test_malformed_or_foreign_tokens_on_orders_are_not_found(self):
        tokens = (*self.BAD_TOKENS, self.order_b.access_token)
        for user in (None, self.portal_b):
            self._login(user)
            for token in tokens:
                with self.subTest(user=user.login if user else None, token=token):
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
    def test_wrong_order_token_is_not_found_not_a_login_redirect(self):
        """Intended deviation from sale's own test (``TestAccessRightsControllers.
        test_access_controller``, README "Odoo's own test suites with our
        addons"): a visitor with a wrong token gets a 404 like a missing order,
        not stock's redirect to the login page, which tells the two apart.
        Without any token the login redirect stays."""
        self.authenticate(None, None)
        url = f"/my/orders/{self.order_a.id}"
        response = self.url_open(
            url,
            params={"access_token": "foo", "report_type": "pdf"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.order_a.name, response.text)
        response = self.url_open(
            url, params={"report_type": "pdf"}, allow_redirects=False
        )
        # stock's redirect (to /my, which sends the visitor to log in)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(self.order_a.name, response.text)

    @mute_logger(*MUTED)
    def test_malformed_or_foreign_tokens_on_tickets_are_not_found(self):
        tokens = ("é", "тест", "%E9t%E9", "a" * 300, self.ticket_b.access_token)
        for user in (None, self.portal_b):
            self._login(user)
            for token in tokens:
                with self.subTest(user=user.login if user else None, token=token):
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
