#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer alerts and ABC benchmark: work only our addon does, at scale.

In the database with our addons (QMS_BENCH_DB_FULL), generate with SQL N
customers with 4 confirmed sales orders each (one customer in ten stopped
buying: every 10 days until 100 days ago; the others buy every 30 days; one
in fifty has a 10-day-old complaint without reply or activity), then:

1. run the daily alert cron (``res.partner._cron_qms_customer_alerts``) and
   count its queries, for N = 5 000 and N = 50 000 (QMS_BENCH_SIZES). The
   cron must cost O(batches), not O(customers): the queries per batch (one
   create of up to BATCH alerts) at the largest size are compared with the
   smallest (goal <= 1.25, asserted: exit 4 when missed). BATCH is 100, so
   that both sizes fill their batches: Odoo inserts records in chunks of 100,
   so a full batch of 1 000 costs more queries than a short one and the
   ratio would measure how full the batches are, not the customers;
2. time the ABC recompute (``res.partner._qms_recompute_abc``: one SQL pass
   that writes the changed classes) at the largest size against raw SQL on
   the same data (goal <= 2.00): the first run (every customer gets a class)
   against a window-function query with a plain UPDATE of the classes, the
   daily run (nothing changed) against the window-function query alone.

Every size works on a throw-away copy of the database (CREATE DATABASE ...
TEMPLATE) with the generated data committed, so that the work sees rows of
earlier transactions as in real life; the copy is dropped at the end and the
measured work is rolled back. Output (see tests/bench/README.md)::

    customer_alerts_queries_per_batch: ratio=<x.xx> (goal <= 1.25)
    customer_abc_first_run: ratio=<x.xx> (goal <= 2.00)
    customer_abc_daily_run: ratio=<x.xx> (goal <= 2.00)

plus ``info`` lines with the query counts, batches and seconds. Exit code 3
when a goal is missed.

Environment: QMS_ODOO_CONF, QMS_BENCH_DB_FULL (set by scripts/bench.sh);
QMS_BENCH_SIZES (default "5000,50000"), QMS_BENCH_ROUNDS (ABC timings,
median of, default 3).
"""

import os
import statistics
import sys
import time
from datetime import timedelta

import benchlib

QUERY_GOAL = 1.25  # a full batch costs a few queries more than a short one
ABC_GOAL = 2.0
BATCH = 100  # see the docstring; the scheduled cron uses 1 000
ORDERS_PER_CUSTOMER = 4
DROPPED_EVERY = 10  # one customer in ten stopped buying
COMPLAINT_EVERY = 50  # one in fifty has a complaint without follow-up


def _settings():
    conf, db_full = benchlib.require_env(benchlib.CONF, benchlib.DB_FULL)
    sizes = [
        int(s) for s in (os.environ.get("QMS_BENCH_SIZES") or "5000,50000").split(",")
    ]
    rounds = int(os.environ.get("QMS_BENCH_ROUNDS") or 3)
    if not sizes or min(sizes) < 1 or rounds < 1:
        sys.exit("error: QMS_BENCH_SIZES and QMS_BENCH_ROUNDS must be positive")
    return conf, db_full, sorted(sizes), rounds


# ----------------------------------------------------------------------
def _generate(env, n):
    """n customers with 4 confirmed orders each, by SQL; returns the number
    of alerts expected (dropped rhythm + complaints without follow-up)."""
    cr = env.cr
    company = env.ref("base.main_company")
    users = env["res.users"].create(
        [
            {"name": f"C360 bench salesman {i}", "login": f"c360bench{i}"}
            for i in range(3)
        ]
    )
    env.flush_all()
    cr.execute(
        """INSERT INTO res_partner (name, complete_name, is_company, active, type,
               autopost_bills, user_id, customer_rank, create_date, write_date)
           SELECT 'C360 bench ' || g, 'C360 bench ' || g, TRUE, TRUE, 'contact',
                  'ask', (%s::int[])[1 + g %% 3], 1, now(), now()
             FROM generate_series(1, %s) g""",
        [users.ids, n],
    )
    cr.execute(
        """UPDATE res_partner SET commercial_partner_id = id
            WHERE name LIKE 'C360 bench %%' AND commercial_partner_id IS NULL"""
    )
    cr.execute(
        """INSERT INTO sale_order (name, partner_id, partner_invoice_id,
               partner_shipping_id, company_id, currency_id, date_order, state,
               picking_policy, amount_untaxed, amount_tax, amount_total,
               currency_rate, user_id, create_date, write_date)
           SELECT 'C360B' || p.id || '-' || k, p.id, p.id, p.id, %s, %s,
                  now() - make_interval(days => CASE WHEN p.id %% %s = 0
                                                THEN 100 + 10 * k ELSE 5 + 30 * k END),
                  'sale', 'direct', a.amount, 0, a.amount, 1, p.user_id, now(), now()
             FROM res_partner p
            CROSS JOIN generate_series(0, %s) k
            CROSS JOIN LATERAL (
                SELECT ((p.id * 7919 + k * 104729) %% 5000)::numeric AS amount) a
            WHERE p.name LIKE 'C360 bench %%'""",
        [
            company.id,
            company.currency_id.id,
            DROPPED_EVERY,
            ORDERS_PER_CUSTOMER - 1,
        ],
    )
    # one customer in fifty has a complaint nobody followed up (the other
    # kind of alert); the stage is the first open one
    cr.execute(
        """INSERT INTO helpdesk_ticket (number, name, description, company_id,
               partner_id, commercial_partner_id, stage_id, qms_feedback_kind,
               qms_confirmation_state, active, create_date, write_date)
           SELECT 'C360T' || p.id, 'Damaged delivery', '<p>Damaged</p>', %s,
                  p.id, p.id,
                  (SELECT id FROM helpdesk_ticket_stage
                    WHERE NOT closed ORDER BY sequence, id LIMIT 1),
                  'complaint', 'none', TRUE, now() - interval '10 days', now()
             FROM res_partner p
            WHERE p.name LIKE 'C360 bench %%' AND p.id %% %s = 1""",
        [company.id, COMPLAINT_EVERY],
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE sale_order")
    cr.execute(
        """SELECT count(*) FILTER (WHERE id %% %s = 0),
                  count(*) FILTER (WHERE id %% %s = 1)
             FROM res_partner WHERE name LIKE 'C360 bench %%'""",
        [DROPPED_EVERY, COMPLAINT_EVERY],
    )
    dropped, complaints = cr.fetchone()
    return dropped + complaints


RAW_ABC = """
WITH rev AS (
    SELECT so.company_id AS co, p.commercial_partner_id AS cid,
           SUM(so.amount_untaxed) AS r
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale' AND so.date_order >= %s
  GROUP BY 1, 2 HAVING SUM(so.amount_untaxed) > 0)
