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

plus ``info ...`` lines with the absolute medians. Exit code 3 when a goal is
missed, non-zero when something fails.

Environment: QMS_ODOO_CONF, QMS_BENCH_DB_BASE, QMS_BENCH_DB_FULL (set by
scripts/bench.sh); QMS_BENCH_N (records per kind, default 1000) and
QMS_BENCH_ROUNDS (timed rounds per database, default 5) for quick runs;
QMS_BENCH_VERBOSE=1 prints every round's timings.
"""

import os
import statistics
import sys

import benchlib

GOAL = 1.15
OUR_ADDONS = ("qms_crm", "qms_crm_survey", "qms_crm_recall")
KINDS = ("partners", "leads", "sale_orders")


# ----------------------------------------------------------------------
# The work
# ----------------------------------------------------------------------
def _timed(env, func):
    """Run func() and everything a commit would run after it; return
    (result, seconds)."""
    result, seconds, _queries = benchlib.timed(env, func)
    return result, seconds


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


# ----------------------------------------------------------------------
def main():
    n = benchlib.env_int("QMS_BENCH_N", 1000)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 5)
    conf, db_base, db_full = benchlib.require_env(
        benchlib.CONF, benchlib.DB_BASE, benchlib.DB_FULL
    )
    benchlib.setup_odoo(conf)
    registries = benchlib.open_registries(db_base, db_full)
    # the comparison only means something when the full database has our
    # addons and the base one has none of them
    benchlib.check_installed(registries, OUR_ADDONS)

    # untimed warm-up: ormcache, prefetch paths, PostgreSQL buffers
    for label, registry in registries.items():
        benchlib.rolled_back(registry, _workload, max(10, n // 10), f"w{label}")

    verbose = os.environ.get("QMS_BENCH_VERBOSE", "").strip() in {"1", "true", "yes"}
    samples = {label: [] for label in registries}
    for r in range(rounds):
        for label in benchlib.alternate(("base", "full"), r):
            times = benchlib.rolled_back(registries[label], _workload, n, f"{r}{label}")
            samples[label].append(times)
            if verbose:
                detail = " ".join(f"{k}={sum(times[k]):.3f}s" for k in KINDS)
                benchlib.out(f"info round {r + 1} {label}: {detail}")

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
        benchlib.report(name, benchlib.ratio(full, base), GOAL, missed)
    for kind in (*KINDS, None):
        name = f"foundation_{kind or 'total'}"
        benchlib.out(
            f"info {name}: base={median('base', kind):.3f}s "
            f"full={median('full', kind):.3f}s "
            f"(create {median('base', kind, 0):.3f}s/{median('full', kind, 0):.3f}s, "
            f"write {median('base', kind, 1):.3f}s/{median('full', kind, 1):.3f}s "
            f"base/full; median of {rounds} rounds, n={n}, "
            f"{db_base} vs {db_full})"
        )
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
