# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 (the odoo-bin shell script below)
"""A realistic load on a real Odoo server: portal customers and staff.

Used by ``tests/bench/bench_load.py`` (50 customers and 10 staff for 5
minutes, ``make bench``) and by ``tests/test_faults.py`` (a few clients for
tens of seconds while processes are killed).

``SETUP`` (run in ``odoo-bin shell`` on the copy the server will serve)
creates, in batches: customers (a company and its portal user each) with two
confirmed orders, requirements awaiting their confirmation, recall notices
awaiting their acknowledgement and survey invitations (all with portal
tokens); staff users (quality, sales manager, helpdesk manager) and draft
orders for them to confirm through the requirement review gate: half of them
with an approved review (the gate lets them through), half with a
requirement never reviewed (the gate refuses them: an expected answer).

``Load`` runs one thread per user. A customer logs in through ``/web/login``
and loops, with a think time, over: a complaint through the helpdesk portal
form (feedback kind, one of their orders, an attachment; the CSRF token of
the form page it loaded), the confirmation of a requirement, a survey
(start page, ``/survey/begin``, ``/survey/submit``), the acknowledgement of a
recall notice, and now and then the list of their orders (stock Odoo's
``/my/orders``, a reference). A staff member logs in through
``/web/session/authenticate`` and confirms orders (``action_confirm``) and
closes the complaints the customers created (root cause, resolution, closed
stage) through JSON-RPC. Every order and every complaint is handed to two
staff members at once: one of them wins, the other gets a clear refusal (an
order already confirmed) or changes nothing (a complaint already closed),
and the database must show one decision.

Every request is logged client-side (route, start, duration, outcome);
``verify`` then compares the database with that log: every complaint
answered with success present exactly once with its kind, order,
attachment and receipt mail; nothing present that was not submitted; no
duplicate; every other answered write present once.
"""

import collections
import contextlib
import json
import random
import re
import statistics
import threading
import time

import psycopg2
import requests
from qms_server import csrf_of, new_session

