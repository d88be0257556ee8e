# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Set-based SQL for the stored scores and dimensions of survey answers.

The ORM computes them for an answer being submitted; for answers that exist
already (installing on a database with years of history, tagging the
question of an existing survey as an NPS / CSAT / CES measure), these
statements compute the same values for every row at once: one UPDATE instead
of a Python loop over 200,000 answers in one transaction (which a production
worker's 60 s CPU / 2 GB limits kill). tests/test_scoring.py holds them equal
to the ORM's compute.
"""

from odoo.tools import SQL

from .survey_user_input import CLOSED_LOOP_DAYS

# the stored columns of survey.user_input these statements fill, and their types
ANSWER_COLUMNS = {
    "qms_nps_score": "int4",
    "qms_nps_category": "varchar",
    "qms_csat_score": "int4",
    "qms_csat_satisfied": "bool",
    "qms_ces_score": "int4",
    "qms_has_score": "bool",
    "qms_is_detractor": "bool",
    "qms_customer_id": "int4",
    "qms_team_id": "int4",
    "qms_user_id": "int4",
    "qms_product_categ_id": "int4",
    "qms_segment_id": "int4",
    "qms_followup_date": "timestamp",
    "qms_closed_loop": "bool",
}
LINE_COLUMNS = {"qms_satisfaction_kind": "varchar"}
# what update_scores writes for an answer without any line of a tagged
# question: the value of every answer when the addon is installed
EMPTY_SCORES = {
    "qms_nps_score": "0",
    "qms_csat_score": "0",
    "qms_csat_satisfied": "false",
    "qms_ces_score": "0",
    "qms_has_score": "false",
    "qms_is_detractor": "false",
    "qms_closed_loop": "false",
}


def _answers(answer_ids):
    """The answers a statement works on: all, or those of answer_ids (an SQL
    sub-select or a list of ids)."""
    if answer_ids is None:
        return SQL("SELECT id FROM survey_user_input")
    if isinstance(answer_ids, SQL):
        return answer_ids
    return SQL("SELECT unnest(%s::int[])", list(answer_ids))


def update_scores(cr, answer_ids=None):
    """Scores of the answers (``_compute_qms_scores``): per measure, the first
    line (by id) of a question tagged with it that was not skipped."""
    cr.execute(
        SQL(
            """
            WITH target(id) AS (%(answers)s),
            firsts AS (
                SELECT DISTINCT ON (l.user_input_id, l.qms_satisfaction_kind)
                       l.user_input_id AS id, l.qms_satisfaction_kind AS kind,
                       COALESCE(l.value_scale, 0) AS v
                  FROM survey_user_input_line l
                 WHERE l.qms_satisfaction_kind IS NOT NULL
                   AND NOT COALESCE(l.skipped, FALSE)
                   AND l.user_input_id IN (SELECT * FROM target)
                 ORDER BY l.user_input_id, l.qms_satisfaction_kind, l.id),
            s AS (
                SELECT id,
                       max(v) FILTER (WHERE kind = 'nps') AS nps,
                       max(v) FILTER (WHERE kind = 'csat') AS csat,
                       max(v) FILTER (WHERE kind = 'ces') AS ces
                  FROM firsts GROUP BY id)
            UPDATE survey_user_input ui SET
                   qms_nps_score = COALESCE(s.nps, 0),
                   qms_nps_category = CASE WHEN s.nps IS NULL THEN NULL
                                           WHEN s.nps >= 9 THEN 'promoter'
                                           WHEN s.nps >= 7 THEN 'passive'
                                           ELSE 'detractor' END,
                   qms_csat_score = COALESCE(s.csat, 0),
                   qms_csat_satisfied = COALESCE(s.csat, 0) >= 4,
                   qms_ces_score = COALESCE(s.ces, 0),
                   qms_has_score = s.id IS NOT NULL,
                   qms_is_detractor = COALESCE(s.nps < 7 OR s.csat <= 2, FALSE),
                   qms_closed_loop = COALESCE(s.nps < 7 OR s.csat <= 2, FALSE)
                       AND ui.end_datetime IS NOT NULL
                       AND ui.qms_followup_date IS NOT NULL
                       AND ui.qms_followup_date
                           <= ui.end_datetime + interval '%(days)s days'
              FROM target LEFT JOIN s ON s.id = target.id
             WHERE ui.id = target.id
               AND (ui.qms_nps_score, ui.qms_nps_category, ui.qms_csat_score,
                    ui.qms_csat_satisfied, ui.qms_ces_score, ui.qms_has_score,
                    ui.qms_is_detractor)
                   IS DISTINCT FROM
                   (COALESCE(s.nps, 0),
                    CASE WHEN s.nps IS NULL THEN NULL WHEN s.nps >= 9 THEN 'promoter'
                         WHEN s.nps >= 7 THEN 'passive' ELSE 'detractor' END,
                    COALESCE(s.csat, 0), COALESCE(s.csat, 0) >= 4,
                    COALESCE(s.ces, 0), s.id IS NOT NULL,
                    COALESCE(s.nps < 7 OR s.csat <= 2, FALSE))
            """,
            answers=_answers(answer_ids),
            days=SQL(str(int(CLOSED_LOOP_DAYS))),
        )
    )
    return cr.rowcount


# each partner's first active tag (by name, then id): its segment
SEGMENT = SQL(
    """SELECT DISTINCT ON (r.partner_id) r.partner_id, c.id
         FROM res_partner_res_partner_category_rel r
         JOIN res_partner_category c ON c.id = r.category_id
        WHERE c.active
        ORDER BY r.partner_id, c.name->>'en_US', c.id"""
)


def update_dimensions(cr):
    """Customer and reporting dimensions of answers that have no ticket, order
    or delivery of their own (``_compute_qms_customer_id``,
    ``_compute_qms_dimensions``): every answer when the addon is installed."""
    cr.execute(
        SQL(
            """
        WITH segment AS (%s)
        UPDATE survey_user_input ui SET
               qms_customer_id = cp.id,
               qms_user_id = cp.user_id,
               qms_team_id = u.sale_team_id,
               qms_product_categ_id = NULL,
               qms_segment_id = segment.id
          FROM res_partner p
          JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
          LEFT JOIN res_users u ON u.id = cp.user_id
          LEFT JOIN segment ON segment.partner_id = cp.id
         WHERE p.id = ui.partner_id
        """,
            SEGMENT,
        )
    )
    return cr.rowcount


def rewrite_dimensions(cr):
    """What ``update_dimensions`` writes, for columns just added (install):
    the table is rewritten once by ``ALTER COLUMN ... TYPE ... USING``, the
    values looked up per answer in a constant built from the partners that
    answered. An UPDATE of every answer costs four times as much: each new
    row version is checked against the unique indexes (id, access token),
    which visit the old version in the table (3.4 s against 0.8 s for
    200,000 answers). Return the number of answers with a partner."""
    cr.execute(
        SQL(
            """
        WITH segment AS (%s)
        SELECT jsonb_object_agg(
                   p.id,
                   jsonb_build_array(cp.id, cp.user_id, u.sale_team_id, segment.id)
               )::text
          FROM res_partner p
          JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
          LEFT JOIN res_users u ON u.id = cp.user_id
          LEFT JOIN segment ON segment.partner_id = cp.id
         WHERE p.id IN (SELECT partner_id FROM survey_user_input)
        """,
            SEGMENT,
        )
    )
    mapping = cr.fetchone()[0]
    if not mapping:
        return 0
    cr.execute(
        SQL(
            """ALTER TABLE survey_user_input
               ALTER COLUMN qms_customer_id TYPE int4
                     USING ((%(m)s::jsonb -> partner_id::text) ->> 0)::int4,
               ALTER COLUMN qms_user_id TYPE int4
                     USING ((%(m)s::jsonb -> partner_id::text) ->> 1)::int4,
               ALTER COLUMN qms_team_id TYPE int4
                     USING ((%(m)s::jsonb -> partner_id::text) ->> 2)::int4,
               ALTER COLUMN qms_segment_id TYPE int4
                     USING ((%(m)s::jsonb -> partner_id::text) ->> 3)::int4""",
            m=mapping,
        )
    )
    cr.execute("SELECT count(partner_id) FROM survey_user_input")
    return cr.fetchone()[0]


def create_columns(cr):
    """Create the stored columns before the ORM does (pre_init_hook), so that
    installing does not compute them row by row in Python. Return whether
    they were new: then the scores of every answer are the empty ones
    (no line can be of a tagged question before the line's column exists),
    given as the columns' values when they are added (PostgreSQL keeps such a
    constant in the catalog, without writing a row) instead of an UPDATE of
    every answer; the default is dropped right after."""
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = "
        "'survey_user_input_line' AND column_name = 'qms_satisfaction_kind'"
    )
    new = not cr.fetchone()
    for table, columns in (
        ("survey_user_input", ANSWER_COLUMNS),
        ("survey_user_input_line", LINE_COLUMNS),
    ):
        for column, kind in columns.items():
            empty = EMPTY_SCORES.get(column) if new else None
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    SQL(kind),
                    SQL("DEFAULT %s", SQL(empty)) if empty else SQL(),
                )
            )
            if empty:
                cr.execute(
                    SQL(
                        "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
                        SQL.identifier(table),
                        SQL.identifier(column),
                    )
                )
    return new
