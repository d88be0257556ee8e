#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Foundation benchmark: what our addons cost on everyday sales records.

Create and write N partners, N leads and N sale orders (one line each) in the
database with our three addons (QMS_BENCH_DB_FULL) and in the one with only
their dependencies (QMS_BENCH_DB_BASE), both opened in this one process. The
databases are measured in alternation (round 1: base then full, round 2: full
then base, ...) after one untimed warm-up round each, and the medians per
database are compared. Every round runs in a transaction that is rolled back,
so the databases stay as they were.

Each timed step includes what a commit would run: the ORM flush and the
precommit hooks (mail tracking). Work runs as the administrator (not as
superuser), so that access rights and record rules are part of the cost.

Output (see tests/bench/README.md)::

    foundation_partners: ratio=<x.xx> (goal <= 1.15)
    foundation_leads: ratio=<x.xx> (goal <= 1.15)
    foundation_sale_orders: ratio=<x.xx> (goal <= 1.15)
    foundation_total: ratio=<x.xx> (goal <= 1.15)

plus ``info ...`` lines with the absolute medians. The ratios are reported,
not asserted: the exit code is 0 even when one misses its goal (set
QMS_BENCH_STRICT=1 to exit 3 then), and non-zero when something fails.

Environment: QMS_ODOO_CONF, QMS_BENCH_DB_BASE, QMS_BENCH_DB_FULL (set by
scripts/bench.sh); QMS_BENCH_N (records per kind, default 1000) and
QMS_BENCH_ROUNDS (timed rounds per database, default 5) for quick runs;
QMS_BENCH_VERBOSE=1 prints every round's timings.
"""

import gc
import os
import statistics
import sys
import threading
import time

GOAL = 1.15
OUR_ADDONS = ("qms_crm", "qms_crm_survey", "qms_crm_recall")
KINDS = ("partners", "leads", "sale_orders")


def _out(line):
    """One line of the report on stdout (pylint-odoo objects to print())."""
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def _env_int(name, default):
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        sys.exit(f"error: {name} must be a positive integer, got {raw!r}")
    return value


def _settings():
    missing = [
        name
        for name in ("QMS_ODOO_CONF", "QMS_BENCH_DB_BASE", "QMS_BENCH_DB_FULL")
        if not os.environ.get(name)
    ]
    if missing:
        sys.exit(
            f"error: {', '.join(missing)} not set; run it through 'make bench' "
            "(scripts/bench.sh) or set them by hand"
        )
    return (
        os.environ["QMS_ODOO_CONF"],
        os.environ["QMS_BENCH_DB_BASE"],
        os.environ["QMS_BENCH_DB_FULL"],
    )


# ----------------------------------------------------------------------
# The work
# ----------------------------------------------------------------------
def _timed(env, func):
    """Run func() and everything a commit would run after it; return
    (result, seconds)."""
    start = time.perf_counter()
    result = func()
    env.flush_all()
    env.cr.flush()  # precommit hooks: mail tracking values and messages
    env.flush_all()
    return result, time.perf_counter() - start


def _workload(env, n, tag):
    """Create then write n partners, n leads, n sale orders; return the
    seconds spent per kind as {kind: (create, write)}."""
    from odoo import Command  # noqa: PLC0415

    product = env["product.product"].create(
        {"name": f"Bench widget {tag}", "type": "consu", "list_price": 12.5}
    )
    env.flush_all()
    times = {}

    partners, t_create = _timed(
        env,
        lambda: env["res.partner"].create(
            [
                {
                    "name": f"Bench customer {tag}-{i}",
                    "is_company": True,
                    "email": f"bench.{tag}.{i}@example.com",
                    "street": f"{i} Bench Street",
                    "city": "Benchville",
                }
                for i in range(n)
            ]
        ),
    )
    _, t_write = _timed(
        env,
        lambda: partners.write(
            {"phone": "+1 555 0100", "ref": f"B{tag}", "comment": "<p>Benchmarked</p>"}
        ),
    )
    times["partners"] = (t_create, t_write)

    leads, t_create = _timed(
        env,
        lambda: env["crm.lead"].create(
            [
                {
                    "name": f"Bench opportunity {tag}-{i}",
                    "type": "opportunity",
                    "partner_id": partners[i].id,
                    "expected_revenue": 1000 + i,
                }
                for i in range(n)
            ]
        ),
    )
    _, t_write = _timed(
        env,
        lambda: leads.write(
            {"priority": "2", "expected_revenue": 5000, "description": "<p>Bench</p>"}
        ),
    )
    times["leads"] = (t_create, t_write)

    orders, t_create = _timed(
        env,
        lambda: env["sale.order"].create(
            [
                {
                    "partner_id": partners[i].id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 2})
                    ],
                }
                for i in range(n)
            ]
        ),
    )
    _, t_write = _timed(
        env,
        lambda: orders.write(
            {"client_order_ref": f"BENCH-{tag}", "note": "<p>Bench note</p>"}
        ),
    )
    times["sale_orders"] = (t_create, t_write)
    return times


def _round(registry, n, tag):
    """One rolled-back round in the registry's database."""
    from odoo import api  # noqa: PLC0415

    threading.current_thread().dbname = registry.db_name
    gc.collect()
    with registry.cursor() as cr:
        try:
            root = api.Environment(cr, api.SUPERUSER_ID, {})
            admin = root.ref("base.user_admin")
            env = api.Environment(cr, admin.id, admin.context_get())
            return _workload(env, n, tag)
        finally:
            cr.rollback()