SETUP = """
import json
from datetime import timedelta
from odoo import Command, fields
from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED

C, S, N, G, R = %(customers)d, %(staff)d, %(items)d, %(orders)d, %(reviews)d
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
                       mail_notrack=True, no_reset_password=True))
env.company.write({
    "helpdesk_mgmt_portal_select_team": False,
    "helpdesk_mgmt_portal_team_id_required": False,
    "helpdesk_mgmt_portal_select_category": False,
    "helpdesk_mgmt_portal_category_id_required": False,
})
env["ir.config_parameter"].set_param("qms_crm.gate_mode", "block")
now = fields.Datetime.now()
product = env["product.product"].create({"name": "Load valve", "type": "consu", "list_price": 10.0})
companies = env["res.partner"].create([{"name": f"Load customer {i}", "is_company": True,
    "email": f"load.customer{i}@example.com"} for i in range(C)])
users = env["res.users"].create([{"name": f"Load buyer {i}", "login": f"qms_load_c{i}",
    "password": f"qms_load_c{i}", "email": f"load.buyer{i}@example.com",
    "group_ids": [Command.set([env.ref("base.group_portal").id])]} for i in range(C)])
for company, user in zip(companies, users):
    user.partner_id.parent_id = company
orders = env["sale.order"].create([{"partner_id": c.id, "order_line": [Command.create(
    {"product_id": product.id, "product_uom_qty": 5})]} for c in companies for _k in range(2)])
orders.action_confirm()
reqs = env["qms.requirement"].create([{"name": f"Load requirement {i}-{k}",
    "description": f"Agreed orally, item {k}.", "partner_id": c.id, "documented": False,
    "category": "stated", "source": "call"} for i, c in enumerate(companies) for k in range(N)])
reqs.with_context(qms_correction=QMS_TRUSTED).write({"confirmation_state": "pending",
    "confirmation_sent_date": now, "confirmation_deadline": now + timedelta(days=30)})
recalled = env["product.product"].create({"name": "Load recalled valve", "is_storable": True,
    "tracking": "lot"})
lots = env["stock.lot"].create([{"name": f"LOAD-LOT-{n}", "product_id": recalled.id}
    for n in range(C * N)])
campaign = env["qms.recall.campaign"].create({"title": "Load recall", "kind": "recall",
    "reason": "Load test.", "instructions": "Stop using the valve.",
    "product_ids": [Command.set(recalled.ids)], "lot_ids": [Command.set(lots.ids)]})
campaign.write({"state": "notifying"})
lines = env["qms.recall.line"].create([{"campaign_id": campaign.id, "partner_id": c.id,
    "contact_id": c.id, "product_id": recalled.id, "lot_id": lots[i * N + k].id,
    "quantity": 5.0, "state": "notified", "notified_date": now}
    for i, c in enumerate(companies) for k in range(N)])
survey = env["survey.survey"].create({"title": "Load satisfaction", "access_mode": "token",
    "questions_layout": "one_page", "qms_survey_kind": "relationship"})
questions = env["survey.question"].create([
    {"survey_id": survey.id, "sequence": 1, "title": "Recommend us?", "question_type": "scale",
     "scale_min": 0, "scale_max": 10, "qms_satisfaction_kind": "nps"},
    {"survey_id": survey.id, "sequence": 2, "title": "Why?", "question_type": "text_box"}])
inputs = env["survey.user_input"].create([{"survey_id": survey.id, "partner_id": u.partner_id.id,
    "email": u.email} for u in users for _k in range(N)])
env.flush_all()
# portal tokens in one statement per table (the ORM would write them one by one)
for table, recs in (("qms_requirement", reqs), ("qms_recall_line", lines)):
    env.cr.execute(f"UPDATE {table} SET access_token = gen_random_uuid()::text WHERE id IN %%s",
                   [tuple(recs.ids)])
env.invalidate_all()
staff_groups = [env.ref(x).id for x in ("qms_crm_evidence.group_qms_manager",
    "sales_team.group_sale_manager", "helpdesk_mgmt.group_helpdesk_manager")]
staff = env["res.users"].create([{"name": f"Load agent {j}", "login": f"qms_load_s{j}",
    "password": f"qms_load_s{j}", "email": f"load.agent{j}@example.com",
    "group_ids": [Command.set(staff_groups)]} for j in range(S)])
# orders for the gate: each with a requirement given in documented form;
# the even ones reviewed and approved, the odd ones never reviewed
gate_orders = env["sale.order"].create([{"partner_id": companies[k %% C].id, "user_id": staff[k %% S].id,
    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]}
    for k in range(G)])
gate_reqs = env["qms.requirement"].create([{"name": f"Load gate requirement {o.id}",
    "description": "Delivered in crates.", "partner_id": o.partner_id.id, "order_id": o.id,
    "documented": True, "category": "stated", "source": "email"} for o in gate_orders])
passing = gate_orders.filtered(lambda o: o.id %% 2 == 0)
reviews = env["qms.requirement.review"].create([{"order_id": o.id} for o in passing])
reviews.action_prefill()
reviews.line_ids.write({"can_meet": "yes"})
reviews.action_approve()
root_cause = env["qms.complaint.root.cause"].search([], limit=1) or env["qms.complaint.root.cause"].create({"name": "Load root cause"})
closed = env["helpdesk.ticket.stage"].search([("closed", "=", True)], order="sequence", limit=1)
reviews = env["qms.management.review"].create([{"name": f"Load review {k}"} for k in range(R)])
env.cr.commit()
orders_of = {}
for o in orders:
    orders_of.setdefault(o.partner_id.id, []).append(o.id)
by_partner = lambda recs, field: {p: [[r.id, r.access_token] + ([r.text_hash] if field == "req" else [])
    for r in recs if r.partner_id.id == p] for p in companies.ids}
req_of, line_of = by_partner(reqs, "req"), by_partner(lines, "line")
inputs_of = {}
for ui in inputs:
    inputs_of.setdefault(ui.partner_id.id, []).append([ui.id, ui.access_token])
print("QMSJSON " + json.dumps({
    "customers": [{"login": u.login, "partner": u.partner_id.id, "company": c.id,
        "orders": orders_of[c.id], "requirements": req_of[c.id], "lines": line_of[c.id],
        "surveys": inputs_of[u.partner_id.id]} for c, u in zip(companies, users)],
    "staff": staff.mapped("login"),
    "gate_orders": [[o.id, o.id %% 2 == 0] for o in gate_orders],
    "survey": [survey.id, survey.access_token, questions.ids],
    "root_cause": root_cause.id, "closed_stage": closed.id, "campaign": campaign.id,
    "reviews": reviews.ids,
}))
"""

# what a JSON-RPC refusal is about (expected answers of the business rules)
EXPECTED_RPC = (
    ("gate", r"cannot be confirmed"),
    ("already confirmed", r"not in a state requiring confirmation"),
    ("already prepared", r"is already prepared"),
    ("concurrent change", r"is being changed by someone else"),
)


def percentile(values, pct):
    if not values:
        return 0.0
    values = sorted(values)
    rank = min(len(values) - 1, max(0, round(pct / 100 * len(values) + 0.5) - 1))
    return values[rank]


