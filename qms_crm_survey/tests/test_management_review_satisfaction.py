# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones

from .common import QmsSurveyCommon


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestManagementReviewSatisfaction(QmsSurveyCommon):
    def _prepared(self, date_from, date_to):
        review = (
            self.env["qms.management.review"]
            .with_user(self.qms_manager)
            .create({"date_from": date_from, "date_to": date_to})
        )
        review.action_prepare()
        return review

    def test_satisfaction_figures_equal_sql_on_demo_data_and_stay_frozen(self):
        demo = self.env.ref("qms_crm.demo_management_review")
        review = self._prepared(demo.date_from, demo.date_to)
        figures = {f.code: f for f in review.figure_ids}
        self.assertEqual(figures["satisfaction.nps"].section, "satisfaction")
        self.env.cr.execute(
            """SELECT avg(CASE ui.qms_nps_category WHEN 'promoter' THEN 100.0
                              WHEN 'passive' THEN 0.0 WHEN 'detractor' THEN -100.0 END),
                      avg(CASE WHEN ui.qms_csat_score > 0 THEN
                          CASE WHEN ui.qms_csat_satisfied THEN 100.0 ELSE 0.0 END END),
                      avg(NULLIF(ui.qms_ces_score, 0)),
                      count(*) FILTER (WHERE ui.state = 'done')
                 FROM survey_user_input ui
                 JOIN survey_survey s ON s.id = ui.survey_id
                WHERE (s.qms_survey_kind IS NOT NULL OR ui.qms_has_score)
                  AND NOT COALESCE(ui.test_entry, FALSE)
                  AND COALESCE(ui.end_datetime, ui.create_date) >= %s
                  AND COALESCE(ui.end_datetime, ui.create_date) < %s""",
            list(review._qms_period()),
        )
        nps, csat, ces, responses = self.env.cr.fetchone()
        self.assertTrue(responses, "the demo data has answers in the period")
        self.assertAlmostEqual(figures["satisfaction.nps"].value, round(float(nps), 1))
        self.assertAlmostEqual(
            figures["satisfaction.csat"].value, round(float(csat), 1)
        )
        self.assertAlmostEqual(figures["satisfaction.ces"].value, round(float(ces), 2))
        self.assertEqual(figures["satisfaction.responses"].value, responses)
        monthly = review.figure_ids.filtered(
            lambda f: f.month and f.code.startswith("satisfaction.nps.")
        )
        self.assertTrue(monthly)
        # a new detractor later does not change the prepared review
        before = {f.code: f.value for f in review.figure_ids}
        self._answer(self.nps, self.customer_a, {"nps": 0})
        self.env.flush_all()
        review.figure_ids.invalidate_recordset()
        self.assertEqual({f.code: f.value for f in review.figure_ids}, before)

    def test_monthly_trend_is_charted_from_the_figures(self):
        # the month as the manager who prepares the review sees it
        today = fields.Date.context_today(
            self.env["qms.management.review"].with_user(self.qms_manager)
        )
        self._answer(self.nps, self.customer_a, {"nps": 10})
        review = self._prepared(today - timedelta(days=1), today)
        action = review.action_open_trend()
        self.assertEqual(action["view_mode"], "graph,pivot,list")
        trend = self.env["qms.management.review.figure"].search(action["domain"])
        self.assertIn("NPS by month", trend.mapped("name"))
        self.assertEqual(
            trend.filtered(lambda f: f.name == "NPS by month").month,
            today.replace(day=1),
        )
        # the same figures as bars in the form and in the printed record
        self.assertIn("NPS by month", review.trend_html)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "qms_crm_evidence.action_report_management_review", review.ids
            )[0]
            .decode()
        )
        self.assertIn("Monthly trend", html)
        self.assertIn("NPS by month", html)
