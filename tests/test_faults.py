# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 (the odoo-bin shell scripts below)
"""Faults: PostgreSQL restarted under a running server, mail server down.

PostgreSQL: a private throw-away cluster (``initdb`` in a temporary folder,
never the shared one the test run uses) gets a copy of the test database; an
Odoo server with 2 workers serves it. The cluster is stopped: requests get a
clean answer (an HTTP error, no hang) and the server stays up; once it is
started again requests succeed.

Mail: notices are queued while the configured mail server is unreachable;
Odoo marks them failed (``exception``, ``mail_smtp``) and never sends them
again by itself, so qms_crm's cron queues them again; with the mail server
back (a small SMTP server in this process) every notice is delivered, none
lost, none twice. Odoo does not connect to SMTP servers in test mode, so this
runs in ``odoo-bin shell`` processes.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from qms_server import OdooServer, free_port, jsonrpc, login, new_session

# a private PostgreSQL cluster and an Odoo server: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(120)

PG_BIN = Path(
    os.environ.get("QMS_PGBIN")
    or max(
        (str(p.parent) for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")),
        key=lambda path: (
            int(Path(path).parent.name) if Path(path).parent.name.isdigit() else 0
        ),
        default="/usr/lib/postgresql/15/bin",
    )
)
NOTICES = int(os.environ.get("QMS_FAULT_NOTICES", "30"))


# ----------------------------------------------------------------------
# A private PostgreSQL cluster
# ----------------------------------------------------------------------
class PrivateCluster:
    def __init__(self, user):
        self.user = user or "odoo"
        self.root = Path(tempfile.mkdtemp(prefix="qms-pg-"))
        self.data = self.root / "data"
        self.logfile = self.root / "pg.log"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *cmd, check=True, timeout=120):
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        return subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=check
        )

    def init(self):
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o755)
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                "\nlisten_addresses = '127.0.0.1'\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\n"
            )
        self.start()
        self.psql("postgres", f'CREATE ROLE "{self.user}" SUPERUSER LOGIN')

    def start(self):
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {self.port} -k {self.root}",
            "start",
        )

    def stop(self):
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-m",
            "fast",
            "-w",
            "stop",
            check=False,
        )

    def psql(self, db, sql):
        return subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def destroy(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _restore(odoo_env, cluster, source_db, name):
    """pg_dump of source_db (shared cluster) | pg_restore into the cluster."""
    cluster.psql("postgres", f'CREATE DATABASE "{name}" OWNER "{cluster.user}"')
    env = dict(os.environ, PGPASSWORD=odoo_env.db_password or "")
    dump = subprocess.Popen(
        [
            str(PG_BIN / "pg_dump"),
            "-h",
            odoo_env.db_host,
            "-p",
            str(odoo_env.db_port),
            "-U",
            odoo_env.db_user or "postgres",
            "-Fc",
            "-Z0",
            source_db,
        ],
        stdout=subprocess.PIPE,
        env=env,
    )
    restore = subprocess.run(
        [
            str(PG_BIN / "pg_restore"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            cluster.user,
            "-d",
            name,
            "--no-owner",
        ],
        stdin=dump.stdout,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    dump.stdout.close()
    assert dump.wait(timeout=600) == 0, "pg_dump failed"
    assert restore.returncode == 0, restore.stderr[-3000:]


def _timed(session, method, url, **kw):
    start = time.time()
    try:
        response = session.request(method, url, timeout=30, **kw)
        status = response.status_code
        if status == 200 and "json" in kw:
            # JSON-RPC answers errors with 200: a result would be a success
            body = response.json()
            status = "rpc-result" if "result" in body else "rpc-error"
        return status, time.time() - start
    except requests.RequestException as exc:
        return type(exc).__name__, time.time() - start


def test_postgresql_restart_fails_requests_cleanly_then_recovers(odoo_env, tmp_path):
    db = f"{odoo_env.db}_faults"
    cluster = PrivateCluster(odoo_env.db_user)
    server = None
    try:
        cluster.init()
        _restore(odoo_env, cluster, odoo_env.template, db)
        src = Path(odoo_env.data_dir, "filestore", odoo_env.template)
        dst = Path(odoo_env.data_dir, "filestore", db)
        shutil.rmtree(dst, ignore_errors=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        server = OdooServer(
            odoo_env,
            db,
            tmp_path / "odoo-faults.log",
            workers=2,
            db_port=cluster.port,
            db_host="127.0.0.1",
        ).start()
        url = server.url
        user = login(new_session(), url, "admin", "admin")

        def rpc_count(session=None):
            return jsonrpc(
                session or user,
                url,
                "/web/dataset/call_kw",
                {
                    "model": "qms.requirement",
                    "method": "search_count",
                    "args": [[]],
                    "kwargs": {},
                },
                timeout=30,
            )

        before = rpc_count()
        assert before > 0
        cluster.stop()
        down = []
        for _i in range(6):
            down.append(_timed(new_session(), "GET", f"{url}/web/login"))
            down.append(
                _timed(user, "GET", f"{url}/odoo/action-qms_crm.action_qms_requirement")
            )
            down.append(
                _timed(
                    user,
                    "POST",
                    f"{url}/web/dataset/call_kw",
                    json={
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "qms.requirement",
                            "method": "search_count",
                            "args": [[]],
                            "kwargs": {},
                        },
                    },
                )
            )
        assert server.alive(), "the server died with the database"
        statuses = [status for status, _s in down]
        slowest = max(seconds for _status, seconds in down)
        assert slowest < 30, f"a request hung {slowest:.0f} s"
        # refused: an HTTP answer (Odoo serves the request without a database:
        # the login page, 404 for the RPC route) or a JSON-RPC error; never
        # data, never a dropped connection
        assert "rpc-result" not in statuses, statuses
        assert all(isinstance(s, int) or s == "rpc-error" for s in statuses), statuses
        restart = time.time()
        cluster.start()
        recovered = None
        while time.time() - restart < 60:
            try:
                # Odoo logs out the sessions it served while the database was
                # unusable (odoo.http: "Database or registry unusable"): the
                # user logs in again
                fresh = login(new_session(), url, "admin", "admin")
                if rpc_count(fresh) == before:
                    recovered = time.time() - restart
                    break
            except (requests.RequestException, RuntimeError, AssertionError):
                time.sleep(0.5)
        assert recovered is not None, "requests still fail 60 s after the restart"
        try:
            rpc_count()
            old_session = "still logged in"
        except RuntimeError as exc:
            old_session = f"logged out ({exc})"
            assert "Session" in str(exc), exc
        after = [rpc_count(fresh) for _i in range(10)]
        pages = [
            requests.get(f"{url}/web/login", timeout=30).status_code for _i in range(5)
        ]
        print(
            f"\nPostgreSQL down: {len(down)} requests answered "
            f"{sorted(set(map(str, statuses)))} "
            f"in at most {slowest:.1f} s; recovered {recovered:.1f} s after the restart; "
            f"the session used during the outage: {old_session}"
        )
        assert after == [before] * 10
        assert pages == [200] * 5
        assert server.alive()
    finally:
        if server:
            server.stop()
        cluster.destroy()
        shutil.rmtree(Path(odoo_env.data_dir, "filestore", db), ignore_errors=True)


# ----------------------------------------------------------------------
# Mail server down
# ----------------------------------------------------------------------
class SmtpSink:
    """A minimal SMTP server: accepts every message and keeps it."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self._sock = socket.create_server(("127.0.0.1", self.port))
        self._sock.settimeout(0.5)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)
        self._sock.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _addr = self._sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        with contextlib.closing(conn), conn.makefile("rb") as rfile:
            send = conn.sendall
            send(b"220 qms-sink ESMTP\r\n")
            data = None
            for raw in rfile:
                line = raw.decode("utf-8", "replace")
                if data is not None:
                    if line.rstrip("\r\n") == ".":
                        self.messages.append("".join(data))
                        data = None
                        send(b"250 OK queued\r\n")
                    else:
                        data.append(line[1:] if line.startswith("..") else line)
                    continue
                verb = line[:4].upper()
                if verb in ("EHLO", "HELO"):
                    send(b"250-qms-sink\r\n250 SIZE 52428800\r\n")
                elif verb == "DATA":
                    data = []
                    send(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                elif verb == "QUIT":
                    send(b"221 Bye\r\n")
                    return
                else:  # MAIL, RCPT, RSET, NOOP
                    send(b"250 OK\r\n")


QUEUE_NOTICES = """
import json
from odoo import Command, fields
env["ir.mail_server"].search([]).write({"active": False})
env["ir.mail_server"].create({"name": "Unreachable", "smtp_host": "127.0.0.1",
    "smtp_port": %(port)d, "smtp_encryption": "none", "sequence": 1})
customers = env["res.partner"].create([{"name": f"Mail customer {i}", "is_company": True,
    "email": f"recall{i}@example.com"} for i in range(%(count)d)])
product = env["product.product"].create({"name": "Mail valve", "is_storable": True})
campaign = env["qms.recall.campaign"].create({"title": "Mail outage recall",
    "kind": "recall", "reason": "Mail test.", "instructions": "Stop.",
    "product_ids": [Command.set(product.ids)]})
campaign.write({"state": "notifying"})
lines = env["qms.recall.line"].create([{"campaign_id": campaign.id, "partner_id": c.id,
    "contact_id": c.id, "product_id": product.id, "quantity": 1.0} for c in customers])
env.cr.commit()
sent = env["qms.recall.line"]._cron_send_notices(letters=False)
env.cr.commit()
env["mail.mail"].process_email_queue()
env.cr.commit()
mails = env["mail.mail"].search([("model", "=", "qms.recall.line"), ("res_id", "in", lines.ids)])
print("QMSJSON " + json.dumps({"queued": sent, "campaign": campaign.id,
    "states": sorted(set(mails.mapped("state"))), "count": len(mails),
    "failure_types": sorted(set(mails.mapped("failure_type")) - {False})}))
"""

SERVER_BACK = """
import json
env["ir.mail_server"].search([("name", "=", "Unreachable")]).write({"smtp_port": %(port)d})
requeued = env["mail.mail"]._qms_cron_requeue_smtp_failures()
env.cr.commit()
env["mail.mail"].process_email_queue()
env.cr.commit()
lines = env["qms.recall.line"].search([("campaign_id", "=", %(campaign)d)])
left = env["mail.mail"].search([("model", "=", "qms.recall.line"), ("res_id", "in", lines.ids),
    ("state", "!=", "sent")])
print("QMSJSON " + json.dumps({"requeued": requeued, "left": len(left),
    "states": sorted(set(lines.mapped("state")))}))
"""


def test_notices_wait_for_the_mail_server_and_none_is_lost(odoo_env):
    db = odoo_env.copy_db(f"{odoo_env.db}_mail")
    try:
        closed = free_port()  # nothing listens there
        down = odoo_env.shell_json(
            db, QUEUE_NOTICES % {"port": closed, "count": NOTICES}
        )
        assert down["queued"] == NOTICES, down
        assert down["count"] == NOTICES, down
        # what Odoo 19 does when it cannot connect: failed (no failure type,
        # the connection error as reason), not lost, never sent again by itself
        assert down["states"] == ["exception"], down
        assert down["failure_types"] == [], down
        with SmtpSink() as sink:
            back = odoo_env.shell_json(
                db, SERVER_BACK % {"port": sink.port, "campaign": down["campaign"]}
            )
            deadline = time.time() + 10
            while len(sink.messages) < NOTICES and time.time() < deadline:
                time.sleep(0.2)
            received = list(sink.messages)
        ours = [
            message
            for message in received
            if re.search(r"^To:.*recall\d+@example\.com", message, re.M | re.I)
        ]
        recipients = {
            re.search(r"recall\d+@example\.com", message).group(0) for message in ours
        }
        print(
            f"\nmail server down: {down['count']} notices {down['states']}; back: "
            f"{back['requeued']} queued again (with the demo data's), {len(ours)} "
            f"notices delivered ({len(received)} mails), {back['left']} left"
        )
        assert back["requeued"] >= NOTICES, back
        assert back["left"] == 0, back
        assert len(ours) == NOTICES, len(ours)
        assert len(recipients) == NOTICES, recipients
        assert back["states"] == ["notified"], back
    finally:
        odoo_env.drop_db(db)