class Load:
    """The users of one run against the server at ``url`` (see the module
    docstring); ``data`` is what ``SETUP`` printed."""

    def __init__(self, url, db, data, think=2.0, timeout=60, seed=None):
        self.url = url
        self.db = db
        self.data = data
        self.think = think
        self.timeout = timeout
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        # every request: (route, start, seconds, outcome)
        self.requests = []
        # what was submitted, by kind: {key: outcome}; keys are what the
        # database is checked against
        self.complaints = {}  # subject -> [outcome, ticket id, order id, file name]
        self.closed = collections.defaultdict(list)  # ticket id -> outcomes
        self.confirmed = {}  # requirement id -> outcome
        self.acked = {}  # recall line id -> outcome
        self.surveyed = {}  # user input id -> outcome
        self.gate = collections.defaultdict(list)  # order id -> outcomes
        self.prepared = collections.defaultdict(list)  # review id -> outcomes
        self.close_queue = collections.deque()
        self.gate_queue = collections.deque()
        for order_id, _passing in data["gate_orders"]:
            # each order handed to two staff members (one wins)
            self.gate_queue.extend([order_id, order_id])
        self.review_queue = collections.deque()
        for review_id in data.get("reviews", []):
            self.review_queue.extend([review_id, review_id])
        self.stop = threading.Event()
        self.local = threading.local()
        self._index = {}
        self.started = None
        self.hung = 0
        self.client_errors = []

    # -- recording -------------------------------------------------------
    def _record(self, route, start, outcome, answer=None):
        with self.lock:
            self.requests.append(
                (
                    route,
                    start,
                    time.time() - start,
                    outcome,
                    getattr(self.local, "who", None),
                )
            )
            if answer is not None:
                self._index[id(answer)] = len(self.requests) - 1
        return outcome

    def _relabel(self, answer, outcome):
        """The outcome of the request that got ``answer``: a success of HTTP
        that is a refusal of the application."""
        with self.lock:
            index = self._index.pop(id(answer), None)
            if index is not None:
                route, start, seconds, _o, who = self.requests[index]
                self.requests[index] = (route, start, seconds, outcome, who)

    def _http(self, session, method, route, path, **kw):
        """One request: (outcome, response or None). The outcome is "ok"
        (2xx/3xx), "http <code>" or the exception's class name."""
        start = time.time()
        try:
            response = session.request(
                method, f"{self.url}{path}", timeout=self.timeout, **kw
            )
        except requests.RequestException as exc:
            return self._record(route, start, type(exc).__name__), None
        code = response.status_code
        outcome = "ok" if code < 400 else f"http {code}"
        if (
            code in (301, 302, 303)
            and "/web/login" in response.headers.get("Location", "")
            and route != "login"
        ):
            # Odoo ends the sessions it served while the database was
            # unusable: the user logs in again
            outcome = "session expired"
            self.local.expired = True
        return self._record(route, start, outcome, response), response

    def _rpc(self, session, route, path, params):
        """A JSON-RPC call: (outcome, result). Outcomes: "ok", a named
        expected refusal ("rpc gate", ...), "rpc error: <text>" or those
        of _http."""
        start = time.time()
        try:
            response = session.post(
                f"{self.url}{path}",
                json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            return self._record(route, start, type(exc).__name__), None
        if response.status_code != 200:
            return self._record(route, start, f"http {response.status_code}"), None
        try:
            body = response.json()
        except ValueError:
            return self._record(route, start, "rpc error: not JSON"), None
        if "error" in body:
            data = body["error"].get("data") or {}
            if "SessionExpired" in str(data.get("name")):
                self.local.expired = True
                return self._record(route, start, "session expired"), None
            message = str(data.get("message") or body["error"])
            for name, pattern in EXPECTED_RPC:
                if re.search(pattern, message):
                    return self._record(route, start, f"rpc {name}"), None
            return self._record(route, start, f"rpc error: {message[:120]}"), None
        result = body.get("result")
        return self._record(route, start, "ok", result), result

    # -- sessions --------------------------------------------------------
    def login_customer(self, customer):
        session = new_session()
        _outcome, page = self._http(session, "GET", "login page", "/web/login")
        outcome, response = self._http(
            session,
            "POST",
            "login",
            "/web/login",
            data={
                "login": customer["login"],
                "password": customer["login"],
                "csrf_token": csrf_of(page.text) if page is not None else "",
            },
            allow_redirects=False,
        )
        if outcome != "ok" or response.status_code not in (302, 303):
            raise RuntimeError(f"login of {customer['login']}: {outcome}")
        return session

    def login_staff(self, login):
        session = new_session()
        outcome, _result = self._rpc(
            session,
            "login (JSON-RPC)",
            "/web/session/authenticate",
            {"db": self.db, "login": login, "password": login},
        )
        if outcome != "ok":
            raise RuntimeError(f"login of {login}: {outcome}")
        return session

    # -- customers -------------------------------------------------------
    def _complaint(self, session, customer, rng, step):
        outcome, page = self._http(session, "GET", "complaint form", "/new/ticket")
        if outcome != "ok":
            return
        csrf = csrf_of(page.text)
        order_id = rng.choice(customer["orders"])
        subject = f"Load complaint {customer['login']}-{step}"
        filename = f"photo-{customer['login']}-{step}.txt"
        record = [None, None, order_id, filename]
        with self.lock:
            self.complaints[subject] = record
        outcome, response = self._http(
            session,
            "POST",
            "complaint submit",
            "/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": subject,
                "description": f"Scratched panels on <b>{order_id}</b> & more",
                "qms_feedback_kind": "complaint",
                "sale_order_id": str(order_id),
            },
            files={
                "attachment": (filename, f"scratches {step}".encode(), "text/plain")
            },
            allow_redirects=False,
        )
        match = response is not None and re.search(
            r"/my/ticket/(\d+)", response.headers.get("Location", "")
        )
        if outcome == "ok" and not match:
            outcome = f"no ticket: http {response.status_code}"
            self._relabel(response, outcome)
        record[0] = outcome
        if match:
            record[1] = int(match.group(1))
            with self.lock:
                # each complaint handed to two staff members (one decides)
                self.close_queue.extend([record[1], record[1]])

    def _token_answer(self, session, kind, log, path, action, data, marker):
        outcome, page = self._http(
            session,
            "GET",
            f"{kind} page",
            f"{path}?access_token={data['access_token']}",
        )
        if outcome != "ok":
            return None
        outcome, response = self._http(
            session,
            "POST",
            f"{kind} submit",
            f"{path}/{action}",
            data={"csrf_token": csrf_of(page.text), **data},
            allow_redirects=False,
        )
        if outcome == "ok" and marker not in response.headers.get("Location", ""):
            outcome = f"refused: http {response.status_code}"
            self._relabel(response, outcome)
        return outcome

    def _confirm(self, session, customer):
        if not customer["requirements"]:
            return
        req_id, token, text_hash = customer["requirements"].pop()
        self.confirmed[req_id] = None
        self.confirmed[req_id] = self._token_answer(
            session,
            "requirement",
            self.confirmed,
            f"/my/qms/requirements/{req_id}",
            "answer",
            {"access_token": token, "decision": "confirmed", "text_hash": text_hash},
            "confirmed",
        )

    def _ack(self, session, customer):
        if not customer["lines"]:
            return
        line_id, token = customer["lines"].pop()
        self.acked[line_id] = None
        self.acked[line_id] = self._token_answer(
            session,
            "recall",
            self.acked,
            f"/my/recall/{line_id}",
            "ack",
            {"access_token": token, "qty_on_hand": "0", "note": "None left <b>x</b>"},
            "acknowledged",
        )

    def _survey(self, session, customer, rng):
        if not customer["surveys"]:
            return
        input_id, answer_token = customer["surveys"].pop()
        _survey_id, survey_token, (nps, why) = self.data["survey"]
        self.surveyed[input_id] = None
        outcome, _page = self._http(
            session,
            "GET",
            "survey page",
            f"/survey/start/{survey_token}?answer_token={answer_token}",
        )
        if outcome != "ok":
            return
        outcome, _result = self._rpc(
            session, "survey begin", f"/survey/begin/{survey_token}/{answer_token}", {}
        )
        if outcome != "ok":
            return
        outcome, result = self._rpc(
            session,
            "survey submit",
            f"/survey/submit/{survey_token}/{answer_token}",
            {str(nps): str(rng.randint(0, 10)), str(why): "Fast delivery."},
        )
        # survey answers (correct answers, next page) or ({}, {"error": ...})
        refusal = (
            result[1].get("error")
            if isinstance(result, list)
            and len(result) > 1
            and isinstance(result[1], dict)
            else None
        )
        if outcome == "ok" and (refusal or not isinstance(result, list)):
            outcome = f"survey refused: {refusal or str(result)[:60]}"
            self._relabel(result, outcome)
        self.surveyed[input_id] = outcome

    def _relogin(self, login):
        """A new session for a user whose session Odoo ended: None while the
        login fails (the failed requests are logged)."""
        try:
            session = login()
        except RuntimeError:
            return None
        self.local.expired = False
        return session

    def customer(self, customer, session, deadline, seed):
        rng = random.Random(seed)
        self.local.who = customer["login"]
        self.local.expired = False
        step = 0
        actions = ("complaint", "confirm", "survey", "ack")
        while time.time() < deadline and not self.stop.is_set():
            time.sleep(min(rng.expovariate(1 / self.think), 5 * self.think))
            if time.time() >= deadline or self.stop.is_set():
                break
            if self.local.expired:
                session = (
                    self._relogin(lambda: self.login_customer(customer)) or session
                )
                continue
            step += 1
            action = actions[(step + seed) % len(actions)]
            try:
                if action == "complaint":
                    self._complaint(session, customer, rng, step)
                elif action == "confirm":
                    self._confirm(session, customer)
                elif action == "survey":
                    self._survey(session, customer, rng)
                else:
                    self._ack(session, customer)
                if step % 8 == 0:
                    self._http(session, "GET", "my orders (stock)", "/my/orders")
            except Exception as exc:  # noqa: BLE001 - reported, fails the run
                with self.lock:
                    self.client_errors.append(f"{action}: {exc!r}"[:300])

    # -- staff -----------------------------------------------------------
    def _call(self, session, route, model, method, args, kwargs=None):
        return self._rpc(
            session,
            route,
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def staff(self, login, session, deadline, seed):
        rng = random.Random(seed)
        self.local.who = login
        self.local.expired = False
        while time.time() < deadline and not self.stop.is_set():
            time.sleep(min(rng.expovariate(1 / self.think), 5 * self.think))
            if time.time() >= deadline or self.stop.is_set():
                break
            if self.local.expired:
                session = self._relogin(lambda: self.login_staff(login)) or session
                continue
            try:
                review = None
                with self.lock:
                    if self.review_queue and rng.random() < 0.2:
                        review = self.review_queue.popleft()
                if review is not None:
                    outcome, _r = self._call(
                        session,
                        "review prepare",
                        "qms.management.review",
                        "action_prepare",
                        [[review]],
                    )
                    self.prepared[review].append(outcome)
                    continue
                with self.lock:
                    ticket = self.close_queue.popleft() if self.close_queue else None
                    order = (
                        self.gate_queue.popleft()
                        if self.gate_queue and (ticket is None or rng.random() < 0.5)
                        else None
                    )
                    if order is not None and ticket is not None:
                        self.close_queue.appendleft(ticket)
                        ticket = None
                if order is not None:
                    outcome, _r = self._call(
                        session,
                        "order confirm (gate)",
                        "sale.order",
                        "action_confirm",
                        [[order]],
                    )
                    self.gate[order].append(outcome)
                elif ticket is not None:
                    outcome, _r = self._call(
                        session,
                        "complaint close",
                        "helpdesk.ticket",
                        "write",
                        [
                            [ticket],
                            {
                                "qms_root_cause_id": self.data["root_cause"],
                                "qms_resolution": "Panels replaced.",
                                "stage_id": self.data["closed_stage"],
                            },
                        ],
                    )
                    self.closed[ticket].append(outcome)
                else:
                    self._call(
                        session,
                        "complaint list",
                        "helpdesk.ticket",
                        "search_read",
                        [[["qms_is_complaint", "=", True]]],
                        {"fields": ["number", "stage_id"], "limit": 40},
                    )
            except Exception as exc:  # noqa: BLE001 - reported, fails the run
                with self.lock:
                    self.client_errors.append(f"staff: {exc!r}"[:300])

    # -- the run ---------------------------------------------------------
    def warm_up(self, customer, session, rounds=4):
        """Every page once per worker (asset bundles, caches), not measured,
        nothing written."""
        _s, survey_token, _q = self.data["survey"]
        req_id, req_token, _h = customer["requirements"][0]
        line_id, line_token = customer["lines"][0]
        _input, answer_token = customer["surveys"][0]
        for _round in range(rounds):
            for path in (
                "/new/ticket",
                f"/my/qms/requirements/{req_id}?access_token={req_token}",
                f"/my/recall/{line_id}?access_token={line_token}",
                f"/survey/start/{survey_token}?answer_token={answer_token}",
                "/my/orders",
                "/my/tickets",
            ):
                self._http(session, "GET", "warm-up", path)

    def run(self, seconds, customers=None, staff=None, login_threads=4):
        """Log every user in (before the clock starts: password hashing is
        slow by design), then run them all for ``seconds``; returns the
        elapsed seconds."""
        import concurrent.futures  # noqa: PLC0415

        customers = self.data["customers"][:customers]
        staff_logins = self.data["staff"][:staff]
        with concurrent.futures.ThreadPoolExecutor(login_threads) as pool:
            c_sessions = list(pool.map(self.login_customer, customers))
            s_sessions = list(pool.map(self.login_staff, staff_logins))
        self.warm_up(customers[0], c_sessions[0])
        with self.lock:
            self.requests.clear()
            self._index.clear()
        start = self.started = time.time()
        deadline = start + seconds
        threads = [
            threading.Thread(
                target=self.customer, args=(c, s, deadline, i), daemon=True
            )
            for i, (c, s) in enumerate(zip(customers, c_sessions, strict=True))
        ] + [
            threading.Thread(
                target=self.staff, args=(login, s, deadline, 1000 + j), daemon=True
            )
            for j, (login, s) in enumerate(zip(staff_logins, s_sessions, strict=True))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 3 * self.timeout + 60)
        self.hung = sum(thread.is_alive() for thread in threads)
        return time.time() - start

    # -- figures ---------------------------------------------------------
    def figures(self, elapsed, since=None, until=None):
        """Per route: count, p50/p95/p99 seconds; outcomes by class."""
        rows = [
            r
            for r in self.requests
            if (since is None or r[1] >= since) and (until is None or r[1] < until)
        ]
        by_route = collections.defaultdict(list)
        outcomes = collections.Counter()
        for route, _start, seconds, outcome, _who in rows:
            by_route[route].append(seconds)
            if outcome != "ok":
                outcomes[f"{route}: {outcome}"] += 1
        routes = {
            route: {
                "n": len(values),
                "p50": percentile(values, 50),
                "p95": percentile(values, 95),
                "p99": percentile(values, 99),
            }
            for route, values in sorted(by_route.items())
        }
        every = [row[2] for row in rows]
        return {
            "requests": len(rows),
            "rps": len(rows) / elapsed if elapsed else 0.0,
            "p50": percentile(every, 50),
            "p95": percentile(every, 95),
            "p99": percentile(every, 99),
            "routes": routes,
            "outcomes": outcomes,
            "http_5xx": sum(1 for r in rows if r[3].startswith("http 5")),
        }

    @staticmethod
    def figure_lines(figures):
        lines = [
            f"{figures['requests']} requests, {figures['rps']:.1f} req/s; all routes "
            f"p50 {figures['p50']:.3f} s, p95 {figures['p95']:.3f} s, "
            f"p99 {figures['p99']:.3f} s"
        ]
        for route, row in figures["routes"].items():
            lines.append(
                f"  {route:<24} n={row['n']:<6} p50={row['p50']:.3f} "
                f"p95={row['p95']:.3f} p99={row['p99']:.3f}"
            )
        if figures["outcomes"]:
            lines.append("answers other than success, by route and class:")
            lines += [
                f"  {n:>5}  {what}" for what, n in figures["outcomes"].most_common()
            ]
        else:
            lines.append("answers other than success: none")
        return lines


# ----------------------------------------------------------------------
# The database against the client-side log
# ----------------------------------------------------------------------
def wait_for_receipts(connect, timeout=180):
    """Wait until the receipt cron has mailed every complaint receipt
    (``qms_receipt_pending`` cleared); returns the number still pending."""
    deadline = time.time() + timeout
    pending = None
    while time.time() < deadline:
        with contextlib.suppress(psycopg2.Error):
            with contextlib.closing(connect()) as conn, conn.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM helpdesk_ticket WHERE qms_receipt_pending "
                    "AND name LIKE 'Load complaint %'"
                )
                pending = cr.fetchone()[0]
            if pending == 0:
                return 0
        time.sleep(1)
    return pending


