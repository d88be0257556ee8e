# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Why over 600 lines: one fuzz harness (request generator, oracles for leaks,
# cross-customer writes and unescaped output) with its route table.
"""Hypothesis fuzz of the customer portal, over real HTTP.

Every portal route of ours (``/my/qms/requirements*``), of OCA helpdesk_mgmt
(``/my/tickets``, ``/my/ticket/<id>``, ``/new/ticket``, ``/submitted/ticket``,
``/ticket/close``) and of sale (``/my/orders``, ``/my/quotes``,
``/my/orders/<id>``) gets generated query strings and forms: the other
customer's ids and tokens, huge strings, unicode, HTML/JS, SQL-looking text,
negative and huge numbers, missing fields and wrong methods; as customer A's
portal user and as a visitor. For every answer:

- no 5xx;
- nothing of another customer (names, references, ticket numbers, order names,
  tokens) in the body or in a redirect, unless the request itself sent it;
- the HTML we sent only comes back escaped.

Also: the complaint branch of ticket submission (feedback kind, order and
product, the other customer's included), oversized bodies (4 MB, 2 000
fields), NUL bytes, and an "absurd paths" family: path segments the route
converters cannot take (huge and negative numbers, unicode digits, NUL,
slashes, 3 000 characters) on our routes and the host's (orders, tickets,
invoices, requirements, surveys, web content), with every method.

The inputs are random on every run: the seed is printed at the end
(``QMS_FUZZ_SEED=<seed>`` replays it), and every failing example Hypothesis
finds is saved in ``tests/hypothesis-examples/`` (commit it) and tried again
first on every later run.

And customer B's documents are unchanged at the end. ``QMS_FUZZ_EXAMPLES``
(default 200) is the number of generated requests per route family and user:
11 families, 2 users, so about 4 500 requests at the default (under two minutes
on a 2-core machine); each test prints how many it made. The two families that
write (ticket submission, requirement answer) get ``QMS_FUZZ_ROUTE_EXAMPLES``
(default 500) per user: 1 000 per route. The other routes of ours are fuzzed in
tests/test_portal_fuzz_qms.py.
"""

import logging
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm.tests.test_portal_hardening import QmsPortalHardeningCase

# hypothesis over HTTP: about 5 000 requests: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(300)

_logger = logging.getLogger(__name__)

EXAMPLES = int(os.environ.get("QMS_FUZZ_EXAMPLES", "200"))
# the routes that write (complaint submission, requirement confirmation):
# QMS_FUZZ_ROUTE_EXAMPLES (default 500) per user, 1 000 per route
FAMILY_EXAMPLES = dict.fromkeys(
    ("ticket submission", "requirement answer"),
    int(os.environ.get("QMS_FUZZ_ROUTE_EXAMPLES", "500")),
)
MUTED = (
    "odoo.http",
    "odoo.addons.http_routing.models.ir_http",
    "odoo.addons.portal_request_hardening.models.ir_http",
    "odoo.addons.base.models.ir_rule",
    "odoo.addons.portal.controllers.portal",
)
# sent as they are; they must only ever come back escaped
XSS_PAYLOADS = (
    "<script>qmsxss()</script>",
    '"><img src=x onerror=qmsxss()>',
    "<svg/onload=qmsxss()>",
    "javascript:qmsxss()//</textarea><b>qmsxss</b>",
)
HOSTILE = (
    "",
    " ",
    "\t\n ",
    "0",
    "-1",
    "-2147483649",
    "2147483648",
    "9" * 40,
    "1e400",
    "nan",
    "inf",
    "1.5",
    "0x10",
    "１２",
    "' OR 1=1 --",
    "1); DROP TABLE res_users; --",
    "%' AND 1=1 AND '%'='",
    "../../../../etc/passwd",
    "%00",
    "é",
    "тест",
    "\u202eevil",
    "😀",
    "\ufeffbom",
    "a" * 5000,
    "null",
    "None",
    "[]",
    "{}",
    "__class__",
    "all",
    "none",
    "date",
    "name",
    "stage",
    "category",
    "number",
    "update",
    "confirmed",
    "commented",
    "html",
    "text",
    *XSS_PAYLOADS,
)
METHODS = ("GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE")
FEEDBACK_KINDS = ("complaint", "warranty", "enquiry", "suggestion", "compliment")
# path segments the routes' converters cannot take
ABSURD_SEGMENTS = (
    "9" * 30,
    "2147483648",
    "-1",
    "-0",
    "0",
    "1.5",
    "1e9",
    "0x1f",
    "１２",
    "٣",
    "\x00",
    "a\x00b",
    "..",
    "/",
    "%2F",
    "%",
    "тест",
    "😀",
    " ",
    "a" * 3000,
)
# routes of ours and of the host apps our addons touch; {0}, {1}: segments
ABSURD_ROUTES = (
    "/my/orders/{0}",
    "/my/orders/{0}/{1}",
    "/my/quotes/page/{0}",
    "/my/orders/page/{0}",
    "/my/ticket/{0}",
    "/my/ticket/{0}/{1}",
    "/my/tickets/page/{0}",
    "/my/qms/requirements/{0}",
    "/my/qms/requirements/{0}/answer",
    "/my/qms/requirements/page/{0}",
    "/my/orders/{0}/accept",
    "/my/orders/{0}/decline",
    "/my/invoices/{0}",
    "/my/{0}",
    "/web/content/{0}",
    "/web/image/{0}",
    "/survey/start/{0}",
    "/survey/{0}/{1}",
    "/report/pdf/sale.report_saleorder/{0}",
    "/report/html/sale.report_saleorder/{0},{1}",
    "/web/image/res.partner/{0}/avatar_128?width={1}",
    "/web/content?model=ir.attachment&id={0}&field=datas",
)

