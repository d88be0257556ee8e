# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: E501 (the odoo-bin shell scripts below)
"""Faults with writes in flight; mail server down.

Writes in flight: a private throw-away PostgreSQL cluster (``initdb`` in a
temporary folder, never the shared one the test run uses: an immediate-mode
restart of that one would end every other test's connections) gets a copy of
the test database; an Odoo server with 2 HTTP workers and a cron worker
serves it. While 6 portal customers and 3 staff write (tests/qms_load.py:
complaints with kind, order and attachment, confirmations, surveys, recall
acknowledgements, orders through the gate, complaints closed, management
reviews prepared) and the cron worker sends 400 recall notices in batches:

1. ``kill -9`` of the cron worker while it sends, then of an HTTP worker;
2. ``kill -9`` of a PostgreSQL backend of Odoo in a transaction (a write
   when one is seen): PostgreSQL ends every backend and recovers;
3. ``pg_ctl -m immediate restart`` (a crash, no checkpoint).

After recovery (the crons run again) the database is compared with what the
clients were answered (``qms_load.verify``): no complaint without its
receipt, attachment, kind or order; no notified recall line without its
mail, none with two, none mailed and not stamped; no management review half
frozen; nothing twice. Answers accepted during an outage window are listed
at ``OUTAGE_ANSWERS``; outside the windows a 500 (or any other error) fails
the test. The test prints the list of what it checked.

Mail: notices are queued while the configured mail server is unreachable;
Odoo marks them failed (``exception``, ``mail_smtp``) and never sends them
again by itself, so qms_crm's cron queues them again; with the mail server
back (a small SMTP server in this process) every notice is delivered, none
lost, none twice. Odoo does not connect to SMTP servers in test mode, so this
runs in ``odoo-bin shell`` processes.
"""

import collections
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import qms_load
import requests
from qms_server import OdooServer, free_port

# a private PostgreSQL cluster and an Odoo server: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(150)

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
            # durable (PostgreSQL's defaults, unlike the shared test cluster):
            # with synchronous_commit off a crash loses transactions whose
            # commit was already answered, the very loss this test looks for
            conf.write(
                "\nlisten_addresses = '127.0.0.1'\nfsync = on\n"
                "synchronous_commit = on\nfull_page_writes = on\n"
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

    def restart_immediate(self):
        """A crash: PostgreSQL stopped without a checkpoint, then started."""
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-m",
            "immediate",
            "-w",
            "-t",
            "60",
            "restart",
        )

    def kill_backend(self, pid):
        """kill -9 of a backend: the postmaster ends every other backend and
        recovers (as after a crash of that process)."""
        self._run("kill", "-9", str(pid), check=False)

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


# ----------------------------------------------------------------------
# Faults with writes in flight
# ----------------------------------------------------------------------
NOTICES_SETUP = """
env["ir.config_parameter"].set_param("qms_crm_recall.notice_batch", "%(batch)d")
product = env["product.product"].create({"name": "Fault valve", "is_storable": True, "tracking": "lot"})
lots = env["stock.lot"].create([{"name": f"FAULT-{n}", "product_id": product.id} for n in range(%(count)d)])
customers = env["res.partner"].create([{"name": f"Fault customer {n}", "is_company": True,
    "email": f"fault{n}@example.com"} for n in range(%(count)d)])
campaign = env["qms.recall.campaign"].create({"title": "Fault recall", "kind": "recall",
    "reason": "Fault test.", "instructions": "Stop.", "product_ids": [Command.set(product.ids)],
    "lot_ids": [Command.set(lots.ids)]})
campaign.write({"state": "notifying"})
lines = env["qms.recall.line"].create([{"campaign_id": campaign.id, "partner_id": c.id,
    "contact_id": c.id, "product_id": product.id, "lot_id": lot.id, "quantity": 1.0,
    "state": "to_notify"} for c, lot in zip(customers, lots)])
crons = [env.ref(x).id for x in ("qms_crm_recall.ir_cron_qms_recall_send_notices",
    "qms_crm_complaint.ir_cron_qms_complaint_receipts")]
env["ir.cron"].browse(crons).write({"active": True})
# the scheduler runs only these two (the copy's other jobs are all overdue)
env.cr.execute("UPDATE ir_cron SET active = false WHERE id NOT IN %%s", [tuple(crons)])
# the notices' job runs when the test triggers it, once the load runs: not
# due by its schedule, no trigger left by the campaign's start
env.cr.execute("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 day' "
    "WHERE id = %%s", [crons[0]])
env.cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %%s", [crons[0]])
env.cr.commit()
print("QMSNOTICES " + json.dumps({"campaign": campaign.id, "lines": lines.ids, "crons": crons}))
"""

