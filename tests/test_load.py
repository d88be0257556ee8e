# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrency: a real Odoo server with 2 workers under 20 clients.

On a copy of the test database, ``odoo-bin --workers=2`` serves 20 client
threads for ``QMS_LOAD_SECONDS`` (default 60) seconds. They submit complaints
through the helpdesk portal form (logged-in portal user, feedback kind
"complaint", the CSRF token of the form page loaded just before, as a
browser does), acknowledge recall notices and confirm requirements through
their tokenised portal links (as visitors), and create requirements through
JSON-RPC (``/web/session/authenticate`` then ``/web/dataset/call_kw``).
Every token is handed to two clients at once, so that "confirmed twice"
can happen: exactly one of them must succeed, the other gets the page again
with a refusal (400), and the database holds one confirmation.

Then, in SQL: every successful answer left exactly its record (no lost
writes), no two tickets or requirements share a number (sequences), and the
server log has no traceback. Odoo retries serialization failures itself
(``odoo.service.model.retrying``): a conflict only counts when it reaches a
client. Prints requests/s and error counts.

Clients close their connection after each request (a prefork worker serves
one connection at a time; in production a proxy sits in front) and log in
before the clock starts (password hashing is slow by design). A refused
CSRF token (400) is an error of the run, never retried. Prints requests/s
and p50/p95 seconds per kind; asserts a throughput and a latency floor.
"""

import collections
import concurrent.futures
import os
import queue
import re
import statistics
import threading
import time

import pytest
import requests
from qms_server import OdooServer, csrf_of, jsonrpc, login, new_session

# an Odoo server under load for QMS_LOAD_SECONDS: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(100)

SECONDS = float(os.environ.get("QMS_LOAD_SECONDS", "60"))
CLIENTS = int(os.environ.get("QMS_LOAD_CLIENTS", "20"))
# tokenised documents prepared for the clients (each is answered once)
ITEMS = int(os.environ.get("QMS_LOAD_ITEMS", "800"))

SETUP = """
import json
from datetime import timedelta
from odoo import Command, fields
from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED

N = %(items)d
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
                       mail_notrack=True, no_reset_password=True))
env.company.write({
    "helpdesk_mgmt_portal_select_team": False,
    "helpdesk_mgmt_portal_team_id_required": False,
    "helpdesk_mgmt_portal_select_category": False,
    "helpdesk_mgmt_portal_category_id_required": False,
})
customer = env["res.partner"].create(
    {"name": "Load Customer", "is_company": True, "email": "load@example.com"})
portal = env["res.users"].create({
    "name": "Load Portal", "login": "qms_load_portal", "password": "qms_load_portal",
    "email": "load.portal@example.com",
    "group_ids": [Command.set([env.ref("base.group_portal").id])],
})
portal.partner_id.parent_id = customer
env["res.users"].create({
    "name": "Load Quality", "login": "qms_load_user", "password": "qms_load_user",
    "email": "load.user@example.com",
    "group_ids": [Command.set([env.ref("qms_crm_evidence.group_qms_user").id,
                               env.ref("sales_team.group_sale_salesman_all_leads").id])],
})
now = fields.Datetime.now()
reqs = env["qms.requirement"].create([{
    "name": f"Load requirement {i}", "description": f"Agreed orally, item {i}.",
    "partner_id": customer.id, "documented": False, "category": "stated",
    "source": "call"} for i in range(N)])
reqs.with_context(qms_correction=QMS_TRUSTED).write({
    "confirmation_state": "pending", "confirmation_sent_date": now,
    "confirmation_deadline": now + timedelta(days=30)})
for r in reqs:
    r._portal_ensure_token()
product = env["product.product"].create(
    {"name": "Load valve", "is_storable": True, "tracking": "lot"})
lots = env["stock.lot"].create(
    [{"name": f"LOAD-LOT-{i}", "product_id": product.id} for i in range(N)])
