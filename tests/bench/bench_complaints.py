#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints benchmark (issue 4b): what complaint handling costs.

1. ``complaints_ticket_create``: create N helpdesk tickets (partner, team,
   description) in the database with our addons (QMS_BENCH_DB_FULL) and in the
   one with helpdesk_mgmt alone (QMS_BENCH_DB_BASE), both opened in this
   process, alternating, after an untimed warm-up; medians compared. Each
   round is rolled back. Timed steps include the flush and the precommit hooks
   (mail tracking), as the administrator (access rights and rules included).
   An ``info`` line also gives the cost of creating *complaints* in the full
   database (targets planned in working hours, receipt mailed) against the
   same plain tickets in the base one: that is extra work, not overhead.

2. ``complaints_dashboard``: the complaint analysis (``qms.complaint.report``,
   an SQL view over stored, indexed ticket columns) read through the ORM's
   ``_read_group`` — four groupings as the dashboard shows them: kind x month,
   team, product, root cause, each with count, mean acknowledgement and
   resolution time and compensation sum — over QMS_BENCH_TICKETS (default
   200 000) tickets generated with SQL in the full database, against the
   equivalent raw SQL GROUP BY queries on helpdesk_ticket. Generated in a
   transaction that is rolled back.

Output (see tests/bench/README.md)::

    complaints_ticket_create: ratio=<x.xx> (goal <= 1.15)
    complaints_dashboard: ratio=<x.xx> (goal <= 2.00)

plus ``info ...`` lines. Exit code 3 when a goal is missed. Environment:
QMS_ODOO_CONF, QMS_BENCH_DB_BASE, QMS_BENCH_DB_FULL; QMS_BENCH_N (tickets per
create round, default 300), QMS_BENCH_ROUNDS (default 5), QMS_BENCH_TICKETS
(default 200000).
"""

import statistics
import sys
import time

import benchlib

CREATE_GOAL = 1.15
DASHBOARD_GOAL = 2.0
OUR_ADDONS = ("qms_crm",)


# ----------------------------------------------------------------------
# 1. ticket creation
# ----------------------------------------------------------------------
def _create_tickets(env, n, tag, complaint=False):
    """Seconds to create n tickets (complaints when complaint is set)."""
    team = env["helpdesk.ticket.team"].create({"name": f"Bench team {tag}"})
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {tag}-{i}", "email": f"b{tag}{i}@ex.com"}
            for i in range(n)
        ]
    )
    env.flush_all()
    extra = (
        {"qms_feedback_kind": "complaint", "qms_severity": "high"} if complaint else {}
    )
    _, seconds, _queries = benchlib.timed(
        env,
        lambda: env["helpdesk.ticket"].create(
            [
                dict(
                    {
                        "name": f"Bench ticket {tag}-{i}",
                        "description": f"<p>Problem {i}</p>",
                        "partner_id": partners[i].id,
                        "team_id": team.id,
                    },
                    **extra,
                )
                for i in range(n)
            ]
        ),
    )
    return seconds


def _create_round(registry, n, tag, complaint=False):
    """One rolled-back round of _create_tickets in the registry's database."""
    return benchlib.rolled_back(registry, _create_tickets, n, tag, complaint)