def _verify_complaints(load, rows, strict, checked, problems):
    # -- complaints ----------------------------------------------------
    tickets = {}
    for name, count, ids in rows(
        "SELECT name, count(*), array_agg(id) FROM helpdesk_ticket "
        "WHERE name LIKE 'Load complaint %%' GROUP BY name"
    ):
        tickets[name] = (count, ids)
    dup = [name for name, (count, _i) in tickets.items() if count > 1]
    unknown = sorted(set(tickets) - set(load.complaints))
    lost = [
        s
        for s, (outcome, ticket, _o, _f) in load.complaints.items()
        if outcome == "ok" and (s not in tickets or tickets[s][1][0] != ticket)
    ]
    ghost = [
        s
        for s, (outcome, _t, _o, _f) in load.complaints.items()
        if outcome != "ok" and s in tickets
    ]
    ok = sum(1 for r in load.complaints.values() if r[0] == "ok")
    checked.append(
        f"complaints: {ok} answered with their ticket, {len(tickets)} in the "
        f"database ({len(ghost)} written though the answer was lost or an error)"
    )
    if dup:
        problems.append(f"complaints duplicated: {dup[:5]}")
    if unknown:
        problems.append(f"complaints nobody submitted: {unknown[:5]}")
    if lost:
        problems.append(f"complaints answered with success but missing: {lost[:5]}")
    if ghost and strict:
        problems.append(f"complaints written though refused: {ghost[:5]}")
    ids = [ids[0] for _c, ids in tickets.values()]
    if ids:
        details = rows(
            """
            SELECT t.id, t.name, t.qms_feedback_kind, t.qms_sale_order_id,
                   t.qms_receipt_pending,
                   (SELECT array_agg(a.name) FROM ir_attachment a
                     WHERE a.res_model = 'helpdesk.ticket' AND a.res_id = t.id),
                   (SELECT count(*) FROM mail_message m
                     WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                       AND m.subject LIKE 'We received your complaint%%'),
                   (SELECT count(*) FROM mail_message m
                      JOIN mail_notification n ON n.mail_message_id = m.id
                     WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                       AND m.subject LIKE 'We received your complaint%%'
                       AND n.notification_type = 'email')
              FROM helpdesk_ticket t WHERE t.id IN %s
            """,
            tuple(ids),
        )
        partial = []
        for tid, name, kind, order, pending, files, receipts, mails in details:
            _o, _t, order_sent, filename = load.complaints.get(
                name, (None, None, None, None)
            )
            wrong = []
            if kind != "complaint":
                wrong.append(f"kind {kind}")
            if order != order_sent:
                wrong.append(f"order {order} (sent {order_sent})")
            if (files or []) != [filename]:
                wrong.append(f"attachments {files}")
            if pending or receipts != 1 or mails < 1:
                wrong.append(
                    f"receipt pending={pending} messages={receipts} mails={mails}"
                )
            if wrong:
                partial.append(f"{tid} {', '.join(wrong)}")
        checked.append(
            f"complaints: {len(details)} with feedback kind, order, one "
            "attachment, one receipt message mailed to the customer"
        )
        if partial:
            problems.append(f"complaints incomplete: {partial[:5]}")