def _check_databases(registries):
    """The comparison only means something when the full database has our
    addons and the base one has none of them."""
    for label, registry in registries.items():
        with registry.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' "
                "AND name IN %s",
                [OUR_ADDONS],
            )
            installed = sorted(row[0] for row in cr.fetchall())
            cr.rollback()
        expected = sorted(OUR_ADDONS) if label == "full" else []
        if installed != expected:
            raise SystemExit(
                f"error: database {registry.db_name} ({label}) has "
                f"{installed or 'none'} of our addons installed, expected "
                f"{expected or 'none'}"
            )


# ----------------------------------------------------------------------
def main():
    n = _env_int("QMS_BENCH_N", 1000)
    rounds = _env_int("QMS_BENCH_ROUNDS", 5)
    conf, db_base, db_full = _settings()

    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", conf, "--log-level=warn"], setup_logging=True)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    registries = {}
    for label, db in (("base", db_base), ("full", db_full)):
        threading.current_thread().dbname = db
        registries[label] = Registry(db)
    _check_databases(registries)

    # untimed warm-up: ormcache, prefetch paths, PostgreSQL buffers
    for label, registry in registries.items():
        _round(registry, max(10, n // 10), f"w{label}")

    verbose = os.environ.get("QMS_BENCH_VERBOSE", "").strip() in {"1", "true", "yes"}
    samples = {label: [] for label in registries}
    for r in range(rounds):
        order = ("base", "full") if r % 2 == 0 else ("full", "base")
        for label in order:
            times = _round(registries[label], n, f"{r}{label}")
            samples[label].append(times)
            if verbose:
                detail = " ".join(f"{k}={sum(times[k]):.3f}s" for k in KINDS)
                _out(f"info round {r + 1} {label}: {detail}")

    def median(label, kind=None, part=None):
        values = []
        for times in samples[label]:
            kinds = [kind] if kind else KINDS
            if part is None:
                values.append(sum(sum(times[k]) for k in kinds))
            else:
                values.append(sum(times[k][part] for k in kinds))
        return statistics.median(values)

    missed = []
    for kind in (*KINDS, None):
        name = f"foundation_{kind or 'total'}"
        base, full = median("base", kind), median("full", kind)
        ratio = full / base if base else float("inf")
        if ratio > GOAL:
            missed.append(name)
        _out(f"{name}: ratio={ratio:.2f} (goal <= {GOAL:.2f})")
    for kind in (*KINDS, None):
        name = f"foundation_{kind or 'total'}"
        _out(
            f"info {name}: base={median('base', kind):.3f}s "
            f"full={median('full', kind):.3f}s "
            f"(create {median('base', kind, 0):.3f}s/{median('full', kind, 0):.3f}s, "
            f"write {median('base', kind, 1):.3f}s/{median('full', kind, 1):.3f}s "
            f"base/full; median of {rounds} rounds, n={n}, "
            f"{db_base} vs {db_full})"
        )
    if missed:
        _out(f"info goal missed by: {', '.join(missed)}")
        if os.environ.get("QMS_BENCH_STRICT", "").strip() in {"1", "true", "yes"}:
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
