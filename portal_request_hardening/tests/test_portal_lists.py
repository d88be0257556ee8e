# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Ticket, order and quotation lists and the order page with hostile parameters."""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MUTED, PortalHardeningCommon


@tagged("post_install", "-at_install")
class TestPortalListHardening(PortalHardeningCommon):
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
