# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hypothesis fuzz of the rest of our customer-facing routes, over real HTTP.

``tests/test_portal_fuzz.py`` covers the requirement, ticket and order pages;
this one the routes of the other features, with the same checks (no 5xx,
nothing of the other customer served, markup only ever escaped, the other
customer's records unchanged at the end):

- recall notices: ``/my/recall/<id>`` and the acknowledgement POST (wrong,
  expired and the other customer's tokens, negative, huge, NaN quantities,
  unknown remedies, proof files);
- customer property: ``/my/qms/property`` (list), the property page, the
  incident page and its acknowledgement POST;
- complaint answers: ``/my/ticket/<id>/qms/confirm`` and ``.../reject``;
- satisfaction surveys: ``/survey/start/<token>``, ``/survey/<token>/<answer>``
  and the JSON route ``/survey/submit/<token>/<answer>`` (JSON-RPC: an
  "Odoo Server Error" there is the 500 of JSON).

``QMS_FUZZ_ROUTE_EXAMPLES`` (default 500) generated requests per route and
user, as customer A's portal user and as a visitor: 1 000 per route. Random
inputs on every run, failing examples kept in ``tests/hypothesis-examples/``
(see tests/test_portal_fuzz.py).
"""

import json
import logging
import os
import re
import time
from urllib.parse import urlsplit

import pytest
import test_portal_fuzz as base
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_recall.tests.common import QmsRecallCommon
from odoo.addons.qms_crm_survey.tests.common import QmsSurveyCommon

# hypothesis over HTTP: thousands of requests: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(300)

_logger = logging.getLogger(__name__)

ROUTE_EXAMPLES = int(os.environ.get("QMS_FUZZ_ROUTE_EXAMPLES", "500"))
MUTED = (*base.MUTED, "odoo.addons.survey.controllers.main")
text = base.text
XSS_PAYLOADS = base.XSS_PAYLOADS
# JSON-RPC errors that are a clean refusal (anything else is a server error)
CLEAN_JSON_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.AccessDenied",
    "odoo.exceptions.MissingError",
    "werkzeug.exceptions.NotFound",
    "werkzeug.exceptions.Forbidden",
    "werkzeug.exceptions.BadRequest",
    "odoo.http.SessionExpiredException",
}
numbers = st.one_of(
    st.sampled_from(
        ["0", "1", "2", "3", "-1", "-0", "5", "5.0000001", "1e400", "nan", "inf"]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    text,
)


@tagged("post_install", "-at_install")
class TestPortalFuzzQms(base.TestPortalFuzz, QmsRecallCommon, QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # recall notices of both customers
        cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 3)])
        cls.campaign, cls.line_a, cls.line_b = cls._notified_campaign(letters=False)
        # customer property and incidents
        Property = cls.env["qms.property"]
        cls.prop_a, cls.prop_b = Property.create(
            [
                {
                    "name": name,
                    "kind": "equipment",
                    "partner_id": partner.id,
                    "quantity": 1,
                }
                for name, partner in (
                    ("Alpha injection mould", cls.customer_a),
                    ("Beta secret gauge", cls.customer_b),
                )
            ]
        )
        cls.incident_a, cls.incident_b = cls.env["qms.property.incident"].create(
            [
                {
                    "property_id": prop.id,
                    "kind": "damaged",
                    "description": f"{prop.name} dented.",
                    "action_taken": "Repair at our cost.",
                }
                for prop in (cls.prop_a, cls.prop_b)
            ]
        )
        for record in (
            cls.prop_a,
            cls.prop_b,
            cls.incident_a,
            cls.incident_b,
            cls.line_a,
            cls.line_b,
        ):
            record._portal_ensure_token()
        # satisfaction answers, not yet submitted
        cls.answer_a = cls._answer(cls.nps, cls.portal_a.partner_id, {}, done=False)
        cls.answer_b = cls._answer(cls.nps, cls.portal_b.partner_id, {}, done=False)
        cls.nps_question = cls._question(cls.nps, "nps")
        cls.docs = dict(
            cls.docs,
            recall={"a": cls.line_a, "b": cls.line_b},
            property={"a": cls.prop_a, "b": cls.prop_b},
            incident={"a": cls.incident_a, "b": cls.incident_b},
        )
        cls.markers["b"] |= cls._markers(
            [cls.prop_b.name, "Beta secret gauge dented."],
            [cls.line_b, cls.prop_b, cls.incident_b],
        ) | {cls.answer_b.access_token}
        cls.markers["a"] |= cls._markers(
            [cls.prop_a.name], [cls.line_a, cls.prop_a, cls.incident_a]
        ) | {cls.answer_a.access_token}

    def _snapshot_b(self):
        snapshot = super()._snapshot_b()
        self.env.invalidate_all()
        snapshot.update(
            recall=(
                self.line_b.state,
                self.line_b.ack_date,
                len(self.line_b.message_ids),
            ),
            incident=(self.incident_b.state, self.incident_b.acknowledged_at),
            answer=(self.answer_b.state, len(self.answer_b.user_input_line_ids)),
        )
        return snapshot

    def test_fixture(self):
        self.assertEqual(self.line_a.state, "notified")
        self.assertEqual(self.incident_b.state, "notified")
        self.assertEqual(self.answer_b.state, "new")
        self.assertTrue(self.nps_question)

    # ------------------------------------------------------------------
    def _families(self):
        csrf = st.integers(min_value=0, max_value=9).flatmap(
            lambda n: st.just(self.csrf) if n < 7 else st.one_of(st.none(), text)
        )
        files = st.lists(
            st.tuples(
                st.one_of(st.sampled_from(["proof.jpg", "../x", "a\x00b"]), text),
                st.binary(max_size=64),
            ),
            max_size=2,
        )
        survey_tokens = st.one_of(
            st.sampled_from([self.nps.access_token, self.csat.access_token]), text
        )
        # an answer token is the survey link's credential: a visitor holding
        # customer B's link is customer B; customer A's portal user gets both
        tokens = [self.answer_a.access_token]
        if self.viewer == "a":
            tokens.append(self.answer_b.access_token)
        answer_tokens = st.one_of(st.sampled_from(tokens), text)
        return {
            "recall page": st.builds(
                self._doc_request,
                st.just("recall"),
                self._doc_and_token("recall"),
                st.just(False),
                base._params(("message",), csrf),
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
            ),
            "recall ack": st.builds(
                self._post_request,
                st.just("recall"),
                st.just("/ack"),
                self._doc_and_token("recall"),
                st.sampled_from(["POST", "POST", "POST", "GET", "PUT"]),
                csrf,
                st.fixed_dictionaries(
                    {},
                    optional={
                        "qty_on_hand": numbers,
                        "remedy": st.one_of(
                            st.sampled_from(["return", "destroy", "keep"]), text
                        ),
                        "note": st.one_of(st.sampled_from(XSS_PAYLOADS), text),
                    },
                ),
                files,
            ),
            "property list": st.tuples(
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
                st.sampled_from(
                    [
                        "/my/qms/property",
                        "/my/qms/property/page/2",
                        "/my/qms/property/page/0",
                    ]
                ),
                base._params(("page", "sortby", "filterby"), csrf),
                st.none(),
            ),
            "property page": st.builds(
                self._doc_request,
                st.just("property"),
                self._doc_and_token("property"),
                st.just(False),
                base._params(("message",), csrf),
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
            ),
            "incident page": st.builds(
                self._doc_request,
                st.just("incident"),
                self._doc_and_token("incident"),
                st.just(False),
                base._params(("message",), csrf),
                st.sampled_from(["GET", "GET", "HEAD", "POST"]),
            ),
            "incident ack": st.builds(
                self._post_request,
                st.just("incident"),
                st.just("/acknowledge"),
                self._doc_and_token("incident"),
                st.sampled_from(["POST", "POST", "POST", "GET", "DELETE"]),
                csrf,
                st.fixed_dictionaries(
                    {},
                    optional={
                        "comment": st.one_of(st.sampled_from(XSS_PAYLOADS), text)
                    },
                ),
                st.just([]),
            ),
            "complaint confirm": st.builds(
                self._post_request,
                st.just("ticket"),
                st.just("/qms/confirm"),
                self._doc_and_token("ticket"),
                st.sampled_from(["POST", "POST", "POST", "GET", "PUT"]),
                csrf,
                base._params(("comment",)),
                st.just([]),
            ),
            "complaint reject": st.builds(
                self._post_request,
                st.just("ticket"),
                st.just("/qms/reject"),
                self._doc_and_token("ticket"),
                st.sampled_from(["POST", "POST", "POST", "GET", "OPTIONS"]),
                csrf,
                st.fixed_dictionaries(
                    {},
                    optional={"reason": st.one_of(st.sampled_from(XSS_PAYLOADS), text)},
                ),
                st.just([]),
            ),
            "survey start": st.builds(
                self._survey_page,
                st.just("start"),
                survey_tokens,
                st.one_of(st.none(), answer_tokens),
                base._params(("answer_token", "previous_page_id")),
            ),
            "survey page": st.builds(
                self._survey_page,
                st.just("page"),
                survey_tokens,
                st.one_of(st.none(), answer_tokens),
                base._params(("answer_token", "previous_page_id")),
            ),
            "survey submit (JSON)": st.builds(
                self._survey_submit,
                survey_tokens,
                answer_tokens,
                st.fixed_dictionaries(
                    {},
                    optional={
                        str(self.nps_question.id): numbers,
                        "question_id": st.one_of(
                            st.just(str(self.nps_question.id)), numbers
                        ),
                        "page_id": numbers,
                        "previous_page_id": numbers,
                        "csrf_token": st.just(self.csrf),
                        "button_choice": st.one_of(
                            st.sampled_from(["next", "previous", "submit"]), text
                        ),
                    },
                ),
                st.sampled_from(["POST", "POST", "POST", "GET"]),
            ),
        }

    def _explicit_examples(self):
        line, token = self.line_a, self.line_a.access_token
        return {
            "recall ack": [
                (
                    "POST",
                    f"/my/recall/{line.id}/ack",
                    None,
                    {
                        "csrf_token": self.csrf,
                        "access_token": token,
                        "qty_on_hand": qty,
                    },
                    {"legit_a": True},
                )
                for qty in ("-1", "1e400", "nan", "99999999999999999999", "x")
            ],
            # survey reads these ids with int() and shows any survey's question
            "survey page": [
                (
                    "GET",
                    f"/survey/{self.nps.access_token}/{self.answer_a.access_token}",
                    {"previous_page_id": value},
                    None,
                    {"legit_a": True},
                )
                for value in ("", "x", "-1", str(self.csat.question_ids[:1].id))
            ]
            # a line break in a path stock redirects ("//" merged): was a 500
            + [("GET", "/survey//\t\n ", {}, None, {"legit_a": False})],
            "survey submit (JSON)": [
                self._survey_submit(
                    self.nps.access_token,
                    self.answer_a.access_token,
                    {key: value},
                    "POST",
                )
                for key in ("previous_page_id", "page_id", "question_id")
                for value in ("", "x", str(self.csat.question_ids[:1].id))
            ]
            + [
                self._survey_submit(
                    self.nps.access_token,
                    self.answer_a.access_token,
                    {str(self.nps_question.id): value},
                    "POST",
                )
                for value in ("9" * 40, "-99999999999", "11", "1e3", [], {"a": 1})
            ],
        }

    # ------------------------------------------------------------------
    def _post_request(self, kind, suffix, doc, method, csrf, form, files):
        owner, doc_id, token = doc
        base_path = {
            "recall": "/my/recall",
            "incident": "/my/qms/property/incident",
            "ticket": "/my/ticket",
        }[kind]
        data = dict(form)
        if token is not None:
            data["access_token"] = token
        if csrf is not None:
            data["csrf_token"] = csrf
        legit = owner == "a" and token == self.docs[kind]["a"].access_token
        extra = {
            "legit_a": legit,
            "files": [("proof", (name or "f", content)) for name, content in files],
        }
        return (method, f"{base_path}/{doc_id}{suffix}", None, data, extra)

    def _doc_request(self, kind, doc, token_in_path, params, method="GET"):
        if kind not in ("recall", "property", "incident"):
            return super()._doc_request(kind, doc, token_in_path, params, method)
        owner, doc_id, token = doc
        base_path = {
            "recall": "/my/recall",
            "property": "/my/qms/property",
            "incident": "/my/qms/property/incident",
        }[kind]
        params = dict(params)
        if token is not None:
            params["access_token"] = token
        legit = owner == "a" and token == self.docs[kind]["a"].access_token
        return (method, f"{base_path}/{doc_id}", params, None, {"legit_a": legit})

    def _survey_page(self, kind, survey_token, answer_token, params):
        params = dict(params)
        if kind == "start":
            if answer_token is not None:
                params["answer_token"] = answer_token
            path = f"/survey/start/{survey_token}"
        else:
            path = f"/survey/{survey_token}/{answer_token or 'x'}"
        legit = answer_token == self.answer_a.access_token
        return ("GET", path, params, None, {"legit_a": legit})

    def _survey_submit(self, survey_token, answer_token, params, method):
        legit = answer_token == self.answer_a.access_token
        return (
            method,
            f"/survey/submit/{survey_token}/{answer_token}",
            None,
            None,
            {"legit_a": legit, "json": params},
        )

    # ------------------------------------------------------------------
    def _send(self, request):
        method, path, params, data, *rest = request
        extra = rest[0] if rest else {}
        if "json" in extra:
            self.requests_made += 1
            body = {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": extra["json"],
            }
            return self.url_open(
                path,
                data=json.dumps(body),
                headers={"Content-Type": "application/json"},
                method=method,
                allow_redirects=False,
                timeout=60,
            )
        return super()._send(request)

    def _check(self, request, response, viewer):
        result = super()._check(request, response, viewer)
        extra = request[4] if len(request) > 4 and request[4] else {}
        if "json" in extra and response.status_code == 200 and response.content:
            try:
                body = response.json()
            except ValueError:
                body = {}
            error = body.get("error") if isinstance(body, dict) else None
            if error:
                name = (error.get("data") or {}).get("name")
                self.assertIn(
                    name,
                    CLEAN_JSON_ERRORS,
                    f"JSON server error on {request[1]}: "
                    f"{(error.get('data') or {}).get('debug', '')[-3000:]}",
                )
        location = response.headers.get("Location", "")
        if (
            request[0] == "POST"
            and response.status_code in (302, 303)
            and re.match(
                r"^/my/(recall|qms/property/incident|ticket)/", urlsplit(location).path
            )
        ):
            # the stored answer is shown escaped on the page we are sent to
            self.requests_made += 1
            page = self.url_open(location, allow_redirects=False)
            self.assertLess(page.status_code, 500, location)
            for payload in XSS_PAYLOADS:
                self.assertNotIn(payload, page.text, f"unescaped on {location}")
        return result

    def _fuzz(self, viewer):
        start = time.time()
        self.viewer = viewer
        self.csrf = http.Request.csrf_token(self)
        explicit = self._explicit_examples()
        counts = {}
        for family, strategy in self._families().items():
            before = self.requests_made

            def run(request):
                response = self._send(request)
                self._check(request, response, viewer)

            for request in explicit.get(family, ()):
                run = base.example(request)(run)
            run = settings(base.settings_fuzz, max_examples=ROUTE_EXAMPLES)(
                base.seed(base.SEED)(given(strategy)(run))
            )
            with self.subTest(family=family), mute_logger(*MUTED):
                run()
            counts[family] = self.requests_made - before
        self.assertEqual(self._snapshot_b(), self.snapshot_b)
        message = (
            f"portal fuzz (recall, property, complaint answers, surveys) as {viewer}: "
            f"{self.requests_made} requests in {time.time() - start:.1f} s: {counts}, "
            f"QMS_FUZZ_SEED={base.SEED}"
        )
        print(message)
        _logger.info(message)
        self.assertTrue(all(count >= ROUTE_EXAMPLES for count in counts.values()))
