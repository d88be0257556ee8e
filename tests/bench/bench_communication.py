#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Communication rules benchmark (ISO 9001 7.4, 8.2.1 b).

1. ``communication_order_confirm``: confirm N one-line quotations in the
   database with our addons (QMS_BENCH_DB_FULL) with the seeded order-status
   rules active (each confirmation renders and queues the "order confirmed"
   notice, logs the communication and tags the customer's history) and with
   every communication rule switched off (same database, same round setup).
   Ratio = on / off (medians), goal <= 2.5: the price of one notice mail per
   order. ``info`` also gives stock Odoo (QMS_BENCH_DB_BASE), which sends
   nothing on confirmation.
2. ``communication_periodic_queries``: a periodic rule (every 90 days, a
   tagged customer segment, a planned call for the salesperson) run by its
   cron over N customers in the full database; queries per customer divided
   by the budget of 45 queries per customer (activity + log + history note),
   goal <= 1.0. ``info`` gives seconds per customer.

Databases are measured in alternation after an untimed warm-up; every round
runs in a transaction that is rolled back. Environment: QMS_ODOO_CONF,
QMS_BENCH_DB_BASE, QMS_BENCH_DB_FULL; QMS_BENCH_N (default 100),
QMS_BENCH_ROUNDS (default 3). Exit code 3 when a goal is missed.
"""

import statistics
import sys
import time

import benchlib

CONFIRM_GOAL = 2.5
PERIODIC_BUDGET = 45.0  # queries per customer
OUR_ADDONS = ("qms_crm",)


def _customers(env, n, tag, **extra):
    return env["res.partner"].create(
        [
            dict(
                {
                    "name": f"Bench comm customer {tag}-{i}",
                    "is_company": True,
                    "email": f"bench.comm.{tag}.{i}@example.com",
                    "user_id": env.uid,
                },
                **extra,
            )
            for i in range(n)
        ]
    )


def _confirm_workload(env, n, tag, rules_off=False):
    from odoo import Command  # noqa: PLC0415

    if rules_off:
        # inside the rolled-back round: the communication rules switched off
        env["qms.communication.rule"].sudo().search([]).write({"active": False})

    product = env["product.product"].create(
        {"name": f"Bench comm widget {tag}", "type": "consu", "list_price": 9.0}
    )
    partners = _customers(env, n, tag)
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                ],
            }
            for partner in partners
        ]
    )
    benchlib.flush(env)
    start = time.perf_counter()
    for order in orders:
        order.action_confirm()
    benchlib.flush(env)
    seconds = time.perf_counter() - start
    if "qms.communication" in env:
        sent = env["qms.communication"].search_count(
            [("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        )
        if sent != (0 if rules_off else n):
            raise SystemExit(f"error: {sent} order notices for {n} orders")
    return seconds


def _periodic_workload(env, n, tag):
    from odoo import Command  # noqa: PLC0415

    category = env["res.partner.category"].create({"name": f"Bench key {tag}"})
    _customers(env, n, tag, category_id=[Command.set(category.ids)])
    topic = env["qms.communication.topic"].create({"name": f"Bench topic {tag}"})
    env["qms.communication.rule"].create(
        {
            "name": f"Bench periodic {tag}",
            "topic_id": topic.id,
            "model_id": env["ir.model"]._get("res.partner").id,
            "trigger": "periodic",
            "interval_days": 90,
            "segment_tag_ids": [Command.set(category.ids)],
            "action_kind": "call",
            "responsible_kind": "salesperson",
        }
    )
    # only our rule runs: switch the others off inside this rolled-back round
    env["qms.communication.rule"].search(
        [("trigger", "=", "periodic"), ("name", "!=", f"Bench periodic {tag}")]
    ).write({"active": False})
    benchlib.flush(env)
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    done = env["qms.communication.rule"]._cron_run_periodic_rules(batch_size=200)
    benchlib.flush(env)
    seconds = time.perf_counter() - start
    if done != n:
        raise SystemExit(f"error: the periodic rule reached {done} of {n} customers")
    return seconds, env.cr.sql_log_count - queries


def _confirm_rules_off(env, n, tag):
    return _confirm_workload(env, n, tag, rules_off=True)


def _restore_automations(registry):
    """Switching the rules off re-patched the models in this process; the
    round was rolled back, so patch them again from the database."""
    from odoo import api  # noqa: PLC0415

    with registry.cursor() as cr:
        automation = api.Environment(cr, api.SUPERUSER_ID, {})["base.automation"]
        automation._unregister_hook()
        automation._register_hook()
        cr.rollback()


def main():
    # 100 x 3 rounds x 3 databases is already ~1 000 confirmations
    n = benchlib.env_int("QMS_BENCH_N", 100)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 3)
    conf, db_base, db_full = benchlib.require_env(
        benchlib.CONF, benchlib.DB_BASE, benchlib.DB_FULL
    )
    benchlib.setup_odoo(conf)
    registries = benchlib.open_registries(db_base, db_full)
    benchlib.check_installed(registries, OUR_ADDONS)

    runs = {
        "base": (registries["base"], _confirm_workload),
        "off": (registries["full"], _confirm_rules_off),
        "full": (registries["full"], _confirm_workload),
    }
    for label, (registry, func) in runs.items():
        benchlib.rolled_back(registry, func, max(10, n // 10), f"w{label}")
        if label == "off":
            _restore_automations(registry)
    samples = {label: [] for label in runs}
    for r in range(rounds):
        for label in benchlib.alternate(runs, r):
            registry, func = runs[label]
            samples[label].append(
                benchlib.rolled_back(registry, func, n, f"{r}{label}")
            )
            if label == "off":
                _restore_automations(registry)
    base = statistics.median(samples["base"])
    off = statistics.median(samples["off"])
    full = statistics.median(samples["full"])
    missed = []
    benchlib.report(
        "communication_order_confirm", benchlib.ratio(full, off), CONFIRM_GOAL, missed
    )

    benchlib.rolled_back(registries["full"], _periodic_workload, max(10, n // 10), "pw")
    periodic = [
        benchlib.rolled_back(registries["full"], _periodic_workload, n, f"p{r}")
        for r in range(rounds)
    ]
    seconds = statistics.median(s for s, _q in periodic)
    queries = statistics.median(q for _s, q in periodic)
    per_customer = queries / n
    benchlib.report(
        "communication_periodic_queries", per_customer / PERIODIC_BUDGET, 1.0, missed
    )
    benchlib.out(
        f"info communication_order_confirm: rules off={off:.3f}s on={full:.3f}s "
        f"stock={base:.3f}s ({off / n * 1000:.1f} / {full / n * 1000:.1f} / "
        f"{base / n * 1000:.1f} ms per order; on vs stock ratio {full / base:.2f}; "
        f"median of {rounds} rounds, n={n}, {db_full} vs {db_base})"
    )
    benchlib.out(
        f"info communication_periodic_queries: {per_customer:.1f} queries and "
        f"{seconds / n * 1000:.1f} ms per customer (budget {PERIODIC_BUDGET:.0f} "
        f"queries; median of {rounds} rounds, n={n}, {db_full})"
    )
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
