#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Satisfaction trends benchmark (qms_crm_survey, ISO 9001 9.1.2 / 9.3.2 c1).

In the database with our addons (QMS_BENCH_DB_FULL), generate with SQL one
satisfaction survey answered 200 000 times over 24 months (1 000 000 answer
lines: NPS, CSAT, CES, a reason and a comment per response), then time the
monthly NPS trend over the 24 months three ways:

* ours: ``qms.satisfaction.report`` read as the graph view does
  (``_read_group`` by ``date:month`` of the ``nps`` measure, as a user);
* raw SQL: the same trend computed straight from the answer lines
  (% promoters - % detractors per month), and once more over the
  per-response score columns we store (the ORM's own overhead);
* Odoo: what a user gets today, the survey results page statistics of the NPS
  question (``survey.question._prepare_statistics`` over all the lines of the
  survey's inputs, as ``/survey/results`` does). It has no monthly trend at
  all; it is timed once.

Output (see tests/bench/README.md)::

    survey_nps_trend_vs_sql: ratio=<x.xx> (goal <= 1.50)
    survey_nps_trend_vs_sql_on_stored_scores: ratio=<x.xx> (goal <= 1.50)
    survey_nps_trend_speedup_vs_results_page: ratio=<x.x> (goal >= 50)

plus ``info ...`` lines with the medians, the sizes and the monthly NPS values.
The monthly NPS of the report must equal the raw SQL ones (asserted: exit 1
otherwise). Everything runs in one transaction that is rolled back.

Environment: QMS_ODOO_CONF, QMS_BENCH_DB_FULL (set by scripts/bench.sh);
QMS_BENCH_SURVEY_RESPONSES (default 200000), QMS_BENCH_ROUNDS (default 7).
"""

import gc
import statistics
import sys
import time

import benchlib

GOAL_SQL = 1.5
GOAL_SPEEDUP = 50.0
LINES_PER_RESPONSE = 5
MONTHS = 24


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def _survey(env):
    """A satisfaction survey with the five questions answered per response."""
    survey = env["survey.survey"].create(
        {
            "title": "Bench relationship survey",
            "qms_survey_kind": "relationship",
            "access_mode": "token",
            "questions_layout": "one_page",
        }
    )
    questions = env["survey.question"].create(
        [
            {
                "survey_id": survey.id,
                "sequence": seq,
                "title": title,
                "question_type": qtype,
                **extra,
            }
            for seq, (title, qtype, extra) in enumerate(
                [
                    (
                        "Recommend us?",
                        "scale",
                        {
                            "scale_min": 0,
                            "scale_max": 10,
                            "qms_satisfaction_kind": "nps",
                        },
                    ),
                    (
                        "Satisfied?",
                        "scale",
                        {
                            "scale_min": 1,
                            "scale_max": 5,
                            "qms_satisfaction_kind": "csat",
                        },
                    ),
                    (
                        "Easy?",
                        "scale",
                        {
                            "scale_min": 1,
                            "scale_max": 7,
                            "qms_satisfaction_kind": "ces",
                        },
                    ),
                    ("Why?", "text_box", {}),
                    ("Anything else?", "char_box", {}),
                ],
                start=1,
            )
        ]
    )
    env.flush_all()
    return survey, questions


def _generate(env, survey, questions, responses):
    """Customers, responses and lines with SQL; the stored scores of the
    responses are filled as the ORM computes them (same rules)."""
    cr = env.cr
    nps_q, csat_q, ces_q, why_q, other_q = questions.ids
    customers = env["res.partner"].create(
        [
            {"name": f"Bench customer {n}", "is_company": True, "customer_rank": 1}
            for n in range(2000)
        ]
    )
    env.flush_all()
    cr.execute(
        """
        SELECT setseed(0.9001);
        CREATE TEMP TABLE qms_bench_response ON COMMIT DROP AS
        SELECT n, partner_id, answered,
               -- a slow wave over the two years, so the trend has a shape
               LEAST(10, GREATEST(0, round(
                   7 + 1.5 * sin(extract(epoch FROM answered) / 5e6)
                   + random() * 6 - 3)))::int AS nps,
               1 + floor(random() * 5)::int AS csat,
               1 + floor(random() * 7)::int AS ces
          FROM (SELECT g AS n,
                       (%(customers)s::int[])[1 + (g %% 2000)] AS partner_id,
                       now() - (random() * interval '729 days') AS answered
                  FROM generate_series(1, %(responses)s) g) r;
        """,
        {"responses": responses, "customers": customers.ids},
    )
    cr.execute(
        """
        CREATE TEMP TABLE qms_bench_input ON COMMIT DROP AS
        WITH ins AS (
            INSERT INTO survey_user_input (
                survey_id, state, test_entry, partner_id, email, access_token,
                start_datetime, end_datetime, create_date, write_date,
                is_session_answer, survey_first_submitted,
                scoring_percentage, scoring_total, scoring_success,
                qms_customer_id, qms_trigger,
                qms_nps_score, qms_nps_category, qms_csat_score, qms_csat_satisfied,
                qms_ces_score, qms_has_score, qms_is_detractor, qms_closed_loop)
            SELECT %(survey)s, 'done', FALSE, r.partner_id, NULL, 'bench-' || r.n,
                   r.answered - interval '3 minutes', r.answered,
                   r.answered, r.answered,
                   FALSE, TRUE, 0, 0, FALSE,
                   r.partner_id, 'relationship',
                   r.nps,
                   CASE WHEN r.nps >= 9 THEN 'promoter'
                        WHEN r.nps >= 7 THEN 'passive' ELSE 'detractor' END,
                   r.csat, r.csat >= 4, r.ces, TRUE,
                   r.nps <= 6 OR r.csat <= 2, FALSE
              FROM qms_bench_response r
            RETURNING id, access_token
        )
        SELECT ins.id, r.* FROM ins JOIN qms_bench_response r
            ON ins.access_token = 'bench-' || r.n;
        INSERT INTO survey_user_input_line (
            user_input_id, survey_id, question_id, question_sequence, skipped,
            answer_type, value_scale, value_text_box, value_char_box,
            answer_score, answer_is_correct, qms_satisfaction_kind,
            create_date, write_date)
        SELECT i.id, %(survey)s, q.question_id, q.seq, FALSE, q.answer_type,
               CASE q.seq WHEN 1 THEN i.nps WHEN 2 THEN i.csat WHEN 3 THEN i.ces END,
               CASE q.seq WHEN 4 THEN 'Because of reason ' || (i.n %% 17) END,
               CASE q.seq WHEN 5 THEN 'Comment ' || (i.n %% 5) END,
               0, FALSE, q.kind, i.answered, i.answered
          FROM qms_bench_input i
         CROSS JOIN (VALUES (1, %(nps)s, 'scale', 'nps'),
                            (2, %(csat)s, 'scale', 'csat'),
                            (3, %(ces)s, 'scale', 'ces'),
                            (4, %(why)s, 'text_box', NULL),
                            (5, %(other)s, 'char_box', NULL))
               AS q(seq, question_id, answer_type, kind);
        ANALYZE survey_user_input;
        ANALYZE survey_user_input_line;
        ANALYZE res_partner;
        """,
        {
            "survey": survey.id,
            "nps": nps_q,
            "csat": csat_q,
            "ces": ces_q,
            "why": why_q,
            "other": other_q,
        },
    )
    cr.execute(
        "SELECT count(*) FROM survey_user_input_line WHERE survey_id = %s",
        [survey.id],
    )
    return cr.fetchone()[0]


# ----------------------------------------------------------------------
# The three ways to get the trend
# ----------------------------------------------------------------------
def _start_month(env):
    env.cr.execute(
        "SELECT (date_trunc('month', now()) - interval '%s months')::date",
        [MONTHS - 1],
    )
    return env.cr.fetchone()[0]


def _ours(env, survey, start):
    env.invalidate_all()
    rows = env["qms.satisfaction.report"]._read_group(
        [
            ("survey_id", "=", survey.id),
            ("date", ">=", start),
            ("nps_category", "!=", False),
        ],
        ["date:month"],
        ["nps:avg"],
    )
    return {month.strftime("%Y-%m"): round(nps, 6) for month, nps in rows}


def _raw_sql(env, question, start):
    env.cr.execute(
        """
        SELECT to_char(date_trunc('month', ui.end_datetime), 'YYYY-MM') AS month,
               100.0 * (count(*) FILTER (WHERE l.value_scale >= 9)
                        - count(*) FILTER (WHERE l.value_scale <= 6)) / count(*)
          FROM survey_user_input_line l
          JOIN survey_user_input ui ON ui.id = l.user_input_id
         WHERE l.question_id = %s AND NOT l.skipped
           AND ui.state = 'done' AND NOT ui.test_entry
           AND ui.end_datetime >= %s
         GROUP BY 1 ORDER BY 1
        """,
        [question.id, start],
    )
    return {month: round(float(nps), 6) for month, nps in env.cr.fetchall()}


def _raw_sql_stored(env, survey, start):
    """The same trend in SQL over the per-response scores we store."""
    env.cr.execute(
        """
        SELECT to_char(date_trunc('month', end_datetime), 'YYYY-MM'),
               100.0 * (count(*) FILTER (WHERE qms_nps_category = 'promoter')
                        - count(*) FILTER (WHERE qms_nps_category = 'detractor'))
               / count(*)
          FROM survey_user_input
         WHERE survey_id = %s AND state = 'done' AND NOT test_entry
           AND qms_nps_category IS NOT NULL AND end_datetime >= %s
         GROUP BY 1 ORDER BY 1
        """,
        [survey.id, start],
    )
    return {month: round(float(nps), 6) for month, nps in env.cr.fetchall()}


def _results_page(env, survey, question):
    """What /survey/results computes for the question (see survey's
    controllers/main.py survey_report and _extract_filters_data)."""
    env.invalidate_all()
    lines = env["survey.user_input.line"].search(
        [
            ("user_input_id.test_entry", "=", False),
            ("user_input_id.state", "!=", "new"),
            ("user_input_id.survey_id", "=", survey.id),
        ]
    )
    stats = question._prepare_statistics(lines)
    return stats[0]


def _timed(func, *args):
    gc.collect()
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def main():
    responses = benchlib.env_int("QMS_BENCH_SURVEY_RESPONSES", 200000)
    rounds = benchlib.env_int("QMS_BENCH_ROUNDS", 7)
    conf, db = benchlib.require_env(benchlib.CONF, benchlib.DB_FULL)
    benchlib.setup_odoo(conf)
    from odoo import api  # noqa: PLC0415

    registry = benchlib.open_registry(db)
    if "qms.satisfaction.report" not in registry:
        sys.exit(f"error: qms_crm_survey is not installed in {db}")
    failed = False
    with registry.cursor() as cr:
        try:
            root = api.Environment(cr, api.SUPERUSER_ID, {})
            env = benchlib.admin_env(cr)
            survey, questions = _survey(root)
            nps_question = questions[0]
            gen_start = time.perf_counter()
            line_count = _generate(root, survey, questions, responses)
            benchlib.out(
                f"info generated {responses} responses, {line_count} answer lines "
                f"in {time.perf_counter() - gen_start:.1f}s"
            )
            start = _start_month(env)
            # warm-up (caches, buffers), then alternate the timed rounds
            ours_values = _ours(env, survey, start)
            sql_values = _raw_sql(env, nps_question, start)
            stored_values = _raw_sql_stored(env, survey, start)
            t_ours, t_sql, t_stored = [], [], []
            for r in range(rounds):
                for which in benchlib.alternate(("ours", "sql", "stored"), r):
                    if which == "ours":
                        t_ours.append(_timed(_ours, env, survey, start)[1])
                    elif which == "sql":
                        t_sql.append(_timed(_raw_sql, env, nps_question, start)[1])
                    else:
                        t_stored.append(_timed(_raw_sql_stored, env, survey, start)[1])
            stats, t_odoo = _timed(_results_page, env, survey, nps_question)
            m_ours, m_sql = statistics.median(t_ours), statistics.median(t_sql)
            m_stored = statistics.median(t_stored)
            ratio_sql = benchlib.ratio(m_ours, m_sql)
            ratio_stored = benchlib.ratio(m_ours, m_stored)
            speedup = benchlib.ratio(t_odoo, m_ours)
            missed = []
            benchlib.report("survey_nps_trend_vs_sql", ratio_sql, GOAL_SQL, missed)
            benchlib.report(
                "survey_nps_trend_vs_sql_on_stored_scores",
                ratio_stored,
                GOAL_SQL,
                missed,
            )
            benchlib.out(
                f"survey_nps_trend_speedup_vs_results_page: ratio={speedup:.1f} "
                f"(goal >= {GOAL_SPEEDUP:.0f})"
            )
            benchlib.out(
                f"info ours={m_ours * 1000:.1f}ms raw_sql_lines={m_sql * 1000:.1f}ms "
                f"raw_sql_stored={m_stored * 1000:.1f}ms "
                f"(median of {rounds}) odoo_results_page={t_odoo:.2f}s (once, "
                f"{len(stats['answer_line_done_ids'])} answers of the question, "
                f"no monthly split)"
            )
            benchlib.out(
                "info monthly NPS (report): "
                + " ".join(f"{m}={v:.1f}" for m, v in sorted(ours_values.items()))
            )
            benchlib.out(
                "info monthly NPS (raw SQL): "
                + " ".join(f"{m}={v:.1f}" for m, v in sorted(sql_values.items()))
            )
            if not (ours_values == sql_values == stored_values):
                benchlib.out(
                    "info MISMATCH between the report and the raw SQL NPS values"
                )
                failed = True
            elif len(ours_values) != MONTHS:
                benchlib.out(f"info expected {MONTHS} months, got {len(ours_values)}")
                failed = True
            else:
                benchlib.out(
                    f"info NPS values equal the raw SQL ones for {MONTHS} months"
                )
            if speedup < GOAL_SPEEDUP:
                missed.append("survey_nps_trend_speedup_vs_results_page")
            if benchlib.finish(missed):
                return 3
        finally:
            cr.rollback()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
