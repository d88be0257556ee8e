#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recall benchmark: scoping lots over a million done move lines, and
generating notices.

In each database (QMS_BENCH_DB_BASE: stock Odoo with what our addons stand
on; QMS_BENCH_DB_FULL: the same plus our addons), in one transaction that is
rolled back at the end, SQL generates QMS_BENCH_LINES done move lines
(default 1 000 000) of one lot-tracked product over 10 000 lots: half are
receipts into stock, half deliveries (100 000 pickings) to 2 000 customers.

Measured (medians of QMS_BENCH_ROUNDS rounds, default 5):

* ``recall_scope_vs_sql``: ``qms.recall.campaign._scope_delivery_rows()`` for
  10 lots, divided by a hand-written SQL query returning the same set
  (delivery, lot, quantity, customer, date) on the same data and the same
  index (``qms_recall_stock_move_line_lot_id_idx``, which our addon
  creates; stock Odoo 19 has no index on lot_id). Goal <= 1.5.
  The results must be equal (else the script fails).
* ``recall_sql_without_index``: the hand-written query on stock Odoo (no
  index) divided by the same query with our index: what the index is worth
  (info ratio, no goal).
* ``recall_trace_vs_scope``: our scope time divided by the time of stock
  Odoo's traceability report (``stock.traceability.report`` main lines of
  each of the 10 lots) on the same data with the same index (in
  QMS_BENCH_DB_FULL: on QMS_BENCH_DB_BASE the report would run without the
  index, which flattered us). Goal <= 0.01 (>= 100x faster).
* ``recall_notice_queries_per_line``: SQL queries per notice when the
  scheduler's sender generates QMS_BENCH_NOTICES notices (default 10 000,
  batches of 50, mail.mail with the PDF letter attached): goal <= 3.
  ``mass_mailing`` is not installed in the bench databases, so the issue's
  fallback (queries per line) is what is measured; the time per notice is
  printed as info. The PDF letter is rendered once per campaign and
  language, before the timing (a wkhtmltopdf call).

Environment: QMS_ODOO_CONF, QMS_BENCH_DB_BASE, QMS_BENCH_DB_FULL (set by
scripts/bench.sh); QMS_BENCH_LINES, QMS_BENCH_NOTICES, QMS_BENCH_ROUNDS for
quick runs. Exit code 3 when a goal is missed.
"""

import statistics
import sys
import time

import benchlib

N_LOTS = 10_000
N_CUSTOMERS = 2_000
N_PICKINGS = 100_000
SCOPE_LOTS = 10
GOAL_SCOPE = 1.5
GOAL_TRACE = 0.01
GOAL_QUERIES = 3.0

HAND_SQL = """
    SELECT sml.picking_id, sml.lot_id, SUM(sml.quantity_product_uom),
           rp.commercial_partner_id, MAX(sml.date)
      FROM stock_move_line sml
      JOIN stock_location dest ON dest.id = sml.location_dest_id
      JOIN stock_picking p ON p.id = sml.picking_id
      JOIN res_partner rp ON rp.id = p.partner_id
     WHERE sml.lot_id = ANY(%s) AND sml.state = 'done' AND dest.usage = 'customer'
     GROUP BY sml.picking_id, sml.lot_id, rp.commercial_partner_id
