# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""tag_nps_200k and install_on_history: satisfaction scores on years of answers.

Data (SQL, ``generate_series``): one survey with QMS_BENCH_RESPONSES answers
(default 200,000), five lines each (1,000,000 lines): a 0-10 scale question
not yet tagged as a measure, and four text questions.

- ``tag_nps_200k``: tagging the scale question as NPS
  (``question.write({"qms_satisfaction_kind": "nps"})`` as the administrator,
  committed) divided by one hand-written SQL ``UPDATE`` computing the same
  scores on a copy of the same data. Goal <= 3; the memory of the process may
  grow by 200 MB at most; afterwards the monthly NPS trend of
  ``qms.satisfaction.report`` equals the one raw SQL computes from the lines.
- ``install_on_history``: ``odoo-bin -i qms_crm_survey`` on a database with
  those answers divided by the same install on the same database without
  them. Goal <= 1.5.

Database: QMS_BENCH_SURVEY_DB (default QMS_BENCH_DB_FULL), with our addons and
``qms_crm_survey`` installed; copied, never changed. install_on_history
uninstalls ``qms_crm_survey`` on a copy first.
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import benchlib

ODOO_BIN = str(Path(os.environ.get("ODOO_PATH", "/opt/odoo19")) / "odoo-bin")
GOAL_TAG, GOAL_INSTALL, MEMORY_MB = 3.0, 1.5, 200


def generate(cr, count):
    """The survey, its questions and ``count`` answers of five lines."""
    from odoo import api  # noqa: PLC0415

    env = api.Environment(cr, api.SUPERUSER_ID, {})
    survey_rec = env["survey.survey"].create({"title": "Yearly check"})
    questions = [
        env["survey.question"]
        .create(
            {
                "survey_id": survey_rec.id,
                "title": f"Question {n}",
                "sequence": n,
                **(
                    {"question_type": "scale", "scale_min": 0, "scale_max": 10}
                    if n == 0
                    else {"question_type": "text_box"}
                ),
            }
        )
        .id
        for n in range(5)
    ]
    env.flush_all()
    survey = survey_rec.id
    cr.execute("SELECT id FROM res_partner WHERE active ORDER BY id LIMIT 500")
    partners = [row[0] for row in cr.fetchall()]
    cr.execute(
        """INSERT INTO survey_user_input (survey_id, partner_id, state, access_token,
               create_date, write_date, end_datetime, test_entry)
           SELECT %s, (%s::int[])[1 + n %% %s], 'done', md5(n::text || random()::text),
                  ts, ts, ts, FALSE
             FROM generate_series(1, %s) n,
                  LATERAL (SELECT now() AT TIME ZONE 'UTC'
                           - (n %% 1460) * interval '1 day' AS ts) t""",
        [survey, partners, len(partners), count],
    )
    cr.execute(
        """INSERT INTO survey_user_input_line (user_input_id, survey_id, question_id,
               answer_type, value_scale, value_char_box, skipped, create_date,
               write_date)
           SELECT ui.id, %s, q.id,
                  CASE WHEN q.question_type = 'scale' THEN 'scale' ELSE 'char_box' END,
                  CASE WHEN q.question_type = 'scale' THEN (ui.id * 7) %% 11 END,
                  CASE WHEN q.question_type <> 'scale' THEN 'fine' END,
                  FALSE, ui.create_date, ui.create_date
             FROM survey_user_input ui
             CROSS JOIN survey_question q
            WHERE ui.survey_id = %s AND q.survey_id = %s""",
        [survey, survey, survey],
    )
    cr.execute("ANALYZE survey_user_input; ANALYZE survey_user_input_line")
    return survey, questions[0]


BASELINE_UPDATE = """
UPDATE survey_user_input ui SET
       qms_nps_score = l.value_scale,
       qms_nps_category = CASE WHEN l.value_scale >= 9 THEN 'promoter'
                               WHEN l.value_scale >= 7 THEN 'passive'
                               ELSE 'detractor' END,
       qms_has_score = TRUE,
       qms_is_detractor = l.value_scale < 7
  FROM survey_user_input_line l
 WHERE l.user_input_id = ui.id AND l.question_id = %s AND NOT l.skipped
"""

RAW_TREND = """
SELECT date_trunc('month', COALESCE(ui.end_datetime, ui.create_date))::date,
       round(avg(CASE WHEN l.value_scale >= 9 THEN 100.0
                      WHEN l.value_scale >= 7 THEN 0.0 ELSE -100.0 END), 3)
  FROM survey_user_input ui
  JOIN survey_user_input_line l ON l.user_input_id = ui.id AND l.question_id = %s
 WHERE ui.survey_id = %s AND NOT l.skipped
 GROUP BY 1 ORDER BY 1
"""


def report_trend(env, survey):
    groups = env["qms.satisfaction.report"]._read_group(
        [("survey_id", "=", survey), ("nps_category", "!=", False)],
        ["date:month"],
        ["nps:avg"],
    )
    return [(month, round(avg, 3)) for month, avg in groups]