SELECT cid, jsonb_object_agg(co::text, abc) AS abc
  FROM (SELECT co, cid, CASE WHEN before < 0.8 THEN 'A' WHEN before < 0.95 THEN 'B'
                             ELSE 'C' END AS abc
          FROM (SELECT co, cid,
                       (SUM(r) OVER (PARTITION BY co ORDER BY r DESC)
                        - SUM(r) OVER (PARTITION BY co, r))
                       / SUM(r) OVER (PARTITION BY co) AS before
                  FROM rev) ranked) per_company
 GROUP BY cid
"""


def _copy_database(source, copy, n):
    """A throw-away copy of the full database with n customers generated
    and committed, so that the measured work sees rows of earlier
    transactions as in real life (PostgreSQL re-checks every foreign key of
    a row updated in the transaction that inserted it)."""
    from odoo import api  # noqa: PLC0415

    registry = benchlib.copy_database(source, copy)
    with registry.cursor() as cr:
        dropped = _generate(api.Environment(cr, api.SUPERUSER_ID, {}), n)
        # a throw-away copy: the data must be committed, see the docstring
        cr.commit()  # pylint: disable=invalid-commit
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE res_partner")
        cr.execute("VACUUM ANALYZE sale_order")
        cr.execute("VACUUM ANALYZE helpdesk_ticket")
    return registry, dropped


def _measure(source, n, rounds, with_abc):
    from odoo import api, fields  # noqa: PLC0415

    copy = f"{source}_c360_{n}"
    try:
        registry, dropped = _copy_database(source, copy, n)
        result = {"dropped": dropped}
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            Partner = env["res.partner"]
            Partner._qms_alert_kinds()  # warm-up: ormcache, registry
            start_q, start = cr.sql_log_count, time.perf_counter()
            created = Partner._cron_qms_customer_alerts(batch_size=BATCH)
            env.flush_all()
            result["alert_seconds"] = time.perf_counter() - start
            result["alert_queries"] = cr.sql_log_count - start_q
            result["alerts"] = created
            # batches: per kind, one candidate query and one create (and
            # commit) per batch of alerts
            cr.execute(
                """SELECT qms_alert_kind, count(*) FROM mail_activity
                    WHERE qms_alert_kind IS NOT NULL GROUP BY 1"""
            )
            per_kind = dict(cr.fetchall())
            result["per_kind"] = per_kind
            kinds = Partner._qms_alert_kinds()
            result["batches"] = sum(
                max(1, -(-per_kind.get(kind, 0) // BATCH)) for kind in kinds
            )
            if created < dropped:
                raise SystemExit(
                    f"error: {created} alerts for {dropped} dropped customers"
                )
            # a second run creates nothing
            if Partner._cron_qms_customer_alerts(batch_size=BATCH):
                raise SystemExit("error: the second run raised alerts again")
            cr.rollback()
        if not with_abc:
            return result

        since = fields.Datetime.now() - timedelta(days=365)

        def raw(cr):
            t = time.perf_counter()
            cr.execute(RAW_ABC, [since])
            rows = cr.fetchall()
            return time.perf_counter() - t, len(rows)

        def ours(env):
            t = time.perf_counter()
            changes = env["res.partner"]._qms_recompute_abc()
            env.flush_all()
            return time.perf_counter() - t, changes

        def raw_update(cr):
            t = time.perf_counter()
            cr.execute(
                f"""WITH c AS ({RAW_ABC}) UPDATE res_partner p
                    SET qms_abc_class = c.abc FROM c WHERE c.cid = p.id""",
                [since],
            )
            return time.perf_counter() - t

        first, daily, raws, raw_updates = [], [], [], []
        for _r in range(rounds):
            with registry.cursor() as cr:
                raw_updates.append(raw_update(cr))
                cr.rollback()
            with registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                seconds, changes = ours(env)  # every customer gets a class
                first.append(seconds)
                result["abc_changes"] = changes
                cr.rollback()
        # the next days: the classes are there, nothing changes
        with registry.cursor() as cr:
            ours(api.Environment(cr, api.SUPERUSER_ID, {}))
            cr.commit()  # pylint: disable=invalid-commit
        with registry.cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute("VACUUM ANALYZE res_partner")
        for _r in range(rounds):
            with registry.cursor() as cr:
                seconds, rows = raw(cr)
                raws.append(seconds)
                result["abc_rows"] = rows
                cr.rollback()
            with registry.cursor() as cr:
                seconds, changes = ours(api.Environment(cr, api.SUPERUSER_ID, {}))
                daily.append(seconds)
                if changes:
                    raise SystemExit(f"error: the daily ABC run changed {changes}")
                cr.rollback()
        result["abc_first"] = statistics.median(first)
        result["abc_daily"] = statistics.median(daily)
        result["abc_raw"] = statistics.median(raws)
        result["abc_raw_update"] = statistics.median(raw_updates)
        return result
    finally:
        benchlib.drop_database(copy)


def main():
    conf, db_full, sizes, rounds = _settings()
    benchlib.setup_odoo(conf)
    from odoo.sql_db import close_db, db_connect  # noqa: PLC0415

    with db_connect(db_full).cursor() as cr:
        cr.execute(
            "SELECT 1 FROM ir_module_module "
            "WHERE name = 'qms_crm' AND state = 'installed'"
        )
        if not cr.fetchone():
            raise SystemExit(f"error: qms_crm is not installed in {db_full}")
    close_db(db_full)  # the template of the copies must have no connection

    results = {}
    for n in sizes:
        results[n] = _measure(db_full, n, rounds, with_abc=n == sizes[-1])
        r = results[n]
        benchlib.out(
            f"info customer_alerts n={n}: {r['alerts']} alerts "
            f"({r['dropped']} expected, {r['per_kind']}), "
            f"{r['alert_queries']} queries in "
            f"{r['batches']} batches ({r['alert_queries'] / r['batches']:.1f}/batch, "
            f"{r['alert_queries'] / n:.4f}/customer), {r['alert_seconds']:.2f}s"
        )
    small, large = results[sizes[0]], results[sizes[-1]]
    per_small = small["alert_queries"] / small["batches"]
    per_large = large["alert_queries"] / large["batches"]
    ratios = {
        "customer_alerts_queries_per_batch": (per_large / per_small, QUERY_GOAL),
        "customer_abc_first_run": (
            large["abc_first"] / large["abc_raw_update"],
            ABC_GOAL,
        ),
        "customer_abc_daily_run": (large["abc_daily"] / large["abc_raw"], ABC_GOAL),
    }
    missed = []
    # deterministic, so asserted: the cron's queries grow with its batches
    # only, not with the customers
    query_ok = ratios["customer_alerts_queries_per_batch"][0] <= QUERY_GOAL
    for name, (ratio, goal) in ratios.items():
        benchlib.report(name, ratio, goal, missed)
    benchlib.out(
        f"info customer_abc n={sizes[-1]}: first run {large['abc_first']:.3f}s "
        f"({large['abc_changes']}), daily run {large['abc_daily']:.3f}s, raw SQL "
        f"window query {large['abc_raw']:.3f}s ({large['abc_rows']} customers), "
        f"raw SQL window query + UPDATE {large['abc_raw_update']:.3f}s; "
        f"median of {rounds} rounds, {db_full}"
    )
    if not query_ok:
        benchlib.out(
            "error: the alert cron's queries grow with the number of customers"
        )
        return 4
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