"""


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def _generate(env, n_lines):
    """Product, lots, customers, pickings and n_lines done move lines, by
    SQL. Returns (product, lot ids in order)."""
    cr = env.cr
    product = env["product.product"].create(
        {"name": "Bench recall valve", "is_storable": True, "tracking": "lot"}
    )
    company = env.company.id
    warehouse = env["stock.warehouse"].search([("company_id", "=", company)], limit=1)
    stock = warehouse.lot_stock_id.id
    customers_loc = env.ref("stock.stock_location_customers").id
    suppliers_loc = env.ref("stock.stock_location_suppliers").id
    out_type = warehouse.out_type_id.id
    uom = product.uom_id.id
    env.flush_all()
    cr.execute(
        """
        INSERT INTO stock_lot (name, product_id, company_id, create_date, write_date)
        SELECT 'BENCH-LOT-' || g, %s, %s, now(), now()
          FROM generate_series(1, %s) g ORDER BY g RETURNING id
        """,
        [product.id, company, N_LOTS],
    )
    lots = sorted(r[0] for r in cr.fetchall())
    # customers through the ORM (res_partner has many NOT NULL columns that
    # other addons add); a few seconds for 2 000
    customers = (
        env["res.partner"]
        .with_context(tracking_disable=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"Bench recall customer {i}",
                    "email": f"bench.recall.{i}@example.com",
                    "is_company": True,
                }
                for i in range(N_CUSTOMERS)
            ]
        )
        .ids
    )
    env.flush_all()
    cr.execute(
        """
        INSERT INTO stock_picking (name, picking_type_id, location_id,
                                   location_dest_id, partner_id, company_id, state,
                                   move_type, scheduled_date, date_done, create_date,
                                   write_date)
        SELECT 'BENCH/OUT/' || g, %(type)s, %(stock)s, %(cust)s,
               (%(custs)s::integer[])[1 + g %% %(ncust)s], %(company)s,
               'done', 'direct',
               now() - interval '1 day' * (g %% 700),
               now() - interval '1 day' * (g %% 700),
               now(), now()
          FROM generate_series(1, %(n)s) g RETURNING id
        """,
        {
            "type": out_type,
            "stock": stock,
            "cust": customers_loc,
            "custs": customers,
            "ncust": N_CUSTOMERS,
            "company": company,
            "n": N_PICKINGS,
        },
    )
    pickings = sorted(r[0] for r in cr.fetchall())
    # even lines: receipts into stock; odd lines: deliveries to customers.
    # Lines 2k and 2k+1 (a receipt and its delivery) share a lot, spread
    # pseudo-randomly over the lots.
    cr.execute(
        """
        INSERT INTO stock_move_line (company_id, product_id, product_uom_id, lot_id,
                                     location_id, location_dest_id, picking_id,
                                     quantity, quantity_product_uom, state, date,
                                     create_date, write_date)
        SELECT %(company)s, %(product)s, %(uom)s,
               %(lot0)s + (((g / 2)::bigint * 7919) %% %(nlots)s)::integer,
               CASE WHEN g %% 2 = 0 THEN %(supp)s ELSE %(stock)s END,
               CASE WHEN g %% 2 = 0 THEN %(stock)s ELSE %(cust)s END,
               CASE WHEN g %% 2 = 0 THEN NULL
                    ELSE %(pick0)s + ((g / 2) %% %(npick)s) END,
               1 + g %% 3, 1 + g %% 3, 'done',
               now() - interval '1 minute' * g, now(), now()
          FROM generate_series(1, %(n)s) g
        """,
        {
            "company": company,
            "product": product.id,
            "uom": uom,
            "lot0": lots[0],
            "nlots": N_LOTS,
            "supp": suppliers_loc,
            "stock": stock,
            "cust": customers_loc,
            "pick0": pickings[0],
            "npick": N_PICKINGS,
            "n": n_lines,
        },
    )
    cr.execute("ANALYZE stock_move_line")
    cr.execute("ANALYZE stock_picking")
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE res_partner")
    env.invalidate_all()
    return product, lots


def _timed(func, rounds):
    samples, result = [], None
    func()  # warm-up
    for _ in range(rounds):
        start = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def _timed_pair(func_a, func_b, rounds):
    """Median times of func_a and func_b measured in alternation (a, b, b,
    a, ...) after a warm-up of each, so that load from elsewhere on the
    machine hits both alike."""
    func_a()
    func_b()
    samples_a, samples_b = [], []
    result_a = result_b = None
    for r in range(rounds):
        order = ((func_a, samples_a), (func_b, samples_b))
        if r % 2:
            order = order[::-1]
        for func, samples in order:
            start = time.perf_counter()
            result = func()
            samples.append(time.perf_counter() - start)
            if func is func_a:
                result_a = result
            else:
                result_b = result
    return (
        statistics.median(samples_a),
        result_a,
        statistics.median(samples_b),
        result_b,
    )


def _hand_sql(cr, lot_ids):
    cr.execute(HAND_SQL, [lot_ids])
    return {(p, lot, float(q)) for p, lot, q, _partner, _date in cr.fetchall()}


def _named(cr, rows):
    """The rows (picking id, lot id, qty) as (picking name, lot name, qty):
    ids differ between the databases, names do not."""
    cr.execute(
        "SELECT id, name FROM stock_picking WHERE id = ANY(%s)",
        [sorted({r[0] for r in rows})],
    )
    pickings = dict(cr.fetchall())
    cr.execute(
        "SELECT id, name FROM stock_lot WHERE id = ANY(%s)",
        [sorted({r[1] for r in rows})],
    )
    lots = dict(cr.fetchall())
    return {(pickings[p], lots[lot], q) for p, lot, q in rows}


def _index_exists(cr):
    cr.execute(
        "SELECT 1 FROM pg_indexes WHERE indexname = "
        "'qms_recall_stock_move_line_lot_id_idx'"
    )
    return bool(cr.fetchone())


def _bench_base(env, n_lines, rounds):
    """Stock Odoo: traceability report per lot, and the hand SQL without
    the index (run in a rolled-back round: benchlib.rolled_back)."""
    cr = env.cr
    if _index_exists(cr):
        raise SystemExit(f"error: {cr.dbname} already has our lot_id index")
    _product, lots = _generate(env, n_lines)
    scope_lots = lots[:SCOPE_LOTS]
    t_sql, expected = _timed(lambda: _hand_sql(cr, scope_lots), rounds)
    return {"sql_noindex": t_sql, "expected": _named(cr, expected)}


def _timed_trace(env, scope_lots, rounds):
    """Median time and report lines of stock Odoo's traceability report
    (main lines of each lot), as a user opens it from the lot."""
    report = env["stock.traceability.report"]

    def trace():
        n = 0
        for lot in scope_lots:
            n += len(report.with_context(active_id=lot, model="stock.lot").get_lines())
            env.invalidate_all()
        return n

    # the report is slow: fewer rounds
    return _timed(trace, max(1, min(rounds, 2)))


def _bench_full(env, n_lines, rounds, n_notices):
    """Ours: scope, scoped lines and notices (run in a rolled-back round:
    benchlib.rolled_back)."""
    from odoo import Command  # noqa: PLC0415

    cr = env.cr
    if not _index_exists(cr):
        raise SystemExit(f"error: {cr.dbname} lacks our lot_id index")
    product, lots = _generate(env, n_lines)
    scope_lots = lots[:SCOPE_LOTS]
    campaign = env["qms.recall.campaign"].create(
        {
            "title": "Bench recall",
            "reason": "Benchmark",
            "product_ids": [Command.set(product.ids)],
            "lot_ids": [Command.set(scope_lots)],
        }
    )
    env.flush_all()

    def ours():
        rows = campaign._scope_delivery_rows()
        return {(r["picking_id"], r["lot_id"], float(r["quantity"])) for r in rows}

    t_sql, expected, t_ours, got = _timed_pair(
        lambda: _hand_sql(cr, scope_lots), ours, rounds
    )
    if got != expected:
        raise SystemExit(
            f"error: scope returned {len(got)} rows, the SQL set has "
            f"{len(expected)}; they differ"
        )
    # stock Odoo's answer on the same data and the same lot_id index (in
    # the base database it would run without the index: an unfair baseline)
    t_trace, n_trace = _timed_trace(env, scope_lots, rounds)
    start = time.perf_counter()
    new_lines = campaign._scope()
    env.flush_all()
    t_create = time.perf_counter() - start

    # notices: enough lots for n_notices lines
    per_lot = max(1, len(new_lines) // SCOPE_LOTS)
    n_lots = min(N_LOTS, max(SCOPE_LOTS, -(-n_notices // per_lot)))
    notify = env["qms.recall.campaign"].create(
        {
            "title": "Bench notices",
            "reason": "Benchmark",
            "product_ids": [Command.set(product.ids)],
            "lot_ids": [Command.set(lots[:n_lots])],
        }
    )
    notify._scope()
    extra = notify.line_ids[n_notices:]
    if extra:
        # keep exactly n_notices lines to send
        cr.execute(
            "UPDATE qms_recall_line SET state = 'closed' WHERE id = ANY(%s)",
            [extra.ids],
        )
        env.invalidate_all()
    notify.action_start_notifying()
    start = time.perf_counter()
    notify._notice_letter("en_US")
    t_letter = time.perf_counter() - start
    env.flush_all()
    queries0 = cr.sql_log_count
    start = time.perf_counter()
    sent = env["qms.recall.line"]._cron_send_notices(batch_size=50)
    env.flush_all()
    t_send = time.perf_counter() - start
    queries = cr.sql_log_count - queries0
    return {
        "sql": t_sql,
        "ours": t_ours,
        "trace": t_trace,
        "trace_lines": n_trace,
        "rows": len(got),
        "create": t_create,
        "lines_created": len(new_lines),
        "expected": _named(cr, expected),
        "sent": sent,
        "send": t_send,
        "queries": queries,
        "letter": t_letter,
    }


# ----------------------------------------------------------------------
def main():
    n_lines = benchlib.env_int("QMS_BENCH_LINES", 1_000_000)
    n_notices = benchlib.env_int("QMS_BENCH_NOTICES", 10_000)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 5)
    conf, db_base, db_full = benchlib.require_env(
        benchlib.CONF, benchlib.DB_BASE, benchlib.DB_FULL
    )
    benchlib.setup_odoo(conf)
    registries = benchlib.open_registries(db_base, db_full)

    full = benchlib.rolled_back(
        registries["full"], _bench_full, n_lines, rounds, n_notices
    )
    base = benchlib.rolled_back(registries["base"], _bench_base, n_lines, rounds)
    if base["expected"] != full["expected"]:
        raise SystemExit("error: the generated data differ between the databases")

    missed = []
    ratio_scope = benchlib.ratio(full["ours"], full["sql"])
    ratio_index = benchlib.ratio(base["sql_noindex"], full["sql"])
    ratio_trace = benchlib.ratio(full["ours"], full["trace"])
    per_line = benchlib.ratio(full["queries"], full["sent"])
    benchlib.report("recall_scope_vs_sql", ratio_scope, GOAL_SCOPE, missed)
    if ratio_trace > GOAL_TRACE:
        missed.append("recall_trace_vs_scope")
    if per_line > GOAL_QUERIES:
        missed.append("recall_notice_queries_per_line")
    benchlib.out(f"recall_sql_without_index: ratio={ratio_index:.2f} (info: no goal)")
    benchlib.out(
        f"recall_trace_vs_scope: ratio={ratio_trace:.4f} (goal <= {GOAL_TRACE:.2f}; "
        f"scope is {1 / ratio_trace if ratio_trace else float('inf'):.0f}x faster)"
    )
    benchlib.out(
        f"recall_notice_queries_per_line: ratio={per_line:.2f} "
        f"(queries per notice, goal <= {GOAL_QUERIES:.2f})"
    )
    benchlib.out(
        f"info recall_scope: ours={full['ours'] * 1000:.1f}ms "
        f"sql={full['sql'] * 1000:.1f}ms sql_without_index="
        f"{base['sql_noindex'] * 1000:.1f}ms traceability_report="
        f"{full['trace'] * 1000:.0f}ms ({full['trace_lines']} report lines); "
        f"{full['rows']} delivery rows for {SCOPE_LOTS} lots over {n_lines} done "
        f"move lines; median of {rounds} rounds"
    )
    benchlib.out(
        f"info recall_scope_create: {full['lines_created']} lines scoped and "
        f"created in {full['create']:.2f}s"
    )
    benchlib.out(
        f"info recall_notices: {full['sent']} notices in {full['send']:.2f}s "
        f"({full['send'] / max(full['sent'], 1) * 1000:.2f} ms and {per_line:.2f} "
        f"queries per notice, batches of 50); PDF letter rendered once in "
        f"{full['letter']:.2f}s; mass_mailing is not installed in "
        f"{db_base}/{db_full}: no time comparison"
    )
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
