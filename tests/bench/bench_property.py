#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Property register and personal data benchmark: work only qms_crm does.

In the database with our addons (QMS_BENCH_DB_FULL), as the administrator (a
data protection officer), in rounds that are rolled back:

* ``property_incident_notice`` — record N incidents on N items of one owner
  in one ``create``: each emails the owner (template rendered, message and
  mail queued) and stamps the notice. Budget 0.25 s per incident: incidents
  are recorded one at a time by a person, and most of the cost is Odoo's
  mail composer, run once per notice (one owner, one message each).
* ``dsr_export`` — build the personal data ZIP of a person with N leads,
  N tickets and N orders (with their lines). Budget 0.002 s per record.
* ``dsr_overdue_cron`` — N overdue data subject requests, one cron run that
  plans their activities. Budget 0.005 s per request; the queries of the run
  are printed too (they must not grow with N: one batch).

Ratio = median seconds per unit / budget (see tests/bench/README.md); exit
code 3 when a goal is missed.

Environment: QMS_ODOO_CONF, QMS_BENCH_DB_FULL (QMS_BENCH_DB_BASE is not used:
stock Odoo has nothing to compare with); QMS_BENCH_N (default 200) and
QMS_BENCH_ROUNDS (default 3).
"""

import statistics
import sys
from datetime import date

import benchlib

GOAL = 1.0
BUDGETS = {
    "property_incident_notice": 0.25,
    "dsr_export": 0.002,
    "dsr_overdue_cron": 0.005,
}


def _workload(env, n, tag):
    """{measure: (seconds, units, queries)} for one round."""
    from odoo import Command  # noqa: PLC0415

    results = {}
    owner = env["res.partner"].create(
        {"name": f"Bench owner {tag}", "is_company": True, "email": "own@example.com"}
    )
    items = env["qms.property"].create(
        [
            {
                "name": f"Bench mould {tag}-{i}",
                "kind": "equipment",
                "partner_id": owner.id,
            }
            for i in range(n)
        ]
    )
    env.flush_all()
    _, seconds, queries = benchlib.timed(
        env,
        lambda: env["qms.property.incident"].create(
            [
                {
                    "property_id": item.id,
                    "kind": "damaged",
                    "description": "Dented during unloading.",
                }
                for item in items
            ]
        ),
    )
    results["property_incident_notice"] = (seconds, n, queries)

    person = env["res.partner"].create(
        {"name": f"Bench person {tag}", "email": "person@example.com", "phone": "1"}
    )
    product = env["product.product"].create({"name": f"Bench item {tag}"})
    env["crm.lead"].create(
        [{"name": f"Lead {i}", "partner_id": person.id} for i in range(n)]
    )
    env["helpdesk.ticket"].create(
        [
            {"name": f"Ticket {i}", "description": "<p>x</p>", "partner_id": person.id}
            for i in range(n)
        ]
    )
    env["sale.order"].create(
        [
            {
                "partner_id": person.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
            for _i in range(n)
        ]
    )
    env.flush_all()
    (_content, counts), seconds, queries = benchlib.timed(
        env, person._qms_personal_data_export_zip
    )
    results["dsr_export"] = (seconds, sum(counts.values()), queries)

    env["qms.data.request"].create(
        [
            {
                "partner_id": person.id,
                "kind": "access",
                "received_date": date(2020, 1, 1),
            }
            for _i in range(n)
        ]
    )
    env.flush_all()
    done, seconds, queries = benchlib.timed(
        env, lambda: env["qms.data.request"]._cron_notify_overdue(batch_size=n)
    )
    results["dsr_overdue_cron"] = (seconds, done, queries)
    return results


def main():
    n = benchlib.env_int("QMS_BENCH_N", 200)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 3)
    conf, db_full = benchlib.require_env(benchlib.CONF, benchlib.DB_FULL)
    benchlib.setup_odoo(conf)
    registry = benchlib.open_registry(db_full)
    if "qms.property" not in registry:
        sys.exit(f"error: {db_full} has no qms_crm property register installed")

    benchlib.rolled_back(registry, _workload, max(10, n // 10), "warm")
    samples = [
        benchlib.rolled_back(registry, _workload, n, f"r{r}") for r in range(rounds)
    ]

    missed = []
    for name, budget in BUDGETS.items():
        per_unit = statistics.median(s[name][0] / max(s[name][1], 1) for s in samples)
        benchlib.report(name, per_unit / budget, GOAL, missed)
    for name, budget in BUDGETS.items():
        seconds = statistics.median(s[name][0] for s in samples)
        units = samples[0][name][1]
        queries = statistics.median(s[name][2] for s in samples)
        benchlib.out(
            f"info {name}: {seconds:.3f}s for {units} units "
            f"({seconds / max(units, 1) * 1000:.2f} ms each, budget "
            f"{budget * 1000:.1f} ms), {queries:.0f} queries; median of {rounds} "
            f"rounds, n={n}, {db_full}"
        )
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