campaign = env["qms.recall.campaign"].create({
    "title": "Load recall", "kind": "recall", "reason": "Load test.",
    "instructions": "Stop using the valve.",
    "product_ids": [Command.set(product.ids)], "lot_ids": [Command.set(lots.ids)]})
campaign.write({"state": "notifying"})
lines = env["qms.recall.line"].create([{
    "campaign_id": campaign.id, "partner_id": customer.id, "contact_id": customer.id,
    "product_id": product.id, "lot_id": lot.id, "quantity": 5.0,
    "state": "notified", "notified_date": now} for lot in lots])
for line in lines:
    line._portal_ensure_token()
env.cr.commit()
print("QMSJSON " + json.dumps({
    "customer": customer.id,
    "requirements": [[r.id, r.access_token, r.text_hash] for r in reqs],
    "lines": [[line.id, line.access_token] for line in lines],
}))
"""


class LoadRun:
    def __init__(self, url, data, env_db):
        self.url = url
        self.db = env_db
        # every token twice in a row: two clients answer it at once
        self.requirements = queue.SimpleQueue()
        for item in data["requirements"][: ITEMS // 2]:
            self.requirements.put(item)
            self.requirements.put(item)
        self.lines = queue.SimpleQueue()
        for item in data["lines"][: ITEMS // 2]:
            self.lines.put(item)
            self.lines.put(item)
        self.customer = data["customer"]
        self.lock = threading.Lock()
        self.ok = collections.Counter()
        self.errors = collections.Counter()
        self.samples = []
        self.done_ids = collections.defaultdict(set)
        self.seconds = collections.defaultdict(list)
        self.answers = collections.defaultdict(list)  # (kind, id) -> codes

    def _error(self, kind, what, body=""):
        with self.lock:
            self.errors[f"{kind}: {what}"] += 1
            if len(self.samples) < 10:
                found = re.findall(r'class="[^"]*alert[^"]*"[^>]*>(.*?)<', body, re.S)
                detail = " | ".join(x.strip() for x in found if x.strip())[:300]
                self.samples.append(f"{kind}: {what} {detail}")

    def _success(self, kind, record_id):
        with self.lock:
            self.ok[kind] += 1
            self.done_ids[kind].add(record_id)

    # -- one client ------------------------------------------------------
    def prepare(self, index):
        """Log the client's sessions in (before the clock starts: password
        hashing is slow by design)."""
        url = self.url
        portal = login(new_session(), url, "qms_load_portal", "qms_load_portal")
        rpc = new_session()
        jsonrpc(
            rpc,
            url,
            "/web/session/authenticate",
            {"db": self.db, "login": "qms_load_user", "password": "qms_load_user"},
        )
        return {"portal": portal, "visitor": new_session(), "rpc": rpc}

    def client(self, index, sessions, deadline):
        try:
            self._client(index, sessions, deadline)
        except Exception as exc:  # noqa: BLE001 - reported as an error of the run
            self._error("client", repr(exc)[:300])

    def _client(self, index, sessions, deadline):
        visitor_csrf = None
        kinds = ("ticket", "ack", "confirm", "rpc")
        step = index
        while time.time() < deadline:
            kind = kinds[step % len(kinds)]
            step += 1
            started = time.time()
            try:
                if kind == "ticket":
                    self._ticket(sessions, index, step)
                elif kind == "ack":
                    visitor_csrf = self._ack(sessions["visitor"], visitor_csrf)
                elif kind == "confirm":
                    visitor_csrf = self._confirm(sessions["visitor"], visitor_csrf)
                else:
                    self._rpc(sessions["rpc"], index, step)
            except requests.RequestException as exc:
                self._error(kind, type(exc).__name__)
            with self.lock:
                self.seconds[kind].append(time.time() - started)

    def _ticket(self, sessions, index, step):
        session = sessions["portal"]
        subject = f"Load complaint {index}-{step}"
        # the form page first, as a browser: its CSRF token
        csrf = csrf_of(session.get(f"{self.url}/new/ticket", timeout=120).text)
        response = session.post(
            f"{self.url}/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": subject,
                "description": f"Scratched panels <b>{index}</b> & more",
                "qms_feedback_kind": "complaint",
            },
            allow_redirects=False,
            timeout=120,
        )
        match = re.search(r"/my/ticket/(\d+)", response.headers.get("Location", ""))
        if response.status_code in (302, 303) and match:
            self._success("ticket", int(match.group(1)))
        elif "invalid CSRF token" in response.text:
            self._error("ticket", "CSRF token refused", response.text)
        else:
            self._error("ticket", response.status_code, response.text)

    def _visitor_csrf(self, session, page_url):
        return csrf_of(session.get(page_url, timeout=120).text)

    def _token_form(self, session, csrf, kind, record_id, path, action, data, marker):
        """Post ``data`` (with its access_token) from the tokenised portal page
        ``path`` to ``path/action``: a success is a redirect whose Location
        contains ``marker``. Returns the CSRF token to reuse."""
        page = f"{self.url}{path}?access_token={data['access_token']}"
        csrf = csrf or self._visitor_csrf(session, page)
        response = session.post(
            f"{self.url}{path}/{action}",
            data={"csrf_token": csrf, **data},
            allow_redirects=False,
            timeout=120,
        )
        with self.lock:
            self.answers[kind, record_id].append(response.status_code)
        if response.status_code in (302, 303) and marker in response.headers.get(
            "Location", ""
        ):
            self._success(kind, record_id)
        elif response.status_code != 400:
            # 400: the page again with a refusal (the other client of this
            # token answered first); checked per token below
            self._error(kind, response.status_code)
        return csrf

    def _ack(self, session, csrf):
        try:
            line_id, token = self.lines.get_nowait()
        except queue.Empty:
            return csrf
        return self._token_form(
            session,
            csrf,
            "ack",
            line_id,
            f"/my/recall/{line_id}",
            "ack",
            {
                "access_token": token,
                "qty_on_hand": "0",
                "note": "Nothing left <script>x()</script>",
            },
            "acknowledged",
        )

    def _confirm(self, session, csrf):
        try:
            req_id, token, text_hash = self.requirements.get_nowait()
        except queue.Empty:
            return csrf
        return self._token_form(
            session,
            csrf,
            "confirm",
            req_id,
            f"/my/qms/requirements/{req_id}",
            "answer",
            {
                "access_token": token,
                "decision": "confirmed",
                "text_hash": text_hash,
            },
            "confirmed",
        )

    def _rpc(self, session, index, step):
        try:
            new_id = jsonrpc(
                session,
                self.url,
                "/web/dataset/call_kw",
                {
                    "model": "qms.requirement",
                    "method": "create",
                    "args": [
                        {
                            "name": f"RPC requirement {index}-{step}",
                            "description": "Created under load.",
                            "partner_id": self.customer,
                            "documented": True,
                        }
                    ],
                    "kwargs": {},
                },
                timeout=120,
            )
        except RuntimeError as exc:
            self._error("rpc", str(exc)[:80])
            return
        self._success("rpc", new_id)


def test_twenty_clients_against_two_workers(odoo_env, tmp_path):
    db = odoo_env.copy_db(f"{odoo_env.db}_load")
    try:
        data = odoo_env.shell_json(db, SETUP % {"items": ITEMS})
        server = OdooServer(odoo_env, db, tmp_path / "odoo-load.log", workers=2)
        with server:
            run = LoadRun(server.url, data, db)
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                sessions = list(pool.map(run.prepare, range(CLIENTS)))
            start = time.time()
            deadline = start + SECONDS
            threads = [
                threading.Thread(
                    target=run.client, args=(i, sessions[i], deadline), daemon=True
                )
                for i in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=SECONDS + 300)
            elapsed = time.time() - start
            alive = server.alive()
        log = server.log()
        total = sum(len(v) for v in run.seconds.values())
        latency = {
            kind: (
                round(statistics.median(values), 2),
                round(statistics.quantiles(values, n=20)[-1], 2)
                if len(values) > 1
                else round(values[0], 2),
            )
            for kind, values in run.seconds.items()
        }
        refused = sum(codes.count(400) for codes in run.answers.values())
        print(
            f"\nload: {CLIENTS} clients, 2 workers, {elapsed:.0f} s: {total} requests, "
            f"{total / elapsed:.1f} req/s; ok {dict(run.ok)}; "
            f"errors {dict(run.errors) or 0}; server tracebacks "
            f"{log.count('Traceback (most recent call last)')}; "
            f"serialization retries {log.count('SerializationFailure')}; seconds "
            f"(p50, p95) per kind {latency}; second answers to a shared token "
            f"refused {refused}" + "".join(f"\n  {sample}" for sample in run.samples)
        )
        assert alive, "the server died under load"
        assert all(not t.is_alive() for t in threads), "a client hung"
        assert min(run.ok[kind] for kind in ("ticket", "ack", "confirm", "rpc")) > 0
        # throughput and latency floors (generous: a shared CI machine)
        assert total / elapsed >= 1.0, f"{total / elapsed:.2f} requests/s"
        assert max(p95 for _p50, p95 in latency.values()) < 30, latency
        # a shared token: one success, the other refused (400), never two
        for (kind, record_id), codes in run.answers.items():
            oks = sum(code in (302, 303) for code in codes)
            others = [code for code in codes if code not in (302, 303)]
            assert oks == 1 and set(others) <= {400}, (kind, record_id, codes)

        # -- what the database holds --------------------------------------
        def ids(query, *args):
            return {row[0] for row in odoo_env.sql(db, query, args or None)}

        tickets = ids(
            "SELECT id FROM helpdesk_ticket WHERE name LIKE 'Load complaint %%' "
            "AND qms_feedback_kind = 'complaint' AND qms_receipt_pending"
        )
        acked = ids(
            "SELECT id FROM qms_recall_line "
            "WHERE ack_date IS NOT NULL AND partner_id = %s",
            data["customer"],
        )
        confirmed = ids(
            "SELECT c.requirement_id FROM qms_requirement_confirmation c "
            "JOIN qms_requirement r ON r.id = c.requirement_id "
            "WHERE r.partner_id = %s AND r.confirmation_state = 'confirmed'",
            data["customer"],
        )
        created = ids(
            "SELECT id FROM qms_requirement WHERE name LIKE 'RPC requirement %%'"
        )
        assert tickets == run.done_ids["ticket"], "tickets lost or extra"
        assert acked == run.done_ids["ack"], "acknowledgements lost or extra"
        assert confirmed == run.done_ids["confirm"], "confirmations lost or extra"
        assert created == run.done_ids["rpc"], "JSON-RPC creates lost or extra"
        confirmations = odoo_env.sql(
            db,
            "SELECT count(*), count(DISTINCT requirement_id) FROM "
            "qms_requirement_confirmation c JOIN qms_requirement r "
            "ON r.id = c.requirement_id WHERE r.partner_id = %s",
            [data["customer"]],
        )[0]
        assert confirmations[0] == confirmations[1], "a requirement confirmed twice"
        for table, column in (
            ("helpdesk_ticket", "number"),
            ("qms_requirement", "reference"),
        ):
            duplicates = odoo_env.sql(
                db,
                f"SELECT {column}, count(*) FROM {table} WHERE {column} IS NOT NULL "
                f"GROUP BY {column} HAVING count(*) > 1",
            )
            assert not duplicates, f"duplicate {table}.{column}: {duplicates[:5]}"
        assert not run.errors, f"errors reached the clients: {dict(run.errors)}"
        assert "Traceback (most recent call last)" not in log, log[
            log.find("Traceback") - 2000 : log.find("Traceback") + 3000
        ]
    finally:
        odoo_env.drop_db(db)
