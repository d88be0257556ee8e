#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer metrics benchmark (issue 20, ISO 9001 9.1).

In the database with our addons (QMS_BENCH_DB_FULL), generate with SQL
(``generate_series``) QMS_BENCH_CUSTOMERS (default 50 000) customers in
20 segments (one in three in two), with 6 salespeople in 3 sales teams,
QMS_BENCH_ORDERS (default 500 000) sale orders, QMS_BENCH_PICKINGS (default
500 000) done deliveries with one move each (one in fifteen short),
QMS_BENCH_TICKETS (default 200 000) tickets (complaints, some closed,
confirmed, rejected and reopened), QMS_BENCH_SURVEY_RESPONSES (default
100 000) satisfaction answers and compensation on one complaint in ten, all
over the last year. Then time computing every metric of ``qms.metric`` for
the last whole quarter by customer segment and by sales team
(``_qms_compute``, as the management review, the dashboard and the
objectives call it) against hand-written SQL giving the same numbers straight
from the tables (the same indexes), and assert that every value is equal.

Output (see tests/bench/README.md)::

    metrics_quarter: ratio=<x.xx> (goal <= 1.50)

plus ``info`` lines with the medians and the sizes. Exit 1 when values differ
or the goal is missed. Everything runs in one transaction that is rolled
back. The sizes are parameters: a loaded machine may run a smaller set.
Environment: QMS_ODOO_CONF, QMS_BENCH_DB_FULL (set by scripts/bench.sh);
QMS_BENCH_CUSTOMERS, QMS_BENCH_ORDERS, QMS_BENCH_PICKINGS, QMS_BENCH_TICKETS,
QMS_BENCH_SURVEY_RESPONSES, QMS_BENCH_ROUNDS (default 3).
"""

import sys
import time
from datetime import date, timedelta

import benchlib

GOAL = 1.5
SEGMENTS = 20


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def _generate(env, n_customers, n_orders, n_pickings, n_tickets, n_responses):
    cr = env.cr
    company = env.company
    began = time.perf_counter()
    users = env["res.users"].create(
        [{"name": f"Metrics bench {i}", "login": f"qmsmbench{i}"} for i in range(6)]
    )
    for t in range(3):
        env["crm.team"].create(
            {
                "name": f"Metrics bench team {t}",
                "crm_team_member_ids": [
                    (0, 0, {"user_id": users[2 * t].id}),
                    (0, 0, {"user_id": users[2 * t + 1].id}),
                ],
            }
        )
    tags = env["res.partner.category"].create(
        [{"name": f"Metrics bench segment {i}"} for i in range(SEGMENTS)]
    )
    product = env["product.product"].create({"name": "Metrics bench product"})
    survey = env.ref("qms_crm_survey.survey_qms_nps")
    env.flush_all()
    wh = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    out_type = wh.out_type_id
    params = {
        "company": company.id,
        "currency": company.currency_id.id,
        "users": users.ids,
        "tags": tags.ids,
        "customers": n_customers,
        "orders": n_orders,
        "pickings": n_pickings,
        "tickets": n_tickets,
        "responses": n_responses,
        "type": out_type.id,
        "src": out_type.default_location_src_id.id,
        "dest": env.ref("stock.stock_location_customers").id,
        "product": product.id,
        "uom": product.uom_id.id,
        "survey": survey.id,
        "open_stage": env["helpdesk.ticket.stage"]
        .search([("closed", "=", False)], limit=1)
        .id,
        "closed_stage": env["helpdesk.ticket.stage"]
        .search([("closed", "=", True)], limit=1)
        .id,
    }
    cr.execute(
        """
        CREATE TEMP TABLE qms_mb_customer ON COMMIT DROP AS
        WITH ins AS (
            INSERT INTO res_partner (name, complete_name, is_company, active, type,
                   autopost_bills, user_id, customer_rank, qms_abc_class,
                   create_date, write_date)
            SELECT 'QMSM bench ' || g, 'QMSM bench ' || g, TRUE, TRUE, 'contact',
                   'ask', (%(users)s::int[])[1 + g %% 6], 1,
                   CASE WHEN g %% 4 < 3 THEN jsonb_build_object(%(company)s::text,
                       (ARRAY['A', 'B', 'C'])[1 + g %% 4]) END, now(), now()
              FROM generate_series(1, %(customers)s) g
            RETURNING id)
        SELECT row_number() OVER (ORDER BY id) AS n, id FROM ins;
        UPDATE res_partner p SET commercial_partner_id = p.id
          FROM qms_mb_customer c WHERE c.id = p.id;
        INSERT INTO res_partner_res_partner_category_rel (category_id, partner_id)
        SELECT (%(tags)s::int[])[1 + c.n %% 20], c.id FROM qms_mb_customer c
        UNION ALL
        SELECT (%(tags)s::int[])[1 + (c.n + 7) %% 20], c.id FROM qms_mb_customer c
         WHERE c.n %% 3 = 0;

        INSERT INTO sale_order (name, partner_id, partner_invoice_id,
               partner_shipping_id, company_id, currency_id, date_order, state,
               picking_policy, amount_untaxed, amount_tax, amount_total,
               currency_rate, create_date, write_date)
        SELECT 'QMSMB' || g, c.id, c.id, c.id, %(company)s, %(currency)s,
               now() - (g %% 397) * interval '1 day' - (g %% 23) * interval '1 hour',
               CASE WHEN g %% 10 = 0 THEN 'draft' ELSE 'sale' END, 'direct',
               (10 + g %% 500)::numeric, 0, (10 + g %% 500)::numeric, 1, now(), now()
          FROM generate_series(1, %(orders)s) g
          JOIN qms_mb_customer c ON c.n = 1 + (g::bigint * 7919) %% %(customers)s;

        CREATE TEMP TABLE qms_mb_picking ON COMMIT DROP AS
        WITH src AS (
            SELECT so.id, so.partner_id, so.date_order,
                   row_number() OVER (ORDER BY so.id) AS n
              FROM sale_order so WHERE so.name LIKE 'QMSMB%%' AND so.state = 'sale'
             LIMIT %(pickings)s),
        ins AS (
            INSERT INTO stock_picking (name, picking_type_id, location_id,
                   location_dest_id, partner_id, company_id, state, move_type,
                   scheduled_date, date_deadline, date_done, sale_id,
                   create_date, write_date)
            SELECT 'QMSMB/OUT/' || src.n, %(type)s, %(src)s, %(dest)s,
                   src.partner_id, %(company)s, 'done', 'direct',
                   src.date_order + interval '5 days',
                   src.date_order + interval '7 days',
                   src.date_order + (src.n %% 10) * interval '1 day'
                       + (src.n %% 24) * interval '1 hour',
                   src.id, now(), now()
              FROM src
            RETURNING id)
        SELECT ins.id, row_number() OVER (ORDER BY ins.id) AS n FROM ins;
        INSERT INTO stock_move (company_id, date, location_id, location_dest_id,
               procure_method, product_id, product_uom, product_uom_qty, quantity,
               picking_id, state, create_date, write_date)
        SELECT %(company)s, now(), %(src)s, %(dest)s, 'make_to_stock',
               %(product)s, %(uom)s, 5, CASE WHEN p.n %% 15 = 0 THEN 3 ELSE 5 END,
               p.id, CASE WHEN p.n %% 97 = 0 THEN 'cancel' ELSE 'done' END,
               now(), now()
          FROM qms_mb_picking p;

        INSERT INTO helpdesk_ticket (number, name, description, company_id,
               partner_id, commercial_partner_id, stage_id, active, create_date,
               write_date, qms_feedback_kind, qms_is_complaint, qms_product_id,
               qms_received_date, qms_acknowledged_date, qms_ack_hours,
               qms_resolution_hours, closed_date, qms_resolved_date,
               qms_confirmation_state, qms_confirmation_date, qms_rejected_date,
               qms_reopen_count, qms_rejection_count, qms_paused_hours)
        SELECT 'QMSMBT' || g, 'Bench complaint', '<p>bench</p>', %(company)s,
               c.id, c.id,
               CASE WHEN g %% 3 = 0 THEN %(open_stage)s ELSE %(closed_stage)s END,
               TRUE, r.received, now(),
               CASE WHEN g %% 7 = 0 THEN 'suggestion' ELSE 'complaint' END,
               g %% 7 <> 0, %(product)s, r.received,
               CASE WHEN g %% 5 <> 0 THEN r.received + interval '3 hours' END,
               (g %% 40) / 2.0, (g %% 200) / 2.0,
               CASE WHEN g %% 3 <> 0 THEN r.received + (g %% 9) * interval '1 day' END,
               CASE WHEN g %% 3 <> 0 AND g %% 11 <> 0
                    THEN r.received + (g %% 9) * interval '1 day' END,
               (ARRAY['none', 'pending', 'confirmed', 'confirmed', 'rejected'])
                   [1 + g %% 5],
               CASE WHEN g %% 5 IN (2, 3, 4)
                    THEN r.received + (g %% 9 + 1) * interval '1 day' END,
               CASE WHEN g %% 13 = 0 THEN r.received + interval '2 days' END,
               CASE WHEN g %% 13 = 0 THEN 1 ELSE 0 END,
               CASE WHEN g %% 13 = 0 THEN 1 ELSE 0 END,
               CASE WHEN g %% 8 = 0 THEN 4 ELSE 0 END
          FROM generate_series(1, %(tickets)s) g
          JOIN qms_mb_customer c ON c.n = 1 + (g::bigint * 104729) %% %(customers)s
         CROSS JOIN LATERAL (
             SELECT now() - (g %% 397) * interval '1 day'
                    - (g %% 19) * interval '1 hour' AS received) r;

        INSERT INTO qms_compensation_line (ticket_id, partner_id, kind, date,
               description, amount, currency_id, company_id, amount_company,
               active, create_date, write_date)
        SELECT t.id, t.commercial_partner_id, 'refund', t.qms_received_date,
               'Bench compensation', (t.id %% 300)::numeric, %(currency)s,
               t.company_id, (t.id %% 300)::numeric, TRUE, now(), now()
          FROM helpdesk_ticket t
         WHERE t.number LIKE 'QMSMBT%%' AND t.qms_is_complaint AND t.id %% 10 = 0;

        INSERT INTO survey_user_input (survey_id, state, test_entry, partner_id,
               access_token, end_datetime, create_date, write_date,
               qms_customer_id, qms_nps_score, qms_nps_category, qms_csat_score,
               qms_csat_satisfied, qms_ces_score, qms_has_score, qms_is_detractor,
               qms_closed_loop)
        SELECT %(survey)s, CASE WHEN g %% 6 = 0 THEN 'new' ELSE 'done' END, FALSE,
               c.id, 'qmsmb-' || g,
               CASE WHEN g %% 6 <> 0 THEN now() - (g %% 397) * interval '1 day' END,
               now() - (g %% 397) * interval '1 day', now(), c.id,
               g %% 11,
               CASE WHEN g %% 6 = 0 THEN NULL WHEN g %% 11 >= 9 THEN 'promoter'
                    WHEN g %% 11 >= 7 THEN 'passive' ELSE 'detractor' END,
               1 + g %% 5, 1 + g %% 5 >= 4, 1 + g %% 7, g %% 6 <> 0,
               g %% 6 <> 0 AND (g %% 11 <= 6 OR 1 + g %% 5 <= 2), g %% 4 = 0
          FROM generate_series(1, %(responses)s) g
          JOIN qms_mb_customer c ON c.n = 1 + (g::bigint * 31) %% %(customers)s;

        ANALYZE res_partner; ANALYZE res_partner_res_partner_category_rel;
        ANALYZE sale_order; ANALYZE stock_picking; ANALYZE stock_move;
        ANALYZE helpdesk_ticket; ANALYZE survey_user_input;
        ANALYZE qms_compensation_line;
        """,
        params,
    )
    benchlib.out(
        f"info metrics: generated {n_customers} customers, {n_orders} orders, "
        f"{n_pickings} deliveries, {n_tickets} tickets, {n_responses} answers in "
        f"{time.perf_counter() - began:.1f}s"
    )


# ----------------------------------------------------------------------
# Hand-written SQL: the same numbers straight from the tables
# ----------------------------------------------------------------------
DIMS = {
    "segment": (
        "JOIN res_partner_res_partner_category_rel d ON d.partner_id = {cp}",
        "d.category_id",
    ),
    "team": (
        "JOIN res_partner dp ON dp.id = {cp} "
        "LEFT JOIN res_users du ON du.id = dp.user_id",
        "du.sale_team_id",
    ),
}


def _hand_sql(cr, group_by, start, end, prev_start, since, company, tz):
    join, key = DIMS[group_by]
    p = {
        "start": start,
        "end": end,
        "prev": prev_start,
        "since": since,
        "company": company,
        "tz": tz,
    }
    out = {}

    def run(sql):
        cr.execute(sql, p)
        names = [c.name for c in cr.description[1:]]
        for row in cr.fetchall():
            values = out.setdefault(row[0], {})
            for name, value in zip(names, row[1:], strict=True):
                values[name] = float(value or 0)

    run(
        f"""SELECT k, count(*) FILTER (WHERE n_prev > 0) AS prev_customers,
                  count(*) FILTER (WHERE n_prev > 0 AND n_cur > 0) AS retained,
                  count(*) FILTER (WHERE n_prev > 0 AND n_cur = 0) AS churned,
                  count(*) FILTER (WHERE n_cur > 0) AS customers,
                  count(*) FILTER (WHERE n_cur >= 2) AS repeaters,
                  COALESCE(sum(n_cur), 0) AS orders, COALESCE(sum(rev), 0) AS revenue
             FROM (SELECT {key} AS k, rp.commercial_partner_id,
                          count(*) FILTER (WHERE so.date_order >= %(start)s) AS n_cur,
                          count(*) FILTER (WHERE so.date_order < %(start)s) AS n_prev,
                          sum(so.amount_untaxed
                              / COALESCE(NULLIF(so.currency_rate, 0), 1))
                              FILTER (WHERE so.date_order >= %(start)s) AS rev
                     FROM sale_order so
                     JOIN res_partner rp ON rp.id = so.partner_id
                     {join.format(cp="rp.commercial_partner_id")}
                    WHERE so.state = 'sale' AND so.company_id = %(company)s
                      AND so.date_order >= %(prev)s AND so.date_order < %(end)s
                    GROUP BY 1, 2) c
            GROUP BY k"""
    )
    run(
        f"""SELECT {key}, count(*) AS deliveries,
                  count(*) FILTER (WHERE
                      (sp.date_done AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                      <= (COALESCE(sp.date_deadline, sp.scheduled_date)
                          AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                      AND NOT EXISTS (SELECT 1 FROM stock_picking bo
                                       WHERE bo.backorder_id = sp.id)
                      AND NOT EXISTS (SELECT 1 FROM stock_move m
                                       WHERE m.picking_id = sp.id
                                         AND (m.state = 'cancel'
                                              OR m.quantity < m.product_uom_qty)))
                      AS otif
             FROM stock_picking sp
             JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
             JOIN res_partner rp ON rp.id = sp.partner_id
             {join.format(cp="rp.commercial_partner_id")}
            WHERE spt.code = 'outgoing' AND sp.state = 'done'
              AND sp.sale_id IS NOT NULL AND sp.return_id IS NULL
              AND sp.company_id = %(company)s
              AND sp.date_done >= %(start)s AND sp.date_done < %(end)s
            GROUP BY 1"""
    )
    received = (
        "COALESCE(t.qms_received_date, t.create_date) >= %(start)s "
        "AND COALESCE(t.qms_received_date, t.create_date) < %(end)s"
    )
    closed = "t.closed_date >= %(start)s AND t.closed_date < %(end)s"
    answered = (
        "((t.qms_confirmation_date >= %(start)s AND t.qms_confirmation_date < %(end)s"
        " AND t.qms_confirmation_state IN ('confirmed', 'rejected'))"
        " OR (t.qms_rejected_date >= %(start)s AND t.qms_rejected_date < %(end)s))"
    )
    run(
        f"""SELECT {key}, count(*) FILTER (WHERE {received}) AS complaints,
                  count(*) FILTER (WHERE {closed}) AS closed,
                  count(*) FILTER (WHERE {closed}
                      AND COALESCE(t.qms_reopen_count, 0) = 0
                      AND COALESCE(t.qms_paused_hours, 0) = 0) AS fcr,
                  COALESCE(sum(t.qms_ack_hours) FILTER (WHERE {received}
                      AND t.qms_acknowledged_date IS NOT NULL), 0) AS ack_sum,
                  count(*) FILTER (WHERE {received}
                      AND t.qms_acknowledged_date IS NOT NULL) AS ack_n,
                  COALESCE(sum(t.qms_resolution_hours) FILTER (WHERE {received}
                      AND t.closed_date IS NOT NULL), 0) AS res_sum,
                  count(*) FILTER (WHERE {received}
                      AND t.closed_date IS NOT NULL) AS res_n,
                  count(*) FILTER (WHERE {answered}) AS answered,
                  count(*) FILTER (WHERE {answered}
                      AND t.qms_confirmation_state = 'confirmed') AS confirmed
             FROM helpdesk_ticket t
             {join.format(cp="t.commercial_partner_id")}
            WHERE t.qms_is_complaint AND t.company_id = %(company)s
              AND (({received}) OR ({closed}) OR {answered}
                   OR (t.qms_confirmation_date >= %(start)s
                       AND t.qms_confirmation_date < %(end)s))
            GROUP BY 1"""
    )
    answer_in = (
        "COALESCE(ui.end_datetime, ui.create_date) >= %(start)s "
        "AND COALESCE(ui.end_datetime, ui.create_date) < %(end)s"
    )
    run(
        f"""SELECT {key}, count(*) AS invitations,
                  count(*) FILTER (WHERE ui.state = 'done') AS responses,
                  count(*) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_nps_category IS NOT NULL) AS nps_n,
                  count(*) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_nps_category = 'promoter')
                  - count(*) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_nps_category = 'detractor') AS nps_net,
                  count(*) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_csat_score > 0) AS csat_n,
                  count(*) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_csat_score > 0 AND ui.qms_csat_satisfied) AS sat_n,
                  COALESCE(sum(ui.qms_ces_score) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_ces_score > 0), 0) AS ces_sum,
                  count(*) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_ces_score > 0) AS ces_n,
                  count(*) FILTER (WHERE ui.state = 'done'
                      AND ui.qms_is_detractor) AS det_n,
                  count(*) FILTER (WHERE ui.state = 'done' AND ui.qms_is_detractor
                      AND ui.qms_closed_loop) AS loop_n
             FROM survey_user_input ui
             JOIN survey_survey s ON s.id = ui.survey_id
             {join.format(cp="ui.qms_customer_id")}
            WHERE (s.qms_survey_kind IS NOT NULL OR ui.qms_has_score)
              AND NOT COALESCE(ui.test_entry, FALSE) AND {answer_in}
            GROUP BY 1"""
    )
    run(
        f"""WITH rec AS (
                SELECT t.commercial_partner_id AS cp, min(t.qms_resolved_date) AS res
                  FROM helpdesk_ticket t
                 WHERE t.qms_is_complaint AND t.company_id = %(company)s
                   AND t.qms_resolved_date >= %(since)s
                   AND t.qms_resolved_date < %(end)s
                   AND t.qms_confirmation_state <> 'rejected'
                   AND t.commercial_partner_id IS NOT NULL
                 GROUP BY 1),
            never AS (
                SELECT DISTINCT rp.commercial_partner_id AS cp
                  FROM sale_order so JOIN res_partner rp ON rp.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND so.date_order >= %(since)s AND so.date_order < %(end)s
                   AND NOT EXISTS (
                       SELECT 1 FROM helpdesk_ticket c
                        WHERE c.qms_is_complaint
                          AND c.commercial_partner_id = rp.commercial_partner_id
                          AND COALESCE(c.qms_received_date, c.create_date)
                              < %(end)s)),
            grp AS (SELECT cp, 'rec' AS g, res FROM rec
                    UNION ALL SELECT cp, 'never', NULL::timestamp FROM never),
            kg AS (SELECT {key} AS k, grp.* FROM grp {join.format(cp="grp.cp")}),
            buy AS (SELECT rp.commercial_partner_id AS cp, so.date_order AS d
                      FROM sale_order so JOIN res_partner rp ON rp.id = so.partner_id
                     WHERE so.state = 'sale' AND so.company_id = %(company)s
                       AND so.date_order >= %(start)s AND so.date_order < %(end)s),
            ans AS (SELECT ui.qms_customer_id AS cp, ui.qms_nps_category AS cat,
                           COALESCE(ui.end_datetime, ui.create_date) AS d
                      FROM survey_user_input ui
                      JOIN survey_survey s ON s.id = ui.survey_id
                     WHERE (s.qms_survey_kind IS NOT NULL OR ui.qms_has_score)
                       AND NOT COALESCE(ui.test_entry, FALSE)
                       AND ui.state = 'done' AND ui.qms_nps_category IS NOT NULL
                       AND {answer_in}),
            cnt AS (SELECT k, g, count(*) AS n,
                           count(*) FILTER (WHERE EXISTS (
                               SELECT 1 FROM buy WHERE buy.cp = kg.cp
                                  AND (kg.res IS NULL OR buy.d > kg.res))) AS rebuy
                      FROM kg GROUP BY 1, 2),
            nps AS (SELECT k, g, count(*) AS n,
                           count(*) FILTER (WHERE ans.cat = 'promoter')
                           - count(*) FILTER (WHERE ans.cat = 'detractor') AS net
                      FROM kg JOIN ans ON ans.cp = kg.cp
                       AND (kg.res IS NULL OR ans.d > kg.res)
                     GROUP BY 1, 2)
            SELECT cnt.k,
                   sum(cnt.n) FILTER (WHERE cnt.g = 'rec') AS rec_customers,
                   sum(cnt.rebuy) FILTER (WHERE cnt.g = 'rec') AS rec_rebuy,
                   sum(nps.n) FILTER (WHERE cnt.g = 'rec') AS rec_nps_n,
                   sum(nps.net) FILTER (WHERE cnt.g = 'rec') AS rec_nps_net,
                   sum(cnt.n) FILTER (WHERE cnt.g = 'never') AS never_customers,
                   sum(cnt.rebuy) FILTER (WHERE cnt.g = 'never') AS never_rebuy,
                   sum(nps.n) FILTER (WHERE cnt.g = 'never') AS never_nps_n,
                   sum(nps.net) FILTER (WHERE cnt.g = 'never') AS never_nps_net
              FROM cnt LEFT JOIN nps ON nps.k IS NOT DISTINCT FROM cnt.k
               AND nps.g = cnt.g
             GROUP BY cnt.k"""
    )
    run(
        f"""SELECT {key}, COALESCE(sum(c.amount_company), 0) AS copq
             FROM qms_compensation_line c
             LEFT JOIN res_partner rp ON rp.id = c.partner_id
             {join.format(cp="rp.commercial_partner_id")}
            WHERE c.active AND c.company_id = %(company)s
              AND c.date >= %(start)s AND c.date < %(end)s
            GROUP BY 1"""
    )
    return out


def _rounded(triple):
    return triple and tuple(None if v is None else round(v, 6) for v in triple)


def _last_quarter(today):
    first = today.replace(day=1, month=((today.month - 1) // 3) * 3 + 1)
    start = (first - timedelta(days=1)).replace(day=1)
    start = start.replace(month=((start.month - 1) // 3) * 3 + 1)
    return start, first - timedelta(days=1)


def main():
    n_customers = benchlib.env_int("QMS_BENCH_CUSTOMERS", 50000)
    n_orders = benchlib.env_int("QMS_BENCH_ORDERS", 500000)
    n_pickings = benchlib.env_int("QMS_BENCH_PICKINGS", 500000)
    n_tickets = benchlib.env_int("QMS_BENCH_TICKETS", 200000)
    n_responses = benchlib.env_int("QMS_BENCH_SURVEY_RESPONSES", 100000)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 3)
    conf, db = benchlib.require_env(benchlib.CONF, benchlib.DB_FULL)
    benchlib.setup_odoo(conf)
    import pytz  # noqa: PLC0415

    from odoo import api  # noqa: PLC0415

    registry = benchlib.open_registry(db)
    if "qms.metric" not in registry:
        sys.exit(f"error: qms.metric is not in {db}: install qms_crm_metrics")
    failed = False
    with registry.cursor() as cr:
        try:
            root = api.Environment(cr, api.SUPERUSER_ID, {})
            env = benchlib.admin_env(cr)
            _generate(root, n_customers, n_orders, n_pickings, n_tickets, n_responses)
            Metric = env["qms.metric"]
            tz = pytz.timezone("Europe/Berlin")
            day_from, day_to = _last_quarter(date.today())
            p = Metric._qms_params(day_from, day_to, tz, env.company)
            args = (p["start"], p["end"], p["prev_start"], p["since"])
            company = env.company.id

            def ours():
                return {
                    dim: Metric._qms_raw(day_from, day_to, tz, env.company, dim)
                    for dim in DIMS
                }

            def ours_values():
                return {dim: Metric._qms_values(raw) for dim, raw in ours().items()}

            def hand():
                return {
                    dim: _hand_sql(cr, dim, *args, company, tz.zone) for dim in DIMS
                }

            ours()  # warm-up: caches and plans
            medians, got = benchlib.median_rounds(
                {"ours": ours_values, "hand": hand}, rounds, env.invalidate_all
            )
            values, want = got["ours"], got["hand"]
            # every metric, by every key, equal to the hand-written SQL's
            expected = {dim: Metric._qms_values(raw) for dim, raw in want.items()}
            wrong = []
            cells = 0
            for dim, keys in expected.items():
                if set(keys) != set(values[dim]):
                    wrong.append((dim, "keys", set(keys) ^ set(values[dim])))
                for key, codes in keys.items():
                    for code, triple in codes.items():
                        cells += 1
                        mine = values[dim].get(key, {}).get(code)
                        if _rounded(mine) != _rounded(triple):
                            wrong.append((dim, key, code, mine, triple))
            if wrong:
                benchlib.out(f"error: values differ from hand SQL: {wrong[:10]}")
                failed = True
            m_ours, m_hand = medians["ours"], medians["hand"]
            ratio = benchlib.ratio(m_ours, m_hand)
            missed = []
            benchlib.report("metrics_quarter", ratio, GOAL, missed)
            company_total = Metric._qms_compute(day_from, day_to, tz, env.company)
            benchlib.out(
                f"info metrics_quarter: ours={m_ours:.3f}s hand_sql={m_hand:.3f}s "
                f"(median of {rounds} rounds; quarter {day_from}..{day_to} in "
                f"{tz.zone}; {cells} values by segment and team compared, all equal: "
                f"{not wrong}; company: {company_total.get(0)})"
            )
            if missed:
                benchlib.out(f"error: goal missed by {', '.join(missed)}")
                failed = True
            code = benchlib.finish(missed)
        finally:
            cr.rollback()
    return 1 if failed else code


if __name__ == "__main__":
    sys.exit(main())
