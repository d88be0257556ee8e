# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestScoring(QmsSurveyCommon):
    def test_nps_category_at_boundaries(self):
        expected = {
            0: "detractor",
            6: "detractor",
            7: "passive",
            8: "passive",
            9: "promoter",
            10: "promoter",
        }
        for score, category in expected.items():
            with self.subTest(score=score):
                answer = self._answer(self.nps, self.contact_a, {"nps": score})
                self.assertEqual(answer.qms_nps_score, score)
                self.assertEqual(answer.qms_nps_category, category)
                self.assertTrue(answer.qms_has_score)
                self.assertEqual(answer.qms_is_detractor, category == "detractor")

    def test_csat_satisfied_at_boundaries(self):
        for score, satisfied, detractor in (
            (1, False, True),
            (2, False, True),
            (3, False, False),
            (4, True, False),
            (5, True, False),
        ):
            with self.subTest(score=score):
                answer = self._answer(self.csat, self.contact_a, {"csat": score})
                self.assertEqual(answer.qms_csat_score, score)
                self.assertEqual(answer.qms_csat_satisfied, satisfied)
                self.assertEqual(answer.qms_is_detractor, detractor)
                self.assertFalse(answer.qms_nps_category)

    def test_ces_value_stored(self):
        for score in (1, 4, 7):
            answer = self._answer(self.ces, self.contact_a, {"ces": score})
            self.assertEqual(answer.qms_ces_score, score)
            self.assertFalse(answer.qms_is_detractor)

    def test_scores_link_customer_and_follow_a_changed_answer(self):
        answer = self._answer(self.nps, self.contact_a, {"nps": 9}, done=False)
        self.assertEqual(answer.qms_customer_id, self.customer_a)
        self.assertEqual(answer.qms_nps_category, "promoter")
        answer._save_lines(self._question(self.nps, "nps"), "5")
        self.assertEqual(answer.qms_nps_category, "detractor")

    def test_skipped_question_has_no_score(self):
        answer = self._answer(self.relationship, self.contact_a, {"nps": ""})
        self.assertFalse(answer.qms_nps_category)
        self.assertFalse(answer.qms_has_score)
        self.assertFalse(answer.qms_is_detractor)

    def test_admin_marks_own_scale_question(self):
        survey = self.env["survey.survey"].create({"title": "After-sales check"})
        question = self.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": "Would you recommend our installers?",
                "question_type": "scale",
                "scale_min": 0,
                "scale_max": 10,
                "qms_satisfaction_kind": "nps",
            }
        )
        answer = survey._create_answer(partner=self.contact_a, check_attempts=False)
        answer._save_lines(question, "8")
        self.assertEqual(answer.qms_nps_category, "passive")
        report = self.env["qms.satisfaction.report"].search(
            [("user_input_id", "=", answer.id)]
        )
        self.assertEqual(report.nps, 0.0)

    def test_satisfaction_measure_needs_a_matching_scale_question(self):
        survey = self.env["survey.survey"].create({"title": "Bad setup"})
        with self.assertRaisesRegex(ValidationError, "Only scale questions"):
            self.env["survey.question"].create(
                {
                    "survey_id": survey.id,
                    "title": "Comments",
                    "question_type": "text_box",
                    "qms_satisfaction_kind": "csat",
                }
            )
        with self.assertRaisesRegex(ValidationError, "must use the scale 0 to 10"):
            self.env["survey.question"].create(
                {
                    "survey_id": survey.id,
                    "title": "Recommend?",
                    "question_type": "scale",
                    "scale_min": 1,
                    "scale_max": 5,
                    "qms_satisfaction_kind": "nps",
                }
            )

    def test_partner_satisfaction_summary(self):
        self._answer(self.relationship, self.contact_a, {"nps": 3, "csat": 2})
        self._answer(self.relationship, self.contact_a, {"nps": 10, "csat": 5})
        self.customer_a.invalidate_recordset()
        self.assertEqual(self.customer_a.qms_nps_category, "promoter")
        self.assertAlmostEqual(self.customer_a.qms_csat_avg_12m, 3.5)
        self.assertEqual(self.customer_a.qms_survey_answer_count, 2)
        self.assertIn(
            "o_qms_satisfaction_history", self.customer_a.qms_satisfaction_html
        )
        self.assertIn("Promoter", self.customer_a.qms_satisfaction_html)
        action = self.customer_a.action_qms_view_satisfaction()
        self.assertEqual(
            self.env["survey.user_input"].search_count(action["domain"]), 2
        )
        self.assertIn("No satisfaction answers", self.customer_b.qms_satisfaction_html)