def max_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tag_nps(source, count):
    template = "qms_bench_tag_src"
    benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    benchlib.admin_sql(f'CREATE DATABASE "{template}" TEMPLATE "{source}"')
    registry = benchlib.open_registry(template)
    with registry.cursor() as cr:
        survey, question = generate(cr, count)
        cr.commit()  # pylint: disable=invalid-commit
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.sql_db import close_db  # noqa: PLC0415

    Registry.delete(template)
    close_db(template)
    results = {}
    try:
        for label in ("sql", "ours"):
            copy = f"qms_bench_tag_{label}"
            registry = benchlib.copy_database(template, copy)
            try:
                with registry.cursor() as cr:
                    env = benchlib.admin_env(cr)
                    rss = max_rss_mb()
                    start = time.perf_counter()
                    if label == "ours":
                        env["survey.question"].browse(question).write(
                            {"qms_satisfaction_kind": "nps"}
                        )
                    else:
                        cr.execute(BASELINE_UPDATE, [question])
                    cr.commit()  # pylint: disable=invalid-commit
                    seconds = time.perf_counter() - start
                    growth = max_rss_mb() - rss
                    if label == "ours":
                        env.invalidate_all()
                        trend = report_trend(env, survey)
                        cr.execute(RAW_TREND, [question, survey])
                        raw = [(d, round(float(v), 3)) for d, v in cr.fetchall()]
                        results["equal"] = (
                            len(raw) > 0
                            and len(trend) == len(raw)
                            and all(
                                tm == rm and abs(tv - rv) < 1e-6
                                for (tm, tv), (rm, rv) in zip(trend, raw, strict=True)
                            )
                        )
                        if not results["equal"]:
                            benchlib.out(f"info trend {trend[:3]} raw {raw[:3]}")
                        results["months"] = len(raw)
                    cr.rollback()
                results[label] = (seconds, growth)
            finally:
                benchlib.drop_database(copy)
    finally:
        benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    return results


def odoo(conf, db, *args):
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            ODOO_BIN,
            "-c",
            conf,
            "-d",
            db,
            "--no-http",
            "--stop-after-init",
            "--log-level=warn",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=7200,
        check=False,
    )
    if proc.returncode:
        raise SystemExit(
            f"odoo-bin {' '.join(args)} on {db} failed:\n{proc.stderr[-4000:]}"
        )
    return time.perf_counter() - start


def install_on_history(conf, source, count):
    base = "qms_bench_inst_empty"
    benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)')
    benchlib.admin_sql(f'CREATE DATABASE "{base}" TEMPLATE "{source}"')
    history = "qms_bench_inst_history"
    try:
        script = (
            "env['ir.module.module'].search([('name', '=', 'qms_crm_survey')])"
            ".button_immediate_uninstall()\nenv.cr.commit()\n"
        )
        proc = subprocess.run(
            [
                sys.executable,
                ODOO_BIN,
                "shell",
                "-c",
                conf,
                "-d",
                base,
                "--no-http",
                "--log-level=warn",
            ],
            input=script,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if proc.returncode:
            raise SystemExit(f"uninstall failed:\n{proc.stderr[-4000:]}")
        benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{history}" WITH (FORCE)')
        benchlib.admin_sql(f'CREATE DATABASE "{history}" TEMPLATE "{base}"')
        registry = benchlib.open_registry(history)
        with registry.cursor() as cr:
            generate(cr, count)
            cr.commit()  # pylint: disable=invalid-commit
        from odoo.modules.registry import Registry  # noqa: PLC0415
        from odoo.sql_db import close_db  # noqa: PLC0415

        Registry.delete(history)
        close_db(history)
        seconds = {}
        for label, db in (("empty", base), ("history", history)):
            seconds[label] = odoo(conf, db, "-i", "qms_crm_survey")
        return seconds
    finally:
        for db in (base, history):
            benchlib.admin_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def main():
    (conf,) = benchlib.require_env(benchlib.CONF)
    count = benchlib.env_int("QMS_BENCH_RESPONSES", 200000)
    source = os.environ.get("QMS_BENCH_SURVEY_DB") or os.environ.get(benchlib.DB_FULL)
    if not source:
        raise SystemExit("error: set QMS_BENCH_SURVEY_DB or QMS_BENCH_DB_FULL")
    benchlib.setup_odoo(conf)
    missed = []
    tag = tag_nps(source, count)
    (ours_s, ours_mb), (sql_s, _sql_mb) = tag["ours"], tag["sql"]
    benchlib.out(
        f"info responses={count} lines={5 * count} tag: ours={ours_s:.2f}s "
        f"one SQL UPDATE={sql_s:.2f}s memory growth={ours_mb:.0f} MB "
        f"trend equal to raw SQL: {tag['equal']} ({tag['months']} months)"
    )
    benchlib.report("tag_nps_200k", benchlib.ratio(ours_s, sql_s), GOAL_TAG, missed)
    if ours_mb > MEMORY_MB:
        missed.append("tag_nps_200k memory")
    if os.environ.get("QMS_BENCH_SKIP_INSTALL") != "1":
        install = install_on_history(conf, source, count)
        benchlib.out(
            f"info install qms_crm_survey: on {count} answers "
            f"{install['history']:.1f}s, "
            f"on none {install['empty']:.1f}s"
        )
        benchlib.report(
            "install_on_history",
            benchlib.ratio(install["history"], install["empty"]),
            GOAL_INSTALL,
            missed,
        )
    if not tag["equal"]:
        benchlib.out("info the trend differs from raw SQL")
        return 1
    return benchlib.finish(missed)


if __name__ == "__main__":
    sys.exit(main())
