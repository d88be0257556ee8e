# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scores of existing answers follow a tagged question by set-based SQL, with
the values the ORM's compute gives (the timings over 200,000 answers are in
tests/bench/bench_survey_backfill.py)."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..models import survey_backfill
from .common import QmsSurveyCommon

SCORES = [
    "qms_nps_score",
    "qms_nps_category",
    "qms_csat_score",
    "qms_csat_satisfied",
    "qms_ces_score",
    "qms_has_score",
    "qms_is_detractor",
    "qms_closed_loop",
]
DIMENSIONS = [
    "qms_customer_id",
    "qms_user_id",
    "qms_team_id",
    "qms_product_categ_id",
    "qms_segment_id",
]


@tagged("post_install", "-at_install")
class TestBackfill(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an existing survey with answers, its scale questions not yet tagged
        cls.survey = cls.env["survey.survey"].create({"title": "Yearly check"})
        Question = cls.env["survey.question"]
        cls.recommend = Question.create(
            {
                "survey_id": cls.survey.id,
                "title": "Would you recommend us?",
                "question_type": "scale",
                "scale_min": 0,
                "scale_max": 10,
            }
        )
        cls.satisfied = Question.create(
            {
                "survey_id": cls.survey.id,
                "title": "How satisfied are you?",
                "question_type": "scale",
                "scale_min": 1,
                "scale_max": 5,
            }
        )
        cls.answers = cls.env["survey.user_input"]
        for partner, nps, csat in (
            (cls.contact_a, 10, 5),
            (cls.contact_a, 3, 2),
            (cls.customer_b, 7, None),
            (cls.customer_b, None, 4),
            (cls.contact_a, 0, 1),
        ):
            answer = cls.survey._create_answer(partner=partner, check_attempts=False)
            if nps is not None:
                answer._save_lines(cls.recommend, str(nps))
            else:
                answer._save_lines(cls.recommend, "")
            if csat is not None:
                answer._save_lines(cls.satisfied, str(csat))
            answer._mark_done()
            cls.answers |= answer

    def _stored(self, answers, names):
        answers.invalidate_recordset()
        return {a.id: [a[n] for n in names] for a in answers}

    def _orm(self, answers, names):
        """What the ORM's compute gives for answers (computed again, in a
        savepoint that is rolled back)."""
        with self.env.cr.savepoint(flush=False) as savepoint:
            for name in names:
                self.env.add_to_compute(answers._fields[name], answers)
            answers._recompute_recordset()
            values = {a.id: [a[n] for n in names] for a in answers}
            savepoint.rollback()
        answers.invalidate_recordset()
        return values

    def test_tagging_an_existing_question_scores_its_answers(self):
        self.assertEqual(set(self.answers.mapped("qms_has_score")), {False})
        self.recommend.qms_satisfaction_kind = "nps"
        self.satisfied.write({"qms_satisfaction_kind": "csat"})
        self.assertEqual(
            self.answers.mapped("qms_nps_category"),
            ["promoter", "detractor", "passive", False, "detractor"],
        )
        self.assertEqual(
            self.answers.mapped("qms_csat_satisfied"),
            [True, False, False, True, False],
        )
        self.assertEqual(
            self.answers.mapped("qms_is_detractor"), [False, True, False, False, True]
        )
        self.assertEqual(
            self._stored(self.answers, SCORES), self._orm(self.answers, SCORES)
        )
        # the trends read the new scores
        report = self.env["qms.satisfaction.report"].search(
            [("user_input_id", "in", self.answers.ids), ("nps", "!=", False)]
        )
        self.assertTrue(report)
        # untagged again: the scores go
        self.recommend.qms_satisfaction_kind = False
        self.assertEqual(set(self.answers.mapped("qms_nps_category")), {False})
        self.assertEqual(
            self._stored(self.answers, SCORES), self._orm(self.answers, SCORES)
        )
        line = self.answers[0].user_input_line_ids.filtered(
            lambda x: x.question_id == self.recommend
        )
        self.assertFalse(line.qms_satisfaction_kind)

    def test_answers_of_other_surveys_are_untouched(self):
        other = self._answer(self.nps, self.contact_a, {"nps": 9})
        self.env.flush_all()
        query = "SELECT ctid::text FROM survey_user_input WHERE id = %s"
        self.env.cr.execute(query, [other.id])
        version = self.env.cr.fetchone()
        self.recommend.qms_satisfaction_kind = "nps"
        self.env.cr.execute(query, [other.id])
        self.assertEqual(self.env.cr.fetchone(), version)
        self.assertEqual(other.qms_nps_category, "promoter")

    def test_a_wrong_tag_is_refused_before_any_answer_changes(self):
        with self.assertRaisesRegex(ValidationError, "must use the scale 0 to 10"):
            self.satisfied.qms_satisfaction_kind = "nps"
        self.assertFalse(self.satisfied.qms_satisfaction_kind)

    def test_tagging_needs_the_right_to_edit_the_question(self):
        with self.assertRaises(AccessError):
            self.recommend.with_user(self.salesman).write(
                {"qms_satisfaction_kind": "nps"}
            )

    def test_install_backfill_gives_what_the_orm_computes(self):
        """The statements of the pre_init_hook, run again over every answer,
        leave the values the ORM computed (demo answers included)."""
        answers = self.env["survey.user_input"].search([])
        self.recommend.qms_satisfaction_kind = "nps"
        before = self._orm(answers, SCORES + DIMENSIONS)
        no_context = answers.filtered(
            lambda a: not (a.qms_ticket_id or a.qms_sale_order_id or a.qms_picking_id)
        )
        self.env.flush_all()
        survey_backfill.update_scores(self.env.cr)
        survey_backfill.update_dimensions(self.env.cr)
        after = self._stored(answers, SCORES + DIMENSIONS)
        self.assertEqual(
            {k: v[: len(SCORES)] for k, v in after.items()},
            {k: v[: len(SCORES)] for k, v in before.items()},
        )
        # dimensions: the answers without a ticket, order or delivery
        self.assertTrue(no_context)
        self.assertEqual(
            {k: after[k] for k in no_context.ids},
            {k: before[k] for k in no_context.ids},
        )

    def test_install_gives_the_empty_scores_as_the_new_columns_values(self):
        """On install the score columns are added with the empty scores as
        their value (no UPDATE of every answer): exactly what the backfill
        statement computes when no line is of a tagged question; the
        dimensions are written by one rewrite of the table, the same values
        as the UPDATE of every answer. (The columns are dropped inside the
        test's transaction, rolled back at its end.)"""
        self.recommend.qms_satisfaction_kind = "nps"
        self.env.flush_all()
        cr = self.env.cr
        # what the UPDATE of every answer writes (held equal to the ORM by
        # test_install_backfill_gives_what_the_orm_computes)
        survey_backfill.update_dimensions(cr)
        dimensions = (
            "SELECT id, qms_customer_id, qms_user_id, qms_team_id, "
            "qms_product_categ_id, qms_segment_id FROM survey_user_input ORDER BY id"
        )
        cr.execute(dimensions)
        updated = cr.fetchall()
        self.assertTrue(any(row[1] for row in updated))
        for table, columns in (
            ("survey_user_input", survey_backfill.ANSWER_COLUMNS),
            ("survey_user_input_line", survey_backfill.LINE_COLUMNS),
        ):
            for column in columns:
                cr.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}" CASCADE')
        self.assertTrue(survey_backfill.create_columns(cr))
        # the table rewrite of the install gives the same dimensions
        self.assertEqual(
            survey_backfill.rewrite_dimensions(cr),
            len([row for row in updated if row[1]]),
        )
        cr.execute(dimensions)
        self.assertEqual(cr.fetchall(), updated)
        # a second run finds them: the scores are then computed from the lines
        self.assertFalse(survey_backfill.create_columns(cr))
        cr.execute("SELECT count(*) FROM survey_user_input")
        self.assertGreater(cr.fetchone()[0], 0)
        self.assertEqual(survey_backfill.update_scores(cr), 0)
        cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = "
            "'survey_user_input' AND column_name LIKE 'qms\\_%%' "
            "AND column_default IS NOT NULL"
        )
        self.assertEqual(cr.fetchone()[0], 0)
        self.env.invalidate_all()
