# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Real Odoo servers for the slow tests (load, faults, upgrade).

The tests run next to pytest-odoo, which holds connections to the test
database: they work on copies of the template ``<test db>_copy``, which
``scripts/test.sh`` makes from the freshly installed test database before
pytest starts (``QMS_TEST_COPY_DB`` names another one). Each test copies the
template again (``CREATE DATABASE ... TEMPLATE``), starts ``odoo-bin`` in a
subprocess on free ports of 127.0.0.1 and drops its copy at the end.
"""

import configparser
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import requests

_logger = logging.getLogger(__name__)

ODOO_BIN = None


def odoo_bin():
    """Path of odoo-bin: $ODOO_PATH/odoo-bin, else next to the odoo package."""
    global ODOO_BIN  # noqa: PLW0603 - computed once
    if ODOO_BIN is None:
        candidates = []
        if os.environ.get("ODOO_PATH"):
            candidates.append(Path(os.environ["ODOO_PATH"]) / "odoo-bin")
        import odoo.release  # noqa: PLC0415 - only when a server is needed

        candidates.append(Path(odoo.release.__file__).resolve().parents[1] / "odoo-bin")
        ODOO_BIN = next((str(p) for p in candidates if p.is_file()), None)
        assert ODOO_BIN, f"odoo-bin not found in {candidates}"
    return ODOO_BIN


class OdooEnv:
    """Options of the pytest run: config file, addons path, database."""

    def __init__(self, pytestconfig):
        self.conf = pytestconfig.getoption("--odoo-config")
        self.addons_path = pytestconfig.getoption("--odoo-addons-path")
        self.db = pytestconfig.getoption("--odoo-database")
        assert self.conf and self.db, (
            "run through scripts/test.sh (pytest-odoo options)"
        )
        parser = configparser.ConfigParser()
        parser.read(self.conf)
        options = dict(parser.items("options")) if parser.has_section("options") else {}
        self.db_host = options.get("db_host") or "127.0.0.1"
        self.db_port = int(options.get("db_port") or 5432)
        self.db_user = options.get("db_user") or None
        password = options.get("db_password")
        self.db_password = None if password in (None, "", "False") else password
        self.data_dir = options.get("data_dir") or ""
        self.template = os.environ.get("QMS_TEST_COPY_DB") or f"{self.db}_copy"

    # -- PostgreSQL ------------------------------------------------------
    def connect(self, dbname="postgres", **kw):
        params = {
            "host": self.db_host,
            "port": self.db_port,
            "user": self.db_user,
            "password": self.db_password,
            "dbname": dbname,
        }
        params.update(kw)
        conn = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
        conn.autocommit = True
        return conn

    def sql(self, dbname, query, args=None):
        with contextlib.closing(self.connect(dbname)) as conn, conn.cursor() as cr:
            cr.execute(query, args)
            return cr.fetchall() if cr.description else None

    def sql_at(self, port, dbname, query, args=None):
        """sql() on another PostgreSQL server of 127.0.0.1 (a test's own)."""
        with (
            contextlib.closing(
                self.connect(dbname, host="127.0.0.1", port=port)
            ) as conn,
            conn.cursor() as cr,
        ):
            cr.execute(query, args)
            return cr.fetchall() if cr.description else None

    def db_exists(self, name):
        return bool(
            self.sql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [name])
        )

    def require_template(self):
        if not self.db_exists(self.template):
            pytest.skip(
                f"database {self.template} is missing: scripts/test.sh makes it from "
                f"{self.db} before pytest starts "
                f"(createdb -T {self.db} {self.template})"
            )

    def copy_db(self, name):
        """A fresh copy of the template named ``name`` (dropped first)."""
        assert name.startswith(self.db), name
        self.drop_db(name)
        for attempt in range(10):
            try:
                self.sql(
                    "postgres", f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'
                )
                break
            except psycopg2.errors.ObjectInUse:
                if attempt == 9:
                    raise
                time.sleep(1 + attempt)
        src = Path(self.data_dir, "filestore", self.template)
        if self.data_dir and src.is_dir():
            dst = Path(self.data_dir, "filestore", name)
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst)
        return name

    def drop_db(self, name):
        assert name.startswith(self.db) and name != self.db, name
        self.sql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self.data_dir:
            shutil.rmtree(Path(self.data_dir, "filestore", name), ignore_errors=True)

    # -- odoo-bin --------------------------------------------------------
    def command(self, db, *args):
        cmd = [sys.executable, odoo_bin(), "-c", self.conf]
        if db:
            cmd += ["-d", db]
        if self.addons_path:
            cmd.append(f"--addons-path={self.addons_path}")
        return cmd + list(args)

    def shell_command(self, db, *args):
        """``odoo-bin shell`` on db, reading its script from stdin."""
        cmd = [sys.executable, odoo_bin(), "shell", "-c", self.conf, "-d", db]
        if self.addons_path:
            cmd.append(f"--addons-path={self.addons_path}")
        return cmd + ["--no-http", "--log-level=warn", *args]

    def run(self, db, *args, timeout=900, script=None):
        """odoo-bin (``shell`` when script is given) to the end: its output."""
        if script is not None:
            cmd = self.shell_command(db, *args)
        else:
            cmd = self.command(db, *args)
        proc = subprocess.run(
            cmd,
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert proc.returncode == 0, (
            f"{' '.join(cmd[:6])} exited {proc.returncode}:\n{proc.stdout[-3000:]}"
            f"\n{proc.stderr[-5000:]}"
        )
        return proc.stdout + proc.stderr

    def shell_json(self, db, script):
        """Run a Python script in ``odoo-bin shell``; it prints one line
        ``QMSJSON <json>``: that value."""
        out = self.run(db, script=script)
        match = re.search(r"^QMSJSON (.*)$", out, re.M)
        assert match, out[-5000:]
        return json.loads(match.group(1))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """``odoo-bin`` serving one database on 127.0.0.1 in a subprocess."""

    def __init__(
        self, env, db, logfile, workers=2, extra=(), db_port=None, db_host=None
    ):
        self.env = env
        self.db = db
        self.logfile = Path(logfile)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [
            f"--db-filter=^{re.escape(db)}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--limit-time-real=120",
            "--limit-time-cpu=60",
            "--limit-request=100000",
            f"--logfile={self.logfile}",
            "--log-level=info",
            *extra,
        ]
        if db_port:
            args.append(f"--db_port={db_port}")
        if db_host:
            args.append(f"--db_host={db_host}")
        # no -d: with a database named on the command line the prefork master
        # loads its registry and, when it must start a worker while
        # PostgreSQL is down, fails to check it and stops the whole server
        # (tests/test_faults.py); --db-filter alone serves the database
        self.cmd = env.command(None, *args)
        self.proc = None

    def start(self, timeout=180):
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        self.logfile.write_text("")
        self.proc = subprocess.Popen(
            self.cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            assert self.proc.poll() is None, f"odoo-bin died:\n{self.log()[-4000:]}"
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).status_code == 200:
                    # the first request of a worker loads the registry
                    requests.get(f"{self.url}/web/login", timeout=120)
                    return self
            except requests.RequestException as exc:
                _logger.debug("server not up yet: %s", exc)
            time.sleep(0.5)
        self.stop()
        raise AssertionError(
            f"odoo-bin did not answer /web/health:\n{self.log()[-4000:]}"
        )

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        self.proc = None

    def log(self):
        try:
            return self.logfile.read_text(errors="replace")
        except OSError:
            return ""

    def tracebacks(self):
        return self.log().count("Traceback (most recent call last)")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def new_session():
    """A requests session that closes its connection after each request.

    A prefork worker serves one connection at a time: a kept-alive idle
    connection would hold a worker (in production a proxy sits in front).
    """
    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


def csrf_of(html):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    return match.group(1) if match else None


def login(session, url, login_name, password):
    """Log a requests session in through /web/login (as a browser)."""
    page = session.get(f"{url}/web/login", timeout=60)
    response = session.post(
        f"{url}/web/login",
        data={
            "login": login_name,
            "password": password,
            "csrf_token": csrf_of(page.text),
        },
        timeout=60,
        allow_redirects=False,
    )
    assert response.status_code in (302, 303), (
        response.status_code,
        response.text[:500],
    )
    return session


def jsonrpc(session, url, route, params, timeout=60):
    response = session.post(
        f"{url}{route}",
        json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
        timeout=timeout,
    )
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        raise RuntimeError(
            body["error"].get("data", {}).get("message") or body["error"]
        )
    return body.get("result")