def _verify_closes(load, rows, strict, checked, problems):
    # -- complaints closed by staff ------------------------------------
    closed_ok = [t for t, outs in load.closed.items() if "ok" in outs]
    if load.closed:
        resolved = dict(
            rows(
                """
                SELECT t.id, (SELECT count(*) FROM mail_message m
                   WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                     AND m.subject LIKE 'Is your complaint %%resolved?')
                  FROM helpdesk_ticket t
                  JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                 WHERE t.id IN %s AND s.closed AND t.qms_resolved_date IS NOT NULL
                """,
                tuple(load.closed),
            )
        )
        not_closed = [t for t in closed_ok if t not in resolved]
        twice = [t for t, n in resolved.items() if n > 1]
        unmailed = [t for t, n in resolved.items() if n < 1]
        if unmailed:
            problems.append(
                f"complaints closed without resolution mail: {unmailed[:5]}"
            )
        checked.append(
            f"complaint closes: {len(load.closed)} complaints each sent to two "
            f"agents, {len(closed_ok)} closed (stage closed, resolution stamped), "
            f"{len(twice)} with two resolution mails"
        )
        if not_closed:
            states = rows(
                "SELECT t.id, s.name->>'en_US', s.closed, t.qms_resolved_date "
                "FROM helpdesk_ticket t JOIN helpdesk_ticket_stage s "
                "ON s.id = t.stage_id WHERE t.id IN %s",
                tuple(not_closed),
            )
            problems.append(f"closes answered ok but not closed: {states[:5]}")
        if twice:
            problems.append(f"complaints closed twice (two mails): {twice[:5]}")


