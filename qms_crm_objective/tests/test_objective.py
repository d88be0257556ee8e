# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.qms_crm_metrics.tests.common import OCT_FROM, OCT_TO, QmsMetricsCommon

from ..models.qms_quality_objective import objective_status, period_of


@tagged("post_install", "-at_install")
class TestQualityObjective(QmsMetricsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "UTC"
        Objective = cls.env["qms.quality.objective"]
        cls.complaints = Objective.create(
            {
                "name": "Complaints under 30 per 100 orders",
                "metric": "complaint_rate",
                "target": 30.0,
                "risk_band": 5.0,
                "owner_id": cls.qms_manager.id,
            }
        )
        cls.retention = Objective.create(
            {
                "name": "Retain 80 %",
                "metric": "retention",
                "target": 80.0,
                "risk_band": 10.0,
                "owner_id": cls.qms_manager.id,
            }
        )
        cls.retention_seg2 = Objective.create(
            {
                "name": "Retain 90 % of segment two",
                "metric": "retention",
                "scope": "segment",
                "segment_id": cls.seg2.id,
                "target": 90.0,
                "owner_id": cls.salesman.id,
                "parent_id": cls.retention.id,
            }
        )

    def _measure_october(self, objectives, closed=True):
        return objectives._qms_measure(
            {objective: [(OCT_FROM, OCT_TO, closed)] for objective in objectives}
        )

    def test_status_rule(self):
        self.assertEqual(objective_status(31, 30, "higher", 5), "on_track")
        self.assertEqual(objective_status(26, 30, "higher", 5), "at_risk")
        self.assertEqual(objective_status(24, 30, "higher", 5), "missed")
        self.assertEqual(objective_status(29, 30, "lower", 5), "on_track")
        self.assertEqual(objective_status(34, 30, "lower", 5), "at_risk")
        self.assertEqual(objective_status(36, 30, "lower", 5), "missed")
        self.assertEqual(objective_status(None, 30, "lower", 5), "no_data")

    def test_periods(self):
        self.assertEqual(
            period_of(date(2026, 8, 15), "quarterly"),
            (date(2026, 7, 1), date(2026, 9, 30)),
        )
        self.assertEqual(
            period_of(date(2026, 8, 15), "yearly"),
            (date(2026, 1, 1), date(2026, 12, 31)),
        )
        spans = self.complaints._qms_due_periods(date(2016, 11, 15))
        self.assertEqual(
            spans,
            [
                (date(2016, 11, 1), date(2016, 11, 30), False),
                (OCT_FROM, OCT_TO, True),
            ],
        )

    def test_statuses_of_a_closed_period_and_owner_activity(self):
        objectives = self.complaints | self.retention | self.retention_seg2
        self._measure_october(objectives)
        self.assertEqual(self.complaints.status, "at_risk")
        self.assertAlmostEqual(self.complaints.actual, 100 / 3, places=2)
        self.assertEqual(self.retention.status, "missed")
        self.assertEqual(self.retention.color, 1)
        self.assertEqual(self.retention_seg2.status, "on_track")
        self.assertEqual(self.retention_seg2.actual, 100.0)
        self.assertTrue(self.retention_seg2.last_result_id.achieved)
        # the owners of the objectives at risk or missed get an activity
        self.assertEqual(
            self.complaints.activity_ids.user_id, self.qms_manager, "at risk"
        )
        self.assertEqual(self.retention.activity_ids.user_id, self.qms_manager)
        self.assertFalse(self.retention_seg2.activity_ids)
        # delegation rolls up: the company objective shows the worst status
        self.assertEqual(self.retention.rollup_status, "missed")
        self.assertEqual(self.retention_seg2.rollup_status, "on_track")
        # searchable
        Objective = self.env["qms.quality.objective"]
        self.assertEqual(
            Objective.search([("status", "=", "at_risk")]) & objectives,
            self.complaints,
        )

    def test_running_period_updated_closed_period_final(self):
        self._measure_october(self.retention, closed=False)
        result = self.retention.last_result_id
        self.assertFalse(result.closed)
        self.assertEqual(result.status, "missed")
        self.assertFalse(self.retention.activity_ids, "no activity while running")
        # b buys again in October: the running period is measured again
        self._dated_order(self.customer_b, OCT_TO.replace(day=20))
        self._measure_october(self.retention, closed=True)
        self.assertEqual(result.actual, 100.0)
        self.assertEqual(result.status, "on_track")
        self.assertTrue(result.closed)
        # a closed period is final
        self.customer_a.category_id = False
        self._dated_order(self.customer_c, OCT_TO.replace(day=25))
        self._measure_october(self.retention, closed=True)
        self.assertEqual(result.actual, 100.0)
        # nobody edits results: they are written by the measurement only
        with self.assertRaises(AccessError):
            result.with_user(self.qms_manager).write({"actual": 1.0})

    def test_scope_required(self):
        with self.assertRaises(ValidationError):
            self.env["qms.quality.objective"].create(
                {
                    "name": "Team objective without team",
                    "metric": "nps",
                    "scope": "team",
                    "target": 30,
                }
            )

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["qms.quality.objective"].with_user(self.qms_user).create(
                {"name": "Mine", "metric": "nps", "target": 10}
            )
        self.assertTrue(
            self.env["qms.quality.objective"]
            .with_user(self.qms_user)
            .search([("id", "=", self.complaints.id)])
        )
        objective = (
            self.env["qms.quality.objective"]
            .with_user(self.qms_manager)
            .create({"name": "Mine", "metric": "nps", "target": 10})
        )
        self.assertEqual(objective.direction, "higher")
        self.assertIn("6.2", objective.qms_clause_ids.mapped("code"))

    def test_review_section_frozen(self):
        self._measure_october(self.complaints | self.retention)
        review = self.env["qms.management.review"].create(
            {"date_from": OCT_FROM, "date_to": OCT_TO}
        )
        review.action_prepare()
        figure = review.figure_ids.filtered(
            lambda f: f.code == f"objectives.{self.complaints.id}"
        )
        self.assertAlmostEqual(figure.value, 33.33, places=2)
        self.assertIn("30.00", figure.note)
        self.assertIn("no", figure.note)
        self.assertEqual(figure.section_label, "Quality Objectives")
        # the objective changes later: the prepared review does not
        self.complaints.target = 40.0
        self.complaints.name = "Renamed"
        self.assertEqual(figure.name, "Complaints under 30 per 100 orders")
        self.assertAlmostEqual(figure.value, 33.33, places=2)
        with self.assertRaises(UserError):
            review.action_prepare()
