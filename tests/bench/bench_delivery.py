# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 (the odoo-bin shell scripts below)
"""notify_10k_delivered: recall notices delivered, measured at a real SMTP server.

Ours: a recall campaign of QMS_BENCH_NOTICES lines (default 10,000; the PDF
letter attached) on a running Odoo (``--workers=2`` HTTP workers, one cron
worker, crons as in production; the OCA ``queue_job`` runner loaded as the
job node of docker-compose.yml runs it, ``--load=base,web,queue_job`` and the
same channels, so the notice and delivery jobs run in the HTTP workers next
to the cron; QMS_BENCH_JOBS=0 runs the cron path alone); the clock runs from "Start notifying"
(JSON-RPC, as the button) to the last notice accepted by the SMTP server
(aiosmtpd on 127.0.0.1, tests/smtp_sink.py). Every line's notice must arrive
exactly once (Message-Id and recipient counted at the server).

Again with the Odoo server killed (``kill -9`` of the whole process group)
once a third of the notices arrived, then started again: every notice must
still arrive exactly once. A mail the server may have taken when its sender
died (journaled in flight, no answer journaled) is not sent again by itself:
when nothing more arrives, the bench does what the mail administrator does
with such a mail of unknown delivery, looks for its Message-Id in the SMTP
server's log (the sink's) and presses "Delivered" or "Retry" (JSON-RPC);
the time includes that step.

Baseline: Odoo ``mass_mailing`` sending the same body to as many contacts, to
the same SMTP server: ``action_send_mail`` (generation) then Odoo's own queue
run (``process_email_queue``) called again and again until the queue is empty
(stock Odoo would wait an hour between runs of 1,000: this is its best case),
in one ``odoo-bin shell`` process, in a database with only ``mass_mailing``.

Goal: ours / baseline <= 0.5.

Databases: QMS_BENCH_DELIVERY_DB (ours, default QMS_BENCH_DB_FULL) and
QMS_BENCH_MASS_MAILING_DB (default qms_bench_mm: created from nothing with
``mass_mailing`` when missing); both are copied, never changed.
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import benchlib
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from smtp_sink import SmtpSink  # noqa: E402

ODOO_BIN = str(Path(os.environ.get("ODOO_PATH", "/opt/odoo19")) / "odoo-bin")
OURS = re.compile(r"bench\d+@example\.com")
GOAL = 0.5
# the channels of the job node in docker-compose.yml
JOB_CHANNELS = "root:4,root.qms_mail:2,root.qms_bulk:1"

SETUP_OURS = """
import json
from odoo import Command
env["ir.mail_server"].search([]).write({"active": False})
env["ir.mail_server"].create({"name": "SMTP sink", "smtp_host": "127.0.0.1",
    "smtp_port": %(port)d, "smtp_encryption": "none", "sequence": 1})
ICP = env["ir.config_parameter"]
ICP.set_param("web.base.url", "%(url)s")
ICP.set_param("web.base.url.freeze", "True")
env["mail.mail"].search([("state", "=", "outgoing")]).write({"state": "cancel"})
customers = env["res.partner"].create([{"name": f"Bench customer {i}", "is_company": True,
    "email": f"bench{i}@example.com"} for i in range(%(count)d)])
product = env["product.product"].create({"name": "Bench valve", "is_storable": True})
campaign = env["qms.recall.campaign"].create({"title": "Bench recall",
    "kind": "recall", "reason": "Valve may leak.", "instructions": "Stop using it.",
    "product_ids": [Command.set(product.ids)]})
env["qms.recall.line"].with_context(tracking_disable=True, mail_create_nolog=True).create(
    [{"campaign_id": campaign.id, "partner_id": c.id, "contact_id": c.id,
      "product_id": product.id, "quantity": 1.0} for c in customers])
campaign.write({"state": "scoped"})
env.cr.execute("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 hour'")
env.cr.execute("DELETE FROM ir_cron_trigger")
env.cr.commit()
line = campaign.line_ids[:1]
body = env.ref("qms_crm_recall.mail_template_recall_notice")._render_field(
    "body_html", line.ids)[line.id]
print("QMSJSON " + json.dumps({"campaign": campaign.id, "body": str(body)}))
"""

CHECK_OURS = """
import json
env.cr.execute('''SELECT count(*) FILTER (WHERE l.state = 'notified'), count(*)
    FROM qms_recall_line l WHERE l.campaign_id = %(campaign)d''')
notified, total = env.cr.fetchone()
print("QMSJSON " + json.dumps({"notified": notified, "total": total}))
"""

BASELINE = """
import json, time
env["ir.mail_server"].search([]).write({"active": False})
env["ir.mail_server"].create({"name": "SMTP sink", "smtp_host": "127.0.0.1",
    "smtp_port": %(port)d, "smtp_encryption": "none", "sequence": 1})