def _verify_confirmations(load, rows, strict, checked, problems):
    # -- requirement confirmations -------------------------------------
    if load.confirmed:
        state = {
            rid: (st, n)
            for rid, st, n in rows(
                "SELECT r.id, r.confirmation_state, (SELECT count(*) FROM "
                "qms_requirement_confirmation c WHERE c.requirement_id = r.id) "
                "FROM qms_requirement r WHERE r.id IN %s",
                tuple(load.confirmed),
            )
        }
        bad = []
        for rid, outcome in load.confirmed.items():
            st, n = state[rid]
            if n > 1 or (st == "confirmed") != (n == 1):
                bad.append(f"{rid}: {st}, {n} confirmation rows")
            elif outcome == "ok" and st != "confirmed":
                bad.append(f"{rid}: answered ok, {st}")
            elif outcome != "ok" and st == "confirmed" and strict:
                bad.append(f"{rid}: refused ({outcome}) but confirmed")
        checked.append(
            f"requirement confirmations: {len(load.confirmed)} sent, each "
            "confirmed with exactly one confirmation record or untouched"
        )
        if bad:
            problems.append(f"requirement confirmations wrong: {bad[:5]}")


def _verify_acks(load, rows, strict, checked, problems):
    # -- recall acknowledgements ---------------------------------------
    if load.acked:
        state = dict(
            rows(
                "SELECT id, state = 'acknowledged' AND ack_date IS NOT NULL "
                "FROM qms_recall_line WHERE id IN %s",
                tuple(load.acked),
            )
        )
        bad = [
            lid
            for lid, outcome in load.acked.items()
            if (outcome == "ok" and not state[lid])
            or (strict and outcome != "ok" and state[lid])
        ]
        checked.append(
            f"recall acknowledgements: {len(load.acked)} sent, "
            f"{sum(state.values())} acknowledged with their date"
        )
        if bad:
            problems.append(f"recall acknowledgements wrong: {bad[:5]}")


