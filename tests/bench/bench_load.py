#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load: 50 portal customers and 10 staff on a 2-worker server (issue 22).

On a copy of ``QMS_BENCH_DB_DEMO`` (our addons with demo data, made by
``scripts/bench.sh``), ``odoo-bin --workers=2 --max-cron-threads=1`` serves
real HTTP on 127.0.0.1. ``tests/qms_load.py`` creates the users and their
data beforehand (customers with their own orders, requirement, recall and
survey tokens; staff with orders to confirm), logs everyone in, then runs
``QMS_LOAD_SECONDS`` (default 300) seconds of:

* 50 customers (``QMS_LOAD_CUSTOMERS``): complaints through the helpdesk
  portal form (kind, order, attachment, the form's CSRF token), requirement
  confirmations, surveys, recall acknowledgements, their order list;
* 10 staff (``QMS_LOAD_STAFF``), JSON-RPC: orders confirmed through the
  requirement review gate and complaints closed, each order and complaint
  handed to two agents at once.

Every user waits a random think time between two actions (exponential,
mean ``QMS_LOAD_THINK`` seconds, default 2): 60 people using the system, not
60 loops without pause (that would measure the queue in front of two
workers, not what a user waits).

Output: requests/s, p50/p95/p99 per route, answers other than success by
route and class, then the goals::

    load_http_5xx: ratio=<n> (goal <= 0.00)
    load_lost_or_duplicated: ratio=<n> (goal <= 0.00)
    load_p95_vs_budget: ratio=<p95 / 1 s> (goal <= 1.00)

The second counts what the database shows against the clients' log
(``qms_load.verify``: every complaint answered with success present once
with its kind, order, attachment and receipt mail; nothing written that was
refused; no order confirmed twice; ...), after the receipt cron has run.
Errors reaching a client (a 4xx other than the gate's expected refusals, a
dropped connection) and a client thread failing count as missed goals too.

Baseline: none is honest here (README): the stock routes of helpdesk_mgmt,
survey and portal are the ones we extend, in the same database; stock Odoo's
``/my/orders`` (portal's order list, untouched by us) is timed in the same
run and printed as an ``info`` reference, not judged.
"""

import math
import os
import sys
import time
import types
from pathlib import Path

import benchlib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qms_load  # noqa: E402
from qms_server import OdooEnv, OdooServer  # noqa: E402

GOAL_P95 = 1.0


def _odoo_env(conf, template):
    options = {
        "--odoo-config": conf,
        "--odoo-addons-path": None,
        "--odoo-database": "qms_bench",
    }
    env = OdooEnv(types.SimpleNamespace(getoption=options.get))
    env.template = template
    if not env.db_exists(template):
        sys.exit(f"error: database {template} is missing (make bench creates it)")
    return env


def main():
    (conf,) = benchlib.require_env(benchlib.CONF)
    template = os.environ.get("QMS_BENCH_DB_DEMO") or "qms_bench_demo"
    seconds = benchlib.env_int("QMS_LOAD_SECONDS", 300)
    customers = benchlib.env_int("QMS_LOAD_CUSTOMERS", 50)
    staff = benchlib.env_int("QMS_LOAD_STAFF", 10)
    think = float(os.environ.get("QMS_LOAD_THINK") or 2.0)
    # enough tokens that no customer runs out (a quarter of the actions each)
    items = math.ceil(seconds / think / 4 * 1.5) + 3
    orders = math.ceil(staff * seconds / think / 4 * 1.5) + 4
    env = _odoo_env(conf, template)
    db = env.copy_db("qms_bench_load")
    missed = []
    try:
        started = time.time()
        data = env.shell_json(
            db,
            qms_load.SETUP
            % {
                "customers": customers,
                "staff": staff,
                "items": items,
                "orders": orders,
                "reviews": 2 * staff,
            },
        )
        benchlib.out(
            f"info setup: {customers} customers ({items} requirement, recall and "
            f"survey tokens each), {staff} staff, {orders} gate orders in "
            f"{time.time() - started:.0f} s"
        )
        logfile = Path(env.data_dir or "/tmp", "bench-load-odoo.log")
        server = OdooServer(
            env,
            db,
            logfile,
            workers=2,
            extra=[f"--database={db}", "--max-cron-threads=1"],
        )
        with server:
            load = qms_load.Load(server.url, db, data, think=think, seed=22)
            elapsed = load.run(seconds)
            alive = server.alive()
            pending = qms_load.wait_for_receipts(lambda: env.connect(db))
        figures = load.figures(elapsed)
        benchlib.out(
            f"info load: {customers} customers + {staff} staff, 2 workers + 1 cron "
            f"worker, think time {think:.1f} s, {elapsed:.0f} s"
        )
        for line in qms_load.Load.figure_lines(figures):
            benchlib.out(f"info {line}")
        stock = figures["routes"].get("my orders (stock)")
        if stock:
            benchlib.out(
                f"info reference: stock /my/orders p95 {stock['p95']:.3f} s "
                f"(no honest baseline for the routes we extend: README)"
            )
        checked, problems = qms_load.verify(load, lambda: env.connect(db))
        for line in checked:
            benchlib.out(f"info checked {line}")
        for line in problems + load.client_errors[:10]:
            benchlib.out(f"info PROBLEM {line}")
        log = server.log()
        benchlib.out(
            f"info server: alive {alive}, tracebacks "
            f"{log.count('Traceback (most recent call last)')}, receipts still "
            f"pending {pending}, client threads hung {load.hung}"
        )
        expected = tuple(f"rpc {name}" for name, _p in qms_load.EXPECTED_RPC)
        errors = sum(
            n for what, n in figures["outcomes"].items() if not what.endswith(expected)
        )
        benchlib.report("load_http_5xx", figures["http_5xx"], 0, missed)
        benchlib.report("load_lost_or_duplicated", len(problems), 0, missed)
        benchlib.report("load_p95_vs_budget", figures["p95"] / GOAL_P95, 1.0, missed)
        benchlib.report(
            "load_client_errors",
            errors + len(load.client_errors) + load.hung,
            0,
            missed,
        )
        if not alive or pending:
            missed.append("load_server")
    finally:
        env.drop_db(db)
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