env["mail.mail"].search([("state", "=", "outgoing")]).write({"state": "cancel"})
partners = env["res.partner"].create([{"name": f"Bench customer {i}",
    "email": f"bench{i}@example.com"} for i in range(%(count)d)])
mailing = env["mailing.mailing"].create({"subject": "Recall notice", "body_html": %(body)r,
    "mailing_model_id": env.ref("base.model_res_partner").id,
    "mailing_domain": repr([("id", "in", partners.ids)])})
env.cr.execute("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 hour'")
env.cr.commit()
print("QMSSTART", time.time(), flush=True)
mailing.action_send_mail()
env.cr.commit()
Mail = env["mail.mail"]
while Mail.search_count([("state", "=", "outgoing")]):
    Mail.process_email_queue()
    env.cr.commit()
print("QMSJSON " + json.dumps({"end": time.time()}))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shell(conf, db, script, timeout=7200):
    proc = subprocess.run(
        [
            sys.executable,
            ODOO_BIN,
            "shell",
            "-c",
            conf,
            "-d",
            db,
            "--no-http",
            "--log-level=warn",
        ],
        input=script,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    match = re.search(r"^QMSJSON (.*)$", proc.stdout, re.M)
    if proc.returncode or not match:
        raise SystemExit(
            f"odoo-bin shell failed on {db}:\n{proc.stdout[-2000:]}\n"
            f"{proc.stderr[-4000:]}"
        )
    start = re.search(r"^QMSSTART (.*)$", proc.stdout, re.M)
    result = json.loads(match.group(1))
    if start:
        result["start"] = float(start.group(1))
    return result


class Server:
    """odoo-bin with 2 HTTP workers and 1 cron worker on one database."""

    def __init__(self, conf, db, log, jobs=False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        if jobs:
            self.env["ODOO_QUEUE_JOB_CHANNELS"] = JOB_CHANNELS
        self.cmd = [
            sys.executable,
            ODOO_BIN,
            "-c",
            conf,
            *(["--load=base,web,queue_job"] if jobs else []),
            f"--db-filter=^{db}$",
            # the cron worker serves this database only (without -d it runs
            # the crons of every database of the cluster)
            f"--database={db}",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--workers=2",
            "--max-cron-threads=1",
            "--limit-time-real=600",
            "--limit-time-cpu=300",
            f"--logfile={log}",
            "--log-level=info",
        ]
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _attempt in range(600):
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/web/health", timeout=5).ok:
                    return self
            time.sleep(0.5)
        raise SystemExit("odoo-bin did not start")

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()


def admin_session(url):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=120)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    session.post(
        f"{url}/web/login",
        data={"login": "admin", "password": "admin", "csrf_token": csrf},
        timeout=120,
    )
    return session


def call(session, url, model, method, args, kwargs=None):
    response = session.post(
        f"{url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        },
        timeout=300,
    )
    payload = response.json()
    assert "error" not in payload, payload
    # Odoo leaves "result" out when the method returned None (action_retry)
    return payload.get("result")


def start_notifying(url, campaign):
    call(
        admin_session(url),
        url,
        "qms.recall.campaign",
        "action_start_notifying",
        [[campaign]],
    )


def resolve_unknown(url, sink, resolved):
    """What the mail administrator does with a mail of unknown delivery
    (its sender was killed while the server was taking it): look for its
    Message-Id in the mail server's log (here: the sink's), then press
    "Delivered" when it is there, "Retry" when it is not."""
    session = admin_session(url)
    mails = call(
        session,
        url,
        "mail.mail",
        "search_read",
        [[("qms_delivery_unknown", "=", True)]],
        {"fields": ["message_id"]},
    )
    at_server = {m[0].strip() for m in sink.messages}
    for mail in mails:
        found = mail["message_id"].strip() in at_server
        call(
            session,
            url,
            "mail.mail",
            "action_qms_confirm_delivered" if found else "action_retry",
            [[mail["id"]]],
        )
        resolved["found" if found else "not found"] += 1


def ours(message):
    return any(OURS.fullmatch(r) for r in message[1])


def check_once(sink, count, label):
    mine = [m for m in sink.messages if ours(m)]
    keys = [(m[0], m[1]) for m in mine]
    recipients = {r for m in mine for r in m[1]}
    dup = len(keys) - len(set(keys))
    benchlib.out(
        f"info {label}: {len(mine)} notices received, {len(recipients)} "
        f"recipients, {dup} received twice"
    )
    return len(mine) == count and len(recipients) == count and not dup


def run_ours(conf, source, count, kill_at=None, jobs=False):
    copy = f"qms_bench_dlv_{'kill' if kill_at else 'ours'}"
    benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    benchlib.admin_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    log = Path(f".local/logs/bench_delivery_{copy}.log")
    try:
        with SmtpSink() as sink:
            server = Server(conf, copy, log, jobs=jobs)
            setup = shell(
                conf,
                copy,
                SETUP_OURS % {"port": sink.port, "url": server.url, "count": count},
            )
            server.start()
            try:
                start = time.monotonic()
                start_notifying(server.url, setup["campaign"])
                killed = False
                resolved = {"found": 0, "not found": 0}
                deadline = time.monotonic() + 4 * 3600
                last, still = sink.count(ours), time.monotonic()
                while sink.count(ours) < count and time.monotonic() < deadline:
                    if kill_at and not killed and sink.count(ours) >= kill_at:
                        server.kill()
                        benchlib.out(f"info killed -9 after {sink.count(ours)} notices")
                        killed = True
                        server.start()
                    if sink.count(ours) != last:
                        last, still = sink.count(ours), time.monotonic()
                    elif killed and time.monotonic() - still > 5:
                        # nothing arrives any more: a mail of unknown
                        # delivery waits for a person
                        resolve_unknown(server.url, sink, resolved)
                        still = time.monotonic()
                    time.sleep(0.2)
                if killed:
                    benchlib.out(
                        "info mails of unknown delivery after the kill, checked "
                        f"in the SMTP server's log: {resolved['found']} found "
                        f"there (confirmed delivered), {resolved['not found']} "
                        "not found (sent again)"
                    )
                seconds = sink.last_at - start if sink.last_at else float("inf")
                time.sleep(3)  # anything sent twice arrives now
            finally:
                server.stop()
            once = check_once(sink, count, "ours" + (" (killed)" if kill_at else ""))
        check = shell(conf, copy, CHECK_OURS % {"campaign": setup["campaign"]})
        once = once and check["notified"] == count
        return seconds, once, setup["body"]
    finally:
        benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def run_baseline(conf, source, count, body):
    copy = "qms_bench_dlv_mm"
    benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    benchlib.admin_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    try:
        with SmtpSink() as sink:
            result = shell(
                conf, copy, BASELINE % {"port": sink.port, "count": count, "body": body}
            )
            sink.wait_for(count, timeout=600, predicate=ours)
            # the clock of the shell process: from action_send_mail to the last
            # mail accepted (the sink's monotonic clock is converted)
            last_wall = time.time() - (time.monotonic() - sink.last_at)
            seconds = last_wall - result["start"]
            once = check_once(sink, count, "mass_mailing")
        return seconds, once
    finally:
        benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def ensure_mass_mailing_db(conf, db):
    """The baseline's database: stock Odoo with mass_mailing, made once."""
    from odoo.sql_db import db_connect  # noqa: PLC0415

    with db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        if cr.fetchone():
            return
    proc = subprocess.run(
        [
            sys.executable,
            ODOO_BIN,
            "-c",
            conf,
            "-d",
            db,
            "-i",
            "mass_mailing",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if proc.returncode:
        benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        raise SystemExit(
            f"installing mass_mailing into {db} failed:\n{proc.stderr[-4000:]}"
        )


def main():
    (conf,) = benchlib.require_env(benchlib.CONF)
    count = benchlib.env_int("QMS_BENCH_NOTICES", 10000)
    ours_db = os.environ.get("QMS_BENCH_DELIVERY_DB") or os.environ.get(
        benchlib.DB_FULL
    )
    mm_db = os.environ.get("QMS_BENCH_MASS_MAILING_DB", "qms_bench_mm")
    if not ours_db:
        raise SystemExit("error: set QMS_BENCH_DELIVERY_DB or QMS_BENCH_DB_FULL")
    benchlib.setup_odoo(conf)
    ensure_mass_mailing_db(conf, mm_db)
    jobs = os.environ.get("QMS_BENCH_JOBS", "1") != "0"
    benchlib.out(
        f"info notices={count}, "
        + ("queue_job runner on" if jobs else "cron worker only")
    )
    missed = []
    ours_s, ours_once, body = run_ours(conf, ours_db, count, jobs=jobs)
    base_s, base_once = run_baseline(conf, mm_db, count, body)
    benchlib.out(
        f"info notices={count} ours={ours_s:.1f}s mass_mailing={base_s:.1f}s "
        f"({1000 * ours_s / count:.1f} vs {1000 * base_s / count:.1f} ms a mail)"
    )
    benchlib.report(
        "notify_10k_delivered", benchlib.ratio(ours_s, base_s), GOAL, missed
    )
    kill_s, kill_once = run_ours(
        conf, ours_db, count, kill_at=max(count // 3, 1), jobs=jobs
    )[:2]
    benchlib.report(
        "notify_10k_delivered_killed", benchlib.ratio(kill_s, base_s), GOAL, missed
    )
    if not (ours_once and base_once and kill_once):
        benchlib.out("info a notice was lost or received twice")
        return 1
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