def _verify_surveys(load, rows, strict, checked, problems):
    # -- surveys -------------------------------------------------------
    if load.surveyed:
        state = {
            uid: (st, n, d)
            for uid, st, n, d in rows(
                "SELECT u.id, u.state, count(l.id), count(DISTINCT l.question_id) "
                "FROM survey_user_input u LEFT JOIN survey_user_input_line l "
                "ON l.user_input_id = u.id WHERE u.id IN %s GROUP BY u.id",
                tuple(load.surveyed),
            )
        }
        bad = []
        for uid, outcome in load.surveyed.items():
            st, n, distinct = state[uid]
            if n != distinct or (st == "done" and n != 2):
                bad.append(f"{uid}: {st}, {n} lines for {distinct} questions")
            elif outcome == "ok" and st != "done":
                bad.append(f"{uid}: answered ok, {st}")
        checked.append(
            f"surveys: {len(load.surveyed)} started, "
            f"{sum(1 for s in state.values() if s[0] == 'done')} done with "
            "one line per question, none twice"
        )
        if bad:
            problems.append(f"surveys wrong: {bad[:5]}")


def _verify_gate(load, rows, strict, checked, problems):
    # -- orders through the gate ---------------------------------------
    if load.gate:
        passing = {o: p for o, p in load.data["gate_orders"]}
        state = dict(
            rows("SELECT id, state FROM sale_order WHERE id IN %s", tuple(load.gate))
        )
        bad = []
        for order, outcomes in load.gate.items():
            wins = outcomes.count("ok")
            if wins > 1:
                bad.append(f"{order}: confirmed {wins} times")
            if not passing[order] and (state[order] != "draft" or wins):
                bad.append(f"{order}: passed the gate without a review")
            if passing[order] and wins and state[order] != "sale":
                bad.append(f"{order}: answered ok, {state[order]}")
            # a second answer lost in transit is a client error (counted by
            # the caller), not a wrong record; a refusal must be the right one
            refusals = {
                o for o in outcomes if o.startswith("rpc ") and "rpc error" not in o
            }
            losers = {"rpc already confirmed", "rpc concurrent change"}
            if strict and passing[order] and not refusals <= losers:
                bad.append(f"{order}: {outcomes}")
            if strict and not passing[order] and not refusals <= {"rpc gate"}:
                bad.append(f"{order}: {outcomes}")
        checked.append(
            f"order confirmations through the gate: {len(load.gate)} orders, "
            "each sent by two agents: reviewed ones confirmed once (the other "
            "agent told it is confirmed), unreviewed ones refused and draft"
        )
        if bad:
            problems.append(f"gate: {bad[:5]}")


