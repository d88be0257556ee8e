# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The request filters of ir.http: NUL bytes anywhere, OPTIONS on POST-only routes,
dot segments in paths."""

import http.client
from urllib.parse import urlsplit

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MUTED, PortalHardeningCommon


@tagged("post_install", "-at_install")
class TestOptionsHardening(PortalHardeningCommon):
    @mute_logger(*MUTED)
    def test_options_never_runs_a_post_only_route(self):
        """Odoo adds OPTIONS (a "safe" method, no CSRF check) to every route
        that declares its methods, for CORS preflights: portal's POST-only
        account deletion would run from any site."""
        self._login_a()
        login = self.portal_a.login
        response = self.url_open(
            "/my/deactivate_account",
            params={"validation": login, "password": login},
            method="OPTIONS",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 405)
        self.env.invalidate_all()
        self.assertTrue(self.portal_a.active)
        # the account page still works: the session was not logged out
        self.assertEqual(self.url_open("/my/security").status_code, 200)


@tagged("post_install", "-at_install")
class TestNulByteHardening(PortalHardeningCommon):
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
            "subject": "PRH NUL \x00 subject",
            "description": "Text",
        }
        response = self.url_open("/submitted/ticket", data=data)
        self.assertEqual(response.status_code, 400)
        data.update(subject="PRH NUL file", description="Text\x00")
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
        self.assertFalse(self._tickets_named("PRH NUL"))
        self.assertFalse(self.env["ir.attachment"].search([("name", "like", "evil")]))

    @mute_logger(*MUTED)
    def test_nul_in_the_path_is_a_bad_request(self):
        for user in (self.portal_a, None):
            self._login(user)
            for path in (
                "/my/tickets%00",
                f"/my/ticket/{self.ticket_a.id}/abc%00def",
                "/my/orders%00/x",
                "/some%00page",
                "/%00",
            ):
                with self.subTest(user=user.login if user else None, path=path):
                    response = self.url_open(path, allow_redirects=False)
                    self.assertEqual(response.status_code, 400)

    def test_line_break_in_the_path_is_a_bad_request(self):
        # stock: "//" is merged by a 301 whose Location holds the line break,
        # which werkzeug refuses (HTTP 500); found by the portal fuzz
        for user in (self.portal_a, None):
            self._login(user)
            for path in ("/survey//%09%0A%20", "/my//tickets%0D", "/x%0Ay"):
                with self.subTest(user=user.login if user else None, path=path):
                    response = self.url_open(path, allow_redirects=False)
                    self.assertEqual(response.status_code, 400)
        # a tab alone is no line break: the usual redirect
        response = self.url_open("/survey//%09", allow_redirects=False)
        self.assertEqual(response.status_code, 301)

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
class TestDotSegmentHardening(PortalHardeningCommon):
    """A "." or ".." path segment, also percent-encoded: 400 before routing.
    With website installed, stock Odoo answered the portal fuzz's
    ``/my/ticket/<id>/..%2F..%2Fetc%2Fpasswd`` with an HTTP 500: the 404 page
    (and its fallback error page) builds the path's canonical URL, and
    odoo.tools.urls.urljoin raises "Dot segments are not allowed"."""

    def _raw_get(self, path):
        """GET ``path`` exactly as written (requests and urllib3 remove
        literal dot segments before sending), with the test's cookies (the
        session, and the key without which the test server answers 400)."""
        url = urlsplit(self.base_url())
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            with self.allow_requests():
                cookies = "; ".join(f"{c.name}={c.value}" for c in self.opener.cookies)
                conn.request("GET", path, headers={"Cookie": cookies})
                response = conn.getresponse()
                response.read()
            return response.status
        finally:
            conn.close()

    @mute_logger(*MUTED)
    def test_dot_segments_are_a_bad_request(self):
        ticket = self.ticket_a.id
        for user in (self.portal_a, None):
            self._login(user)
            for path in (
                f"/my/ticket/{ticket}/..%2F..%2Fetc%2Fpasswd",
                f"/my/ticket/{ticket}/..%2F..%2F..%2F..%2Fetc%2Fpasswd/x/y",
                "/my/orders/%2E%2E",
                "/my/orders/%2e",
                f"/my/ticket/{ticket}/%252E%252E%252Fetc",
                "/..%2F..%2Fetc%2Fpasswd",
                "/shop/..%2Fweb",
            ):
                with self.subTest(user=user.login if user else None, path=path):
                    for method in ("GET", "POST"):
                        response = self.url_open(
                            path,
                            data={} if method == "POST" else None,
                            method=method,
                            allow_redirects=False,
                        )
                        self.assertEqual(response.status_code, 400, method)
            for path in ("/my/../my/tickets", "/web/./login", "/.."):
                with self.subTest(user=user.login if user else None, path=path):
                    self.assertEqual(self._raw_get(path), 400)

    @mute_logger(*MUTED)
    def test_dots_inside_a_segment_or_the_query_are_routed_as_before(self):
        self._login_a()
        response = self.url_open("/my/tickets", params={"search": "../../etc"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._raw_get("/web/login"), 200)
        for path in (f"/my/ticket/{self.ticket_a.id}/..x", "/.well-known/x", "/a..b"):
            with self.subTest(path=path):
                response = self.url_open(path, allow_redirects=False)
                self.assertLess(response.status_code, 500, path)
                self.assertNotEqual(response.status_code, 400, path)


@tagged("post_install", "-at_install")
class TestNumberHardening(PortalHardeningCommon):
    """Numbers that stock controllers int() unchecked: a 404 (or a 400 for
    report options that are no JSON), never an HTTP 500."""

    @mute_logger(*MUTED)
    def test_image_and_content_numbers_that_are_no_numbers_are_not_found(self):
        self._login_a()
        partner = self.portal_a.partner_id.id
        for url in (
            "/web/image?model=res.partner&id=abc&field=avatar_128",
            "/web/image?model=res.partner&id=1.5&field=avatar_128",
            f"/web/image?model=res.partner&id={'9' * 30}&field=avatar_128",
            f"/web/image/res.partner/{partner}/avatar_128?width=1e9",
            f"/web/image/res.partner/{partner}/avatar_128?height=-3&width=10",
            f"/web/image/res.partner/{partner}/avatar_128?width=%D1%82",
            "/web/content?model=ir.attachment&id=%F0%9F%98%80&field=datas",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 404)
        # well-formed numbers still work
        response = self.url_open(
            f"/web/image/res.partner/{partner}/avatar_128?width=64&height=64"
        )
        self.assertEqual(response.status_code, 200)

    @mute_logger(*MUTED)
    def test_report_ids_beyond_integers_or_missing_are_not_found(self):
        self._login_a()
        missing = self.env["sale.order"].search([], order="id desc", limit=1).id + 99
        for docids in ("2147483648", "9" * 30, "0", str(missing)):
            for converter in ("html", "pdf"):
                with self.subTest(docids=docids, converter=converter):
                    response = self.url_open(
                        f"/report/{converter}/sale.report_saleorder/{docids}",
                        allow_redirects=False,
                    )
                    self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"/report/html/sale.report_saleorder/{self.order_a.id}",
            params={"options": "{not json"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        # an existing order: stock's answer (no 404 of ours)
        response = self.url_open(
            f"/report/html/sale.report_saleorder/{self.order_a.id}",
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (200, 403))