text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# Random inputs on every run (a new seed each time, printed with a failure:
# QMS_FUZZ_SEED=<seed> replays a run); every failing example found is kept in
# tests/hypothesis-examples/ (commit it) and tried first on every later run.
EXAMPLES_DB = DirectoryBasedExampleDatabase(
    str(Path(__file__).resolve().parent / "hypothesis-examples")
)
SEED = int(os.environ.get("QMS_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
settings_fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    database=EXAMPLES_DB,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
    print_blob=True,
)


def _params(keys, csrf=None):
    """Optional query/form fields: each one missing or hostile."""
    optional = {key: text for key in keys}
    optional["qms_extra_id"] = text
    if csrf is not None:
        optional["csrf_token"] = csrf
    return st.fixed_dictionaries({}, optional=optional)


@tagged("post_install", "-at_install")
class TestPortalFuzz(QmsPortalHardeningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.req_a = cls._requirement(
            cls.customer_a, name="Alpha crate rule", documented=False, source="call"
        )
        cls.req_b = cls._requirement(
            cls.customer_b, name="Beta colour rule", documented=False, source="call"
        )
        cls.req_a.with_user(cls.salesman).action_send_confirmation()
        cls.req_b.with_user(cls.salesman2).action_send_confirmation()
        cls.quote_b = cls._order(cls.customer_b, user=cls.salesman2)
        cls.quote_b.write({"state": "sent"})
        cls.quote_b._portal_ensure_token()
        cls.closed_ticket_b = cls._ticket(
            cls.portal_b, "Beta closed gasket", stage_id=cls.stage_done.id
        )
        missing = max(
            cls.env[model].search([], order="id desc", limit=1).id
            for model in ("helpdesk.ticket", "sale.order", "qms.requirement")
        )
        cls.missing_id = missing + 1000
        cls.docs = {
            "ticket": {"a": cls.ticket_a, "b": cls.ticket_b},
            "order": {"a": cls.order_a, "b": cls.order_b},
            "requirement": {"a": cls.req_a, "b": cls.req_b},
        }
        cls.markers = {
            "a": cls._markers(
                [cls.customer_a.name, cls.portal_a.name, cls.req_a.name],
                [cls.ticket_a, cls.order_a, cls.req_a],
            ),
            "b": cls._markers(
                [
                    cls.customer_b.name,
                    cls.portal_b.name,
                    cls.req_b.name,
                    cls.closed_ticket_b.name,
                    cls.product_b.name,
                ],
                [
                    cls.ticket_b,
                    cls.order_b,
                    cls.req_b,
                    cls.quote_b,
                    cls.closed_ticket_b,
                ],
            ),
        }

    @classmethod
    def _markers(cls, names, records):
        markers = set(names)
        for record in records:
            markers.add(record.access_token)
            for field in ("name", "number", "reference"):
                if field in record._fields and record[field]:
                    markers.add(record[field])
        return {marker for marker in markers if marker and len(marker) > 3}

    def setUp(self):
        super().setUp()
        self.requests_made = 0
        self.snapshot_b = self._snapshot_b()

    def _snapshot_b(self):
        # pending tracking (messages of the setup) is posted before counting
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tickets = self.ticket_b | self.closed_ticket_b
        return {
            "tickets": [
                (t.stage_id.id, t.closed_date, len(t.message_ids)) for t in tickets
            ],
            "orders": [
                (o.state, len(o.message_ids)) for o in self.order_b | self.quote_b
            ],
            "requirement": (
                self.req_b.confirmation_state,
                self.env["qms.requirement.confirmation"].search_count(
                    [("requirement_id", "=", self.req_b.id)]
                ),
            ),
            "b_tickets": self.env["helpdesk.ticket"].search_count(
                [("partner_id", "child_of", self.customer_b.id)]
            ),
        }

    # ------------------------------------------------------------------
    # Strategies: one per route family
    # ------------------------------------------------------------------
    def _doc_and_token(self, kind):
        """(owner, id, token) of a document: mine, the other customer's with my
        token or garbage (never its own token), missing, or nonsense."""
        docs = self.docs[kind]
        garbage = st.one_of(st.none(), text)
        own = [docs["a"].access_token]
        foreign = [self.docs[other]["b"].access_token for other in self.docs] + own
        return st.one_of(
            st.tuples(
                st.just("a"),
                st.just(str(docs["a"].id)),
                st.one_of(garbage, st.sampled_from(foreign)),
            ),
            st.tuples(
                st.just("b"),
                st.just(str(docs["b"].id)),
                st.one_of(garbage, st.sampled_from(own)),
            ),
            st.tuples(
                st.just(None),
                st.sampled_from([str(self.missing_id), "-1", "0", "9" * 25]),
                garbage,
            ),
        )

    def _families(self):
        # mostly the session's valid token, so that most POSTs reach the code
        csrf = st.integers(min_value=0, max_value=9).flatmap(
            lambda n: st.just(self.csrf) if n < 7 else st.one_of(st.none(), text)
        )
        ids = st.one_of(
            text,
            st.sampled_from(
                [
                    str(record.id)
                    for record in (
                        self.ticket_a,
                        self.ticket_b,
                        self.stage_done,
                        self.stage_cancelled,
                        self.stage_rejected,
                        self.stage_other_team,
                        self.team,
                        self.team_hidden,
                        self.category,
                        self.category_hidden,
                        self.product,
                        self.product_b,
                        self.order_a,
                        self.order_b,
                    )
                ]
            ),
        )
        list_keys = (
            "date_begin",
            "date_end",
            "sortby",
            "filterby",
            "search",
            "search_in",
            "groupby",
            "page",
        )
        return {
            "tickets list": st.tuples(
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
                st.sampled_from(
                    ["/my/tickets", "/my/tickets/page/2", "/my/tickets/page/-3"]
                ),
                _params(list_keys, csrf),
                st.none(),
            ),
            "orders lists": st.tuples(
                st.sampled_from(["GET", "GET", "HEAD"]),
                st.sampled_from(
                    [
                        "/my/orders",
                        "/my/quotes",
                        "/my/orders/page/9",
                        "/my/quotes/page/0",
                    ]
                ),
                _params(list_keys),
                st.none(),
            ),
            "ticket page": st.builds(
                self._doc_request,
                st.just("ticket"),
                self._doc_and_token("ticket"),
                st.booleans(),
                _params(("error", "warning", "success", "pid", "hash"), csrf),
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
            ),
            "order page": st.builds(
                self._doc_request,
                st.just("order"),
                self._doc_and_token("order"),
                st.just(False),
                _params(
                    (
                        "report_type",
                        "download",
                        "message",
                        "payment_amount",
                        "amount_selection",
                    ),
                    csrf,
                ),
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
            ),
            "requirement page": st.builds(
                self._doc_request,
                st.just("requirement"),
                self._doc_and_token("requirement"),
                st.just(False),
                _params(("message", "page"), csrf),
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
            ),
            "requirement answer": st.builds(
                self._answer_request,
                self._doc_and_token("requirement"),
                st.sampled_from(METHODS),
                csrf,
                st.fixed_dictionaries(
                    {},
                    optional={
                        "decision": st.one_of(
                            st.sampled_from(["confirmed", "commented"]), text
                        ),
                        "comment": text,
                        "text_hash": st.one_of(
                            st.sampled_from([self.req_a.text_hash]), text
                        ),
                    },
                ),
            ),
            "requirements list": st.tuples(
                st.sampled_from(["GET", "HEAD", "POST"]),
                st.sampled_from(
                    ["/my/qms/requirements", "/my/qms/requirements/page/7"]
                ),
                _params(("page", "sortby"), csrf),
                st.none(),
            ),
            "new ticket form": st.tuples(
                st.sampled_from(["GET", "POST"]),
                st.just("/new/ticket"),
                _params(("subject", "category", "team"), csrf),
                st.none(),
            ),
            "ticket submission": st.builds(
                self._form_request,
                st.sampled_from(["POST", "POST", "POST", "GET", "HEAD", "OPTIONS"]),
                st.just("/submitted/ticket"),
                csrf,
                st.one_of(
                    # well-formed: my team, category, product and order, and text
                    # with markup, unicode and SQL in it
                    st.fixed_dictionaries(
                        {
                            "subject": st.one_of(
                                st.sampled_from(XSS_PAYLOADS), text
                            ).map(lambda value: f"Fuzz {value}"),
                            "description": st.one_of(
                                st.sampled_from(XSS_PAYLOADS), text
                            ).map(lambda value: f"{value} details"),
                        },
                        optional={
                            "category": st.just(str(self.category.id)),
                            "team": st.just(str(self.team.id)),
                            "product_id": st.just(str(self.product.id)),
                            "sale_order_id": st.just(str(self.order_a.id)),
                            # the complaint branch (qms_crm_complaint)
                            "qms_feedback_kind": st.sampled_from(FEEDBACK_KINDS),
                        },
                    ),
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "subject": text,
                            "description": text,
                            "category": ids,
                            "team": ids,
                            "product_id": ids,
                            "sale_order_id": ids,
                            "attachment_id": ids,
                            "qms_feedback_kind": st.one_of(
                                st.sampled_from(FEEDBACK_KINDS), text
                            ),
                        },
                    ),
                ),
                st.lists(st.tuples(text, st.binary(max_size=64)), max_size=2),
            ),
            "absurd paths": st.builds(
                self._absurd_request,
                st.sampled_from(ABSURD_ROUTES),
                st.lists(
                    st.one_of(st.sampled_from(ABSURD_SEGMENTS), text),
                    min_size=1,
                    max_size=2,
                ),
                st.sampled_from(METHODS),
            ),
            "ticket close": st.builds(
                self._form_request,
                st.sampled_from(["POST", "POST", "POST", "GET", "HEAD", "OPTIONS"]),
                st.just("/ticket/close"),
                csrf,
                st.fixed_dictionaries(
                    {},
                    optional={
                        "ticket_id": ids,
                        "stage_id": ids,
                        "team_id": ids,
                        "access_token": text,
                    },
                ),
                st.just([]),
            ),
        }

    def _explicit_examples(self):
        """The findings of the issue, always tried first."""
        a_ticket, b_ticket = self.ticket_a.id, self.ticket_b.id
        order = f"/my/orders/{self.order_a.id}"
        form = {"csrf_token": self.csrf, "subject": "Fuzz", "description": "x"}
        legit = {"legit_a": False}
        return {
            "tickets list": [
                ("GET", "/my/tickets", {"sortby": "nope", "groupby": "x"}, None),
                ("GET", "/my/tickets", {"date_begin": "x", "date_end": "y"}, None),
                ("GET", "/my/tickets", {"search": "a\x00b"}, None),
            ],
            "orders lists": [
                ("GET", "/my/orders", {"sortby": "nope", "date_begin": "x"}, None),
                ("GET", "/my/quotes", {"sortby": "amount", "date_end": "y"}, None),
            ],
            "order page": [
                ("GET", order, {"access_token": "é"}, None, legit),
                ("GET", order, {"payment_amount": "nan"}, None, legit),
                ("GET", order, {"payment_amount": "1e308"}, None, legit),
            ],
            "ticket page": [
                ("GET", f"/my/ticket/{a_ticket}/%C3%A9", {}, None, legit),
                # an encoded dot segment: with website, its 404 page was an
                # HTTP 500 (urljoin: "Dot segments are not allowed")
                (
                    "GET",
                    f"/my/ticket/{a_ticket}/..%2F..%2Fetc%2Fpasswd",
                    {},
                    None,
                    legit,
                ),
                (
                    "GET",
                    f"/my/ticket/{a_ticket}/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
                    {},
                    None,
                    legit,
                ),
            ],
            "requirement page": [
                (
                    "GET",
                    f"/my/qms/requirements/{self.req_a.id}",
                    {"access_token": "тест"},
                    None,
                    legit,
                ),
            ],
            "ticket submission": [
                ("GET", "/submitted/ticket", None, dict(form)),
                ("POST", "/submitted/ticket", None, {**form, "description": None}),
                ("POST", "/submitted/ticket", None, {**form, "category": "x"}),
                ("POST", "/submitted/ticket", None, {**form, "team": "1 OR 1"}),
                ("POST", "/submitted/ticket", None, {**form, "subject": "a\x00"}),
                (
                    "POST",
                    "/submitted/ticket",
                    None,
                    {
                        **form,
                        "qms_feedback_kind": "complaint",
                        "sale_order_id": str(self.order_b.id),
                        "product_id": str(self.product_b.id),
                    },
                ),
                (
                    "POST",
                    "/submitted/ticket",
                    None,
                    {**form, "qms_feedback_kind": "complaint\x00", "team": "9" * 40},
                ),
                # an oversized body: 4 MB of description, 2 000 fields
                (
                    "POST",
                    "/submitted/ticket",
                    None,
                    {**form, "description": "x" * 2**22},
                ),
                (
                    "POST",
                    "/submitted/ticket",
                    None,
                    {**form, **{f"f{i}": "v" for i in range(2000)}},
                ),
            ],
            "absurd paths": [
                ("GET", f"/my/orders/{'9' * 30}", None, None),
                ("GET", "/my/orders/-1", None, None),
                ("GET", f"/my/ticket/{'9' * 30}", None, None),
                ("GET", f"/my/tickets/page/{'9' * 30}", None, None),
                ("GET", f"/my/qms/requirements/{'9' * 30}", None, None),
                ("POST", f"/my/qms/requirements/{'9' * 30}/answer", None, None),
                ("GET", "/my/orders/%00", None, None),
                ("GET", "/my/ticket/1/%00", None, None),
                ("GET", f"/my/ticket/{a_ticket}/..%2F..%2Fetc%2Fpasswd", None, None),
                ("GET", "/my/ticket/..%2F..%2Fetc%2Fpasswd/x", None, None),
                ("POST", "/my/orders/%2E%2E/accept", None, None),
                ("GET", "/my/%2e", None, None),
                ("GET", "/survey/..%2F/x", None, None),
            ],
            "ticket close": [
                (
                    "GET",
                    "/ticket/close",
                    None,
                    {"ticket_id": b_ticket, "stage_id": self.stage_done.id},
                ),
                (
                    "POST",
                    "/ticket/close",
                    None,
                    {
                        "csrf_token": self.csrf,
                        "ticket_id": b_ticket,
                        "stage_id": self.stage_cancelled.id,
                    },
                ),
                (
                    "POST",
                    "/ticket/close",
                    None,
                    {"csrf_token": self.csrf, "ticket_id": "x", "foo_id": "y"},
                ),
            ],
        }

    def _doc_request(self, kind, doc, token_in_path, params, method="GET"):
        owner, doc_id, token = doc
        base = {
            "ticket": "/my/ticket",
            "order": "/my/orders",
            "requirement": "/my/qms/requirements",
        }[kind]
        path = f"{base}/{doc_id}"
        params = dict(params)
        if token is not None and token_in_path and token:
            path += "/" + quote(token, safe="")
        elif token is not None:
            params["access_token"] = token
        legit = owner == "a" and token == self.docs[kind]["a"].access_token
        return (method, path, params, None, {"legit_a": legit})

    def _answer_request(self, doc, method, csrf, form):
        owner, doc_id, token = doc
        data = dict(form)
        if token is not None:
            data["access_token"] = token
        if csrf is not None:
            data["csrf_token"] = csrf
        path = f"/my/qms/requirements/{doc_id}/answer"
        legit = owner == "a" and token == self.req_a.access_token
        return (method, path, None, data, {"legit_a": legit})

    def _absurd_request(self, route, segments, method):
        """A route of ours or of the host with path segments its converters
        cannot take (huge or negative numbers, unicode, NUL, slashes)."""
        parts = [quote(seg, safe="") or "%20" for seg in segments] + ["x", "y"]
        path = route.format(*parts[:2], csrf=self.csrf)
        return (method, path, None, None)

    def _form_request(self, method, path, csrf, form, files):
        data = dict(form)
        if csrf is not None:
            data["csrf_token"] = csrf
        extra = {
            "files": [("attachment", (name or "f", content)) for name, content in files]
        }
        return (method, path, None, data, extra)

    # ------------------------------------------------------------------
    # Sending and checking
    # ------------------------------------------------------------------
    def _send(self, request):
        method, path, params, data, *rest = request
        extra = rest[0] if rest else {}
        files = extra.get("files") or None
        if method in ("GET", "HEAD", "OPTIONS") and data is not None:
            params, data, files = data, None, None
        self.requests_made += 1
        return self.url_open(
            path,
            params=params,
            data=data if method not in ("GET", "HEAD") else None,
            files=files if method not in ("GET", "HEAD", "OPTIONS") else None,
            method=method,
            allow_redirects=False,
            timeout=60,
        )

    def _check(self, request, response, viewer):
        sent = repr(request)
        where = f"{request[0]} {request[1]} {sent[:600]}"
        if response.status_code >= 500:
            body = response.text
            start = max(body.find("Traceback"), 0)
            self.fail(
                f"HTTP {response.status_code} on {where}\n{body[start : start + 3000]}"
            )
        answer = response.text + "\n" + response.headers.get("Location", "")
        allowed = {"a"} if viewer == "a" else set()
        extra = request[4] if len(request) > 4 and request[4] else {}
        if extra.get("legit_a"):
            allowed.add("a")
        for owner, markers in self.markers.items():
            if owner in allowed:
                continue
            for marker in markers:
                if marker in sent:
                    continue  # reflected input is not a leak
                if marker not in answer:
                    continue  # the same verdict, without a regex scan of the page
                pattern = rf"(?<![\w-]){re.escape(marker)}(?![\w-])"
                self.assertIsNone(
                    re.search(pattern, answer),
                    f"{owner}'s {marker!r} served to {viewer}: {where}",
                )
        for payload in XSS_PAYLOADS:
            self.assertNotIn(payload, response.text, f"unescaped: {where}")
        location = response.headers.get("Location", "")
        if (
            request[1] == "/submitted/ticket"
            and response.status_code in (302, 303)
            and urlsplit(location).path.startswith("/my/ticket/")
        ):
            self.requests_made += 1
            page = self.url_open(location, allow_redirects=False)
            self.assertEqual(page.status_code, 200, location)
            for payload in XSS_PAYLOADS:
                self.assertNotIn(payload, page.text, f"unescaped on {location}")

    def _fuzz(self, viewer):
        start = time.time()
        self.csrf = http.Request.csrf_token(self)
        explicit = self._explicit_examples()
        for family, strategy in self._families().items():

            def run(request):
                response = self._send(request)
                self._check(request, response, viewer)

            for request in explicit.get(family, ()):
                run = example(request)(run)
            run = settings(
                settings_fuzz, max_examples=FAMILY_EXAMPLES.get(family, EXAMPLES)
            )(seed(SEED)(given(strategy)(run)))
            with self.subTest(family=family), mute_logger(*MUTED):
                run()
        self.assertEqual(self._snapshot_b(), self.snapshot_b)
        elapsed = time.time() - start
        message = (
            f"portal fuzz as {viewer}: {self.requests_made} requests "
            f"({EXAMPLES} examples per route family) in {elapsed:.1f} s, "
            f"QMS_FUZZ_SEED={SEED}"
        )
        print(message)
        _logger.info(message)

    def test_fuzz_portal_routes_as_customer_a(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        self._fuzz("a")

    def test_fuzz_portal_routes_as_visitor(self):
        self.authenticate(None, None)
        self._fuzz("public")