# Answers a client may get for a request that overlaps an outage window
# (from the fault until a user can log in again, which reads the database):
# - its connection dropped (its worker was killed, PostgreSQL went away);
# - Odoo's answer to a request whose database connection died under it (a
#   500 page, or a JSON-RPC error naming the lost connection): Odoo cannot
#   tell whether the transaction was committed;
# - a 404: while it cannot list the databases Odoo serves the request
#   without one, and only routes without a database exist then;
# - "session expired": Odoo ends the sessions it served while the database
#   was unusable (odoo.http), the user logs in again (once per outage).
# Outside the windows every answer must be a success or one of the business
# refusals of qms_load.EXPECTED_RPC; a 500 after recovery fails the test.
OUTAGE_ANSWERS = re.compile(
    r"^(ConnectionError|ReadTimeout|ChunkedEncodingError|http 50[0234]|http 404"
    r"|session expired"
    r"|rpc error: .*(connection|terminat|OperationalError|InterfaceError"
    r"|server closed|already closed|shutdown|recovery|starting up"
    r"|InFailedSqlTransaction))",
    re.I | re.S,
)
FAULT_SECONDS = float(os.environ.get("QMS_FAULT_LOAD_SECONDS", "40"))
FAULT_NOTICES = int(os.environ.get("QMS_FAULT_NOTICE_LINES", "400"))