def _verify_reviews(load, rows, strict, checked, problems):
    # -- management reviews prepared (figures frozen) --------------------
    if load.prepared:
        state = {
            rid: (st, date, n)
            for rid, st, date, n in rows(
                "SELECT r.id, r.state, r.prepared_date, count(f.id) FROM "
                "qms_management_review r LEFT JOIN qms_management_review_figure f "
                "ON f.review_id = r.id WHERE r.id IN %s GROUP BY r.id",
                tuple(load.prepared),
            )
        }
        sizes = {n for st, _d, n in state.values() if st == "prepared"}
        bad = []
        for rid, outcomes in load.prepared.items():
            st, date, n = state[rid]
            if st == "draft" and n:
                bad.append(f"{rid}: draft with {n} frozen figures")
            if st == "prepared" and (not date or not n):
                bad.append(f"{rid}: prepared with {n} figures, date {date}")
            if outcomes.count("ok") > 1:
                bad.append(f"{rid}: prepared twice")
            if "ok" in outcomes and st != "prepared":
                bad.append(f"{rid}: answered ok, {st}")
        checked.append(
            f"management reviews: {len(load.prepared)} prepared by two agents at "
            f"once, {sum(1 for s in state.values() if s[0] == 'prepared')} "
            f"frozen whole ({sorted(sizes)} figures each), none half frozen"
        )
        if bad:
            problems.append(f"reviews: {bad[:5]}")


def verify(load, connect, strict=True):
    """Compare the database with what the clients were answered. Returns
    (checked, problems): the list of what was checked (with counts) and the
    list of what is wrong. ``strict``: an answer other than success means
    nothing was written (a normal run); otherwise (faults) a write whose
    answer was lost may or may not be there, but whole, and once."""
    checked, problems = [], []
    with contextlib.closing(connect()) as conn, conn.cursor() as cr:

        def rows(query, *args):
            cr.execute(query, args or None)
            return cr.fetchall()

        for check in (
            _verify_complaints,
            _verify_closes,
            _verify_confirmations,
            _verify_acks,
            _verify_surveys,
            _verify_gate,
            _verify_reviews,
        ):
            check(load, rows, strict, checked, problems)
    return checked, problems


def report_json(load, figures):
    """The figures as one JSON line (for a CI log or a comparison)."""
    return json.dumps(
        {
            "requests": figures["requests"],
            "rps": round(figures["rps"], 2),
            "p95": round(figures["p95"], 3),
            "routes": {
                route: {k: round(v, 3) for k, v in row.items()}
                for route, row in figures["routes"].items()
            },
            "http_5xx": figures["http_5xx"],
        }
    )


def stats_mean(values):
    return statistics.fmean(values) if values else 0.0