def bench_create(registries, n, rounds):
    for label, registry in registries.items():
        _create_round(registry, max(10, n // 10), f"w{label}")
    _create_round(registries["full"], max(10, n // 10), "wc", complaint=True)
    samples = {"base": [], "full": [], "complaint": []}
    for r in range(rounds):
        for label in benchlib.alternate(("base", "full"), r):
            samples[label].append(_create_round(registries[label], n, f"{r}{label}"))
        samples["complaint"].append(
            _create_round(registries["full"], n, f"{r}c", complaint=True)
        )
    base, full = statistics.median(samples["base"]), statistics.median(samples["full"])
    complaint = statistics.median(samples["complaint"])
    ratio = benchlib.ratio(full, base)
    benchlib.report("complaints_ticket_create", ratio, CREATE_GOAL, [])
    benchlib.out(
        f"info complaints_ticket_create: base={base:.3f}s full={full:.3f}s "
        f"(median of {rounds} rounds, n={n} tickets)"
    )
    benchlib.out(
        f"info complaints_complaint_create: {complaint:.3f}s for {n} complaints "
        f"in full = {complaint / base:.2f}x plain tickets in base "
        "(targets planned in working hours, receipt queued)"
    )
    return ratio <= CREATE_GOAL


# ----------------------------------------------------------------------
# 2. dashboard over generated tickets
# ----------------------------------------------------------------------
GENERATE = """
INSERT INTO helpdesk_ticket (
    number, name, description, company_id, team_id, stage_id, partner_id,
    commercial_partner_id, active, priority, create_date, write_date,
    qms_feedback_kind, qms_is_complaint, qms_severity, qms_channel,
    qms_product_id, qms_root_cause_id, qms_confirmation_state,
    qms_ack_hours, qms_resolution_hours, qms_ack_breached,
    qms_resolve_breached, qms_compensation_total, qms_received_date)
SELECT 'BENCH' || g, 'Bench complaint ' || g, '<p>bench</p>', %(company)s,
       (%(teams)s)[1 + g %% cardinality(%(teams)s)],
       %(stage)s,
       (%(partners)s)[1 + g %% cardinality(%(partners)s)],
       (%(partners)s)[1 + g %% cardinality(%(partners)s)],
       TRUE, '1',
       now() - (g %% 730) * interval '1 day',
       now(),
       (ARRAY['complaint','complaint','complaint','enquiry','suggestion',
              'compliment','warranty'])[1 + g %% 7],
       (g %% 7) IN (0, 1, 2, 6),
       (ARRAY['low','medium','high','critical'])[1 + g %% 4],
       (ARRAY['email','phone','portal','web_form','in_person','social'])[1 + g %% 6],
       (%(products)s)[1 + g %% cardinality(%(products)s)],
       (%(causes)s)[1 + g %% cardinality(%(causes)s)],
       'none',
       (g %% 40) / 2.0, (g %% 200) / 2.0, g %% 5 = 0, g %% 9 = 0,
       CASE WHEN g %% 10 = 0 THEN (g %% 300)::numeric ELSE 0 END,
       now() - (g %% 730) * interval '1 day'
  FROM generate_series(1, %(count)s) AS g
"""

GROUPINGS = (
    ("feedback_kind", "qms_feedback_kind", True),
    ("team_id", "team_id", False),
    ("product_id", "qms_product_id", False),
    ("root_cause_id", "qms_root_cause_id", False),
)


def _orm_dashboard(env):
    Report = env["qms.complaint.report"]
    results = []
    for field, _column, by_month in GROUPINGS:
        groupby = [field, "create_date:month"] if by_month else [field]
        results.append(
            Report._read_group(
                [("is_complaint", "=", True)],
                groupby,
                [
                    "__count",
                    "ack_hours:avg",
                    "resolution_hours:avg",
                    "compensation_amount:sum",
                ],
            )
        )
    return results


def _sql_dashboard(cr, tz):
    from odoo.tools import SQL  # noqa: PLC0415  (odoo is importable only after setup)

    results = []
    for _field, column, by_month in GROUPINGS:
        col = SQL.identifier("t", column)
        month = (
            SQL(
                ", date_trunc('month', (t.create_date AT TIME ZONE 'UTC') "
                "AT TIME ZONE %s)",
                tz,
            )
            if by_month
            else SQL()
        )
        cr.execute(
            SQL(
                """SELECT %(col)s%(month)s, count(*), avg(t.qms_ack_hours),
                       avg(t.qms_resolution_hours),
                       sum(COALESCE(t.qms_compensation_total, 0))
                  FROM helpdesk_ticket t
                 WHERE t.qms_feedback_kind IS NOT NULL AND t.active
                   AND t.qms_is_complaint
              GROUP BY %(col)s%(month)s
              ORDER BY 1""",
                col=col,
                month=month,
            )
        )
        results.append(cr.fetchall())
    return results


def bench_dashboard(registry, count, rounds):
    """True when the dashboard ratio meets its goal; the generated tickets
    are rolled back."""
    return benchlib.rolled_back(registry, _dashboard, count, rounds)


def _dashboard(env, count, rounds):
    cr = env.cr
    teams = env["helpdesk.ticket.team"].create(
        [{"name": f"Bench dashboard team {i}"} for i in range(8)]
    )
    partners = env["res.partner"].create(
        [{"name": f"Bench dashboard customer {i}"} for i in range(500)]
    )
    products = env["product.product"].create(
        [{"name": f"Bench dashboard product {i}"} for i in range(50)]
    )
    causes = env["qms.complaint.root.cause"].search([])
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
    env.flush_all()
    start = time.perf_counter()
    cr.execute(
        GENERATE,
        {
            "company": env.company.id,
            "teams": teams.ids,
            "stage": stage.id,
            "partners": partners.ids,
            "products": products.ids,
            "causes": causes.ids,
            "count": count,
        },
    )
    cr.execute("ANALYZE helpdesk_ticket")
    benchlib.out(
        f"info complaints_dashboard: generated {count} tickets in "
        f"{time.perf_counter() - start:.1f}s"
    )
    tz = env.user.tz or "UTC"
    _orm_dashboard(env)  # warm-up
    _sql_dashboard(cr, tz)
    orm_times, sql_times = [], []
    for r in range(rounds):
        for step in benchlib.alternate(("orm", "sql"), r):
            env.invalidate_all()
            start = time.perf_counter()
            if step == "orm":
                orm_rows = _orm_dashboard(env)
                orm_times.append(time.perf_counter() - start)
            else:
                sql_rows = _sql_dashboard(cr, tz)
                sql_times.append(time.perf_counter() - start)
    if [len(rows) for rows in orm_rows] != [len(rows) for rows in sql_rows]:
        raise SystemExit("error: the ORM and the SQL dashboards disagree on the groups")
    orm, sql = statistics.median(orm_times), statistics.median(sql_times)
    ratio = benchlib.ratio(orm, sql)
    benchlib.report("complaints_dashboard", ratio, DASHBOARD_GOAL, [])
    benchlib.out(
        f"info complaints_dashboard: orm={orm:.3f}s sql={sql:.3f}s "
        f"(4 groupings, {count} tickets, median of {rounds} rounds, "
        f"groups {[len(rows) for rows in orm_rows]})"
    )
    return ratio <= DASHBOARD_GOAL


def main():
    n = benchlib.env_int("QMS_BENCH_N", 300)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 5)
    count = benchlib.env_int("QMS_BENCH_TICKETS", 200000)
    conf, db_base, db_full = benchlib.require_env(
        benchlib.CONF, benchlib.DB_BASE, benchlib.DB_FULL
    )
    benchlib.setup_odoo(conf)
    registries = benchlib.open_registries(db_base, db_full)
    benchlib.check_installed(registries, OUR_ADDONS, also=("helpdesk_mgmt",))

    missed = []
    if not bench_create(registries, n, rounds):
        missed.append("complaints_ticket_create")
    if not bench_dashboard(registries["full"], count, rounds):
        missed.append("complaints_dashboard")
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