def _odoo_children(server):
    """Pids of the prefork workers of the server (children of its master)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == server.proc.pid:
                pids.append(int(stat.parent.name))
    return pids


def _busy_backends(odoo_env, cluster, db):
    """(backend pid, application_name, query) of the connections of Odoo to
    db in a transaction, writers first."""
    rows = odoo_env.sql_at(
        cluster.port,
        "postgres",
        "SELECT pid, application_name, query FROM pg_stat_activity "
        "WHERE datname = %s AND backend_type = 'client backend' "
        "AND application_name LIKE 'odoo-%%' AND state <> 'idle' "
        "ORDER BY (query ~* '^\\s*(insert|update|delete)') DESC, xact_start",
        [db],
    )
    return rows


def _nice(pid):
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def _cron_worker(server):
    """Pid of the cron worker: Odoo starts it 10 nicer than the master
    (odoo.service.server.WorkerCron.start), its HTTP workers are not."""
    deadline = time.time() + 60
    while time.time() < deadline:
        master = _nice(server.proc.pid)
        for pid in _odoo_children(server):
            with contextlib.suppress(OSError):
                if _nice(pid) > master:
                    return pid
        time.sleep(0.5)
    raise AssertionError("no cron worker (a worker nicer than the master)")


def _wait_up(url, db, timeout=90):
    """The time at which a user can log in again (the login reads the
    database; the login page alone is served without one)."""
    start = time.time()
    while time.time() - start < timeout:
        with contextlib.suppress(requests.RequestException, ValueError):
            body = requests.post(
                f"{url}/web/session/authenticate",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"db": db, "login": "admin", "password": "admin"},
                },
                timeout=10,
            ).json()
            if (body.get("result") or {}).get("uid"):
                return time.time()
        time.sleep(0.3)
    raise AssertionError(f"the server did not recover within {timeout} s")


def _trigger_crons(odoo_env, cluster, db, crons):
    """Run the crons now: a trigger row, and the notification the cron
    worker listens for (on the database ``postgres``, as Odoo sends it)."""
    odoo_env.sql_at(
        cluster.port,
        db,
        "INSERT INTO ir_cron_trigger (cron_id, call_at) "
        "SELECT unnest(%s), now() AT TIME ZONE 'UTC'",
        [crons],
    )
    odoo_env.sql_at(
        cluster.port, "postgres", "SELECT pg_notify('cron_trigger', %s)", [db]
    )


def _classify(load, windows):
    """The answers other than success: (outage, wrong) counters by route
    and outcome, accepted during an outage window (OUTAGE_ANSWERS) or not."""
    expected = tuple(f"rpc {name}" for name, _p in qms_load.EXPECTED_RPC)
    outage, wrong = collections.Counter(), collections.Counter()
    dropped = collections.defaultdict(set)  # window -> users it concerned
    relogged = set()
    for route, start, seconds, outcome, who in sorted(
        load.requests, key=lambda r: r[1]
    ):
        window = next(
            (
                w
                for w, (_n, begin, end) in enumerate(windows)
                if start <= end + 1 and start + seconds >= begin
            ),
            None,
        )
        if window is not None:
            dropped[window].add(who)
        if outcome == "ok" or outcome.startswith(expected):
            continue
        if outcome == "session expired" and window is None:
            # once per user after an outage whose requests they made
            last = max(
                (w for w, (_n, begin, _e) in enumerate(windows) if begin < start),
                default=None,
            )
            if (
                last is not None
                and who in dropped[last]
                and (who, last) not in relogged
            ):
                relogged.add((who, last))
                outage[f"{route}: {outcome} (after the outage)"] += 1
                continue
        if window is not None and OUTAGE_ANSWERS.match(outcome):
            outage[f"{route}: {outcome[:60]}"] += 1
        else:
            wrong[f"{route}: {outcome[:100]}"] += 1
    return outage, wrong


def test_faults_with_writes_in_flight(odoo_env, tmp_path):
    """kill -9 of an Odoo worker (the cron worker sending recall notices,
    then an HTTP worker), kill -9 of a PostgreSQL backend with a transaction
    open, a PostgreSQL immediate-mode restart: all while customers and staff
    write (tests/qms_load.py) and notices are sent. After recovery nothing
    is partial, nothing twice, and no client got an error outside the
    outage windows."""
    db = f"{odoo_env.db}_faults"
    cluster = PrivateCluster(odoo_env.db_user)
    server = None
    checked = []
    try:
        cluster.init()
        _restore(odoo_env, cluster, odoo_env.template, db)
        src = Path(odoo_env.data_dir, "filestore", odoo_env.template)
        dst = Path(odoo_env.data_dir, "filestore", db)
        shutil.rmtree(dst, ignore_errors=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        at = [f"--db_port={cluster.port}", "--db_host=127.0.0.1"]
        out = odoo_env.run(
            db,
            *at,
            script=qms_load.SETUP
            % {"customers": 6, "staff": 3, "items": 20, "orders": 24, "reviews": 6}
            + NOTICES_SETUP % {"count": FAULT_NOTICES, "batch": 10},
        )
        data, notices = (
            json.loads(re.search(rf"^{tag} (.*)$", out, re.M).group(1))
            for tag in ("QMSJSON", "QMSNOTICES")
        )
        server = OdooServer(
            odoo_env,
            db,
            tmp_path / "odoo-faults.log",
            workers=2,
            db_port=cluster.port,
            db_host="127.0.0.1",
            # one cron worker; mails to a closed port: every mail stays
            # (failed) in the database, where it is counted
            extra=[
                "--max-cron-threads=1",
                "--smtp=127.0.0.1",
                f"--smtp-port={free_port()}",
            ],
        ).start()
        # the cron worker loads the registry at its first job (tens of
        # seconds on a busy machine, at its lower priority): before the load,
        # with the complaint receipts' job only (on a quiet machine the
        # notices' job sent all 400 notices here, before anything was killed)
        _trigger_crons(odoo_env, cluster, db, notices["crons"][1:])
        deadline = time.time() + 120
        while "ir_cron: Job" not in server.log() and time.time() < deadline:
            time.sleep(0.5)
        assert "ir_cron: Job" in server.log(), "the cron worker ran no job"
        load = qms_load.Load(server.url, db, data, think=0.3, timeout=30, seed=9)
        runner = threading.Thread(
            target=lambda: setattr(load, "elapsed", load.run(FAULT_SECONDS)),
            daemon=True,
        )
        runner.start()
        while not getattr(load, "started", None):
            assert runner.is_alive(), load.client_errors
            time.sleep(0.2)
        _trigger_crons(odoo_env, cluster, db, notices["crons"])
        windows = []

        def notices_sent():
            return odoo_env.sql_at(
                cluster.port,
                db,
                "SELECT count(*) FROM qms_recall_line WHERE id = ANY(%s) "
                "AND state = 'notified'",
                [notices["lines"]],
            )[0][0]

        # 1. kill -9 of the cron worker while it sends notices, then of an
        #    HTTP worker while it serves the load
        cron_worker = _cron_worker(server)
        deadline = time.time() + 30
        sending = None
        while time.time() < deadline and not sending:
            busy = [
                row
                for row in _busy_backends(odoo_env, cluster, db)
                if row[1] == f"odoo-{cron_worker}"
            ]
            done = notices_sent()
            if busy and 0 < done < FAULT_NOTICES:
                sending = (cron_worker, done)
            time.sleep(0.05)
        assert sending, "no worker was seen sending the recall notices"
        fault = time.time()
        os.kill(sending[0], signal.SIGKILL)
        http_workers = [p for p in _odoo_children(server) if p != sending[0]]
        time.sleep(1)
        os.kill(http_workers[0], signal.SIGKILL)
        windows.append(("kill -9 of two Odoo workers", fault, _wait_up(server.url, db)))
        checked.append(
            f"kill -9 of the cron worker (pid {sending[0]}) with {sending[1]} of "
            f"{FAULT_NOTICES} notices sent, then of an HTTP worker (pid "
            f"{http_workers[0]}) under load"
        )
        _trigger_crons(odoo_env, cluster, db, notices["crons"])
        time.sleep(max(0, load.started + FAULT_SECONDS * 0.35 - time.time()))
        # 2. kill -9 of a PostgreSQL backend of Odoo, a write in flight when
        #    one is seen
        deadline = time.time() + 10
        victim = None
        while time.time() < deadline and not victim:
            busy = _busy_backends(odoo_env, cluster, db)
            if busy and (
                re.match(r"\s*(insert|update|delete)", busy[0][2], re.I)
                or time.time() > deadline - 1
            ):
                victim = busy[0]
            time.sleep(0.02)
        assert victim, "no backend of Odoo was busy"
        fault = time.time()
        cluster.kill_backend(victim[0])
        windows.append(
            ("kill -9 of a PostgreSQL backend", fault, _wait_up(server.url, db))
        )
        checked.append(
            f"kill -9 of the PostgreSQL backend {victim[0]} of {victim[1]} running "
            f"{' '.join(victim[2].split())[:70]!r} (PostgreSQL restarted every backend)"
        )
        _trigger_crons(odoo_env, cluster, db, notices["crons"])
        time.sleep(max(0, load.started + FAULT_SECONDS * 0.65 - time.time()))
        # 3. PostgreSQL restarted in immediate mode (a crash: no checkpoint)
        fault = time.time()
        cluster.restart_immediate()
        windows.append(("pg_ctl -m immediate restart", fault, _wait_up(server.url, db)))
        checked.append(
            f"pg_ctl -m immediate restart with {notices_sent()} of {FAULT_NOTICES} "
            "notices sent"
        )
        _trigger_crons(odoo_env, cluster, db, notices["crons"])
        runner.join(timeout=FAULT_SECONDS + 200)
        assert not runner.is_alive(), "the load did not end"
        # recovery: the crons finish what was cut (the scheduler runs a job
        # again at its next trigger)
        deadline = time.time() + 120
        while notices_sent() < FAULT_NOTICES and time.time() < deadline:
            _trigger_crons(odoo_env, cluster, db, notices["crons"])
            time.sleep(3)
        _trigger_crons(odoo_env, cluster, db, notices["crons"])
        pending = qms_load.wait_for_receipts(
            lambda: odoo_env.connect(db, host="127.0.0.1", port=cluster.port)
        )
        alive = server.alive()
        figures = load.figures(load.elapsed)

        # -- answers: in an outage window or not ------------------------------
        outage, wrong = _classify(load, windows)
        checked.append(
            f"{figures['requests']} requests of 6 customers and 3 staff in "
            f"{load.elapsed:.0f} s; {sum(outage.values())} answered with a dropped "
            "connection or a lost-database error during an outage window, "
            f"{sum(wrong.values())} other errors (must be 0)"
        )
        # -- the database against the clients' log ---------------------------
        more, problems = qms_load.verify(
            load,
            lambda: odoo_env.connect(db, host="127.0.0.1", port=cluster.port),
            strict=False,
        )
        checked += more
        lines = odoo_env.sql_at(
            cluster.port,
            db,
            """
            SELECT l.state, count(m.id) AS mails
              FROM qms_recall_line l
              LEFT JOIN mail_message mm ON mm.model = 'qms.recall.line' AND mm.res_id = l.id
              LEFT JOIN mail_mail m ON m.mail_message_id = mm.id
             WHERE l.id = ANY(%s) GROUP BY l.id, l.state
            """,
            [notices["lines"]],
        )
        notified = [mails for state, mails in lines if state == "notified"]
        unmailed = sum(1 for mails in notified if mails == 0)
        twice = sum(1 for mails in notified if mails > 1)
        mailed_not_notified = sum(1 for st, m in lines if st != "notified" and m)
        checked.append(
            f"recall notices: {len(notified)} of {FAULT_NOTICES} lines notified, "
            f"{unmailed} notified without a mail, {twice} with two mails, "
            f"{mailed_not_notified} mailed but not stamped"
        )
        checked.append(
            f"complaint receipts still pending after recovery: {pending}; server "
            f"alive: {alive}"
        )
        print(
            "\nfaults with writes in flight, checked:\n  - "
            + "\n  - ".join(checked)
            + "\noutage windows: "
            + "; ".join(f"{w} {end - begin:.1f} s" for w, begin, end in windows)
            + ("\nanswers during the outages:\n    " if outage else "")
            + "\n    ".join(f"{n} {w}" for w, n in outage.most_common())
            + ("\nOTHER ERRORS:\n    " if wrong else "")
            + "\n    ".join(f"{n} {w}" for w, n in wrong.most_common())
            + ("\nPROBLEMS:\n    " + "\n    ".join(problems) if problems else "")
        )
        assert alive, "the server died"
        assert not load.client_errors, load.client_errors[:5]
        assert not load.hung, "a client hung"
        assert not problems, problems
        assert not wrong, dict(wrong)
        assert len(notified) == FAULT_NOTICES, "notices not all sent after recovery"
        assert not (unmailed or twice or mailed_not_notified)
        assert pending == 0, "complaint receipts not mailed after recovery"
        # the load did write while the faults happened
        assert len(load.complaints) and any(
            r[0] == "ok" for r in load.complaints.values()
        )
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
