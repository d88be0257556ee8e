# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones

from .common import QmsRequirementCommon as QmsCrmCommon

# Odoo colour indexes: 10 green, 3 yellow, 2 orange, 1 red
LEVEL_COLORS = {"low": 10, "medium": 3, "high": 2, "critical": 1}


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestCustomerRisk(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.review_type = cls.env.ref(
            "qms_crm_requirement.mail_activity_type_risk_review"
        )
        cls.today = fields.Date.context_today(cls.env["qms.customer.risk"])

    @classmethod
    def _risk(cls, partner=None, **vals):
        return cls.env["qms.customer.risk"].create(
            dict(
                {
                    "name": "Single-source component",
                    "partner_id": (partner or cls.customer_a).id,
                    "user_id": cls.salesman.id,
                },
                **vals,
            )
        )

    def _review_activities(self, risks):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "qms.customer.risk"),
                ("res_id", "in", risks.ids),
                ("activity_type_id", "=", self.review_type.id),
            ]
        )

    # ------------------------------------------------------------------
    # Score and level
    # ------------------------------------------------------------------
    def test_score_and_level_at_the_boundaries(self):
        cases = [
            ("1", "4", 4, "low"),
            ("1", "5", 5, "medium"),
            ("3", "3", 9, "medium"),
            ("2", "5", 10, "high"),
            ("3", "4", 12, "high"),
            ("3", "5", 15, "critical"),
            ("5", "5", 25, "critical"),
            ("1", "1", 1, "low"),
        ]
        for likelihood, impact, score, level in cases:
            with self.subTest(likelihood=likelihood, impact=impact):
                risk = self._risk(likelihood=likelihood, impact=impact)
                self.assertEqual((risk.score, risk.level), (score, level))
                self.assertEqual(risk.color, LEVEL_COLORS[level])
        # stored: the level follows a re-rating and is searchable
        risk = self._risk(likelihood="1", impact="2")
        self.assertEqual(risk.level, "low")
        risk.write({"likelihood": "5", "impact": "4"})
        self.assertEqual((risk.score, risk.level, risk.color), (20, "critical", 1))
        found = self.env["qms.customer.risk"].search(
            [("level", "=", "critical"), ("id", "=", risk.id)]
        )
        self.assertEqual(found, risk)

    def test_new_risk_plans_its_review_after_the_configured_interval(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.risk_review_days", "30"
        )
        risk = self._risk()
        self.assertEqual(risk.next_review_date, self.today + timedelta(days=30))
        self.assertEqual(risk.state, "identified")
        self.assertEqual(risk.qms_clause_ids.mapped("code"), ["5.1.2 b)"])

    # ------------------------------------------------------------------
    # Overdue reviews
    # ------------------------------------------------------------------
    def test_cron_plans_one_review_activity_per_overdue_open_risk(self):
        yesterday = self.today - timedelta(days=1)
        overdue_a = self._risk(next_review_date=yesterday)
        overdue_b = self._risk(
            partner=self.customer_b,
            user_id=self.salesman2.id,
            next_review_date=self.today - timedelta(days=40),
        )
        closed = self._risk(next_review_date=yesterday)
        closed.action_close()
        due_today = self._risk(next_review_date=self.today)
        future = self._risk(next_review_date=self.today + timedelta(days=5))
        unplanned = self._risk(next_review_date=False)

        Risk = self.env["qms.customer.risk"]
        Risk._cron_schedule_overdue_reviews()
        for risk in (overdue_a, overdue_b):
            activity = self._review_activities(risk)
            self.assertEqual(len(activity), 1, risk.name)
            self.assertEqual(activity.user_id, risk.user_id)
            self.assertEqual(activity.date_deadline, self.today)
            self.assertIn(risk.name, activity.summary)
            self.assertEqual(risk.activity_ids, activity)
        self.assertFalse(
            self._review_activities(closed | due_today | future | unplanned)
        )

        # a second run adds nothing
        self.assertEqual(Risk._cron_schedule_overdue_reviews(), 0)
        self.assertEqual(len(self._review_activities(overdue_a | overdue_b)), 2)

    def test_cron_reaches_every_overdue_risk_across_batches(self):
        Risk = self.env["qms.customer.risk"]
        # only this test's risks are overdue (demo data may have some)
        Risk.search([("review_overdue", "=", True)]).next_review_date = self.today
        risks = self.env["qms.customer.risk"]
        for days in (3, 2, 1):
            risks |= self._risk(next_review_date=self.today - timedelta(days=days))
        self.assertEqual(Risk._cron_schedule_overdue_reviews(batch_size=2), 2)
        self.assertEqual(Risk._cron_schedule_overdue_reviews(batch_size=2), 1)
        self.assertEqual(Risk._cron_schedule_overdue_reviews(batch_size=2), 0)
        self.assertEqual(len(self._review_activities(risks)), 3)
        self.assertEqual(
            set(self._review_activities(risks).mapped("res_id")), set(risks.ids)
        )

    def test_mark_reviewed_plans_the_next_review_and_closes_the_activity(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "qms_crm.risk_review_days", "45"
        )
        risk = self._risk(next_review_date=self.today - timedelta(days=3))
        self.env["qms.customer.risk"]._cron_schedule_overdue_reviews()
        activity = self._review_activities(risk)
        self.assertTrue(activity)
        self.assertTrue(risk.review_overdue)

        risk.with_user(self.salesman).action_mark_reviewed()
        # the day as the reviewer sees it (their time zone, not the admin's)
        today = fields.Date.context_today(risk.with_user(self.salesman))
        self.assertEqual(risk.last_review_date, today)
        self.assertEqual(risk.next_review_date, today + timedelta(days=45))
        self.assertFalse(risk.review_overdue)
        self.assertFalse(activity.active, "the review activity is done (archived)")
        self.assertFalse(self._review_activities(risk))
        done = risk.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.review_type
        )
        self.assertIn("Risk reviewed.", done.body)
        # no longer overdue: the cron leaves it alone
        Risk = self.env["qms.customer.risk"]
        Risk._cron_schedule_overdue_reviews()
        self.assertFalse(self._review_activities(risk))
        # overdue again: the done activity does not stand in for a new one
        risk.next_review_date = self.today - timedelta(days=1)
        Risk._cron_schedule_overdue_reviews()
        new = self._review_activities(risk)
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new, activity)

    def test_review_day_is_the_reviewers_day(self):
        """At 23:30 UTC a reviewer in Tokyo already lives on the next day and
        one in Honolulu still on the same: the review is dated as each sees it."""
        tokyo = self._risk(next_review_date=date(2026, 11, 1))
        honolulu = self._risk(next_review_date=date(2026, 11, 1))
        with freeze_time("2026-11-23 23:30:00"):
            for risk, tz in ((tokyo, "Asia/Tokyo"), (honolulu, "Pacific/Honolulu")):
                risk.with_user(self.salesman).with_context(tz=tz).action_mark_reviewed()
        self.assertEqual(tokyo.last_review_date, date(2026, 11, 24))
        self.assertEqual(honolulu.last_review_date, date(2026, 11, 23))
        self.assertEqual(
            tokyo.next_review_date - tokyo.last_review_date,
            honolulu.next_review_date - honolulu.last_review_date,
        )

    def test_closed_risk_cannot_be_marked_reviewed(self):
        risk = self._risk(next_review_date=self.today - timedelta(days=3))
        risk.action_close()
        self.assertFalse(risk.review_overdue)
        with self.assertRaisesRegex(UserError, "closed"):
            risk.action_mark_reviewed()
        self.assertFalse(risk.last_review_date)
        risk.action_reopen()
        self.assertTrue(risk.review_overdue)
        risk.action_mark_reviewed()
        self.assertEqual(risk.last_review_date, self.today)

    def test_review_overdue_filter_works_both_ways(self):
        overdue = self._risk(next_review_date=self.today - timedelta(days=1))
        future = self._risk(next_review_date=self.today + timedelta(days=1))
        closed = self._risk(next_review_date=self.today - timedelta(days=1))
        closed.action_close()
        unplanned = self._risk(next_review_date=False)
        mine = overdue | future | closed | unplanned
        Risk = self.env["qms.customer.risk"]
        for risk, expected in (
            (overdue, True),
            (future, False),
            (closed, False),
            (unplanned, False),
        ):
            self.assertEqual(risk.review_overdue, expected, risk.next_review_date)
        positive = Risk.search([("id", "in", mine.ids), ("review_overdue", "=", True)])
        self.assertEqual(positive, overdue)
        negative = Risk.search([("id", "in", mine.ids), ("review_overdue", "=", False)])
        self.assertEqual(negative, future | closed | unplanned)
        self.assertEqual(
            Risk.search([("id", "in", mine.ids), ("review_overdue", "!=", True)]),
            negative,
        )
        self.assertEqual(
            Risk.search([("id", "in", mine.ids), ("review_overdue", "!=", False)]),
            positive,
        )

    # ------------------------------------------------------------------
    # Links and access
    # ------------------------------------------------------------------
    def test_risk_cannot_point_at_another_customers_documents(self):
        other_order = self._order(partner=self.customer_b, user=self.salesman2)
        with self.assertRaisesRegex(ValidationError, "another customer"):
            self._risk(order_id=other_order.id)
        other_lead = self.env["crm.lead"].create(
            {
                "name": "Beta deal",
                "type": "opportunity",
                "partner_id": self.customer_b.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "another customer"):
            self._risk(lead_id=other_lead.id)
        # documents of the customer's contacts are the customer's
        order = self._order(partner=self.contact_a)
        lead = self.env["crm.lead"].create(
            {
                "name": "Alpha deal",
                "type": "opportunity",
                "partner_id": self.contact_a.id,
            }
        )
        risk = self._risk(order_id=order.id, lead_id=lead.id)
        with self.assertRaisesRegex(ValidationError, "another customer"):
            risk.order_id = other_order
        with self.assertRaisesRegex(ValidationError, "another customer"):
            risk.partner_id = self.customer_b

    def test_salesman_sees_only_his_customers_risks(self):
        risk_a = self._risk().with_user(self.salesman)
        risk_b = self._risk(partner=self.customer_b, user_id=self.salesman2.id)
        Risk = self.env["qms.customer.risk"]
        self.env.invalidate_all()
        self.assertTrue(risk_a.name)
        self.assertEqual(
            Risk.with_user(self.salesman).search([("id", "in", (risk_a | risk_b).ids)]),
            risk_a,
        )
        self.assertEqual(
            Risk.with_user(self.salesman2).search(
                [("id", "in", (risk_a | risk_b).ids)]
            ),
            risk_b,
        )
        with self.assertRaises(AccessError):
            risk_a.with_user(self.salesman2).read(["name"])
        with self.assertRaises(AccessError):
            risk_a.with_user(self.salesman2).write({"treatment": "Dual sourcing"})
        # a risk they own is theirs even on another customer
        owned = self._risk(user_id=self.salesman2.id)
        self.env.invalidate_all()
        self.assertEqual(owned.with_user(self.salesman2).name, owned.name)
        # "All Documents" salespeople and quality staff see every risk
        for user in (self.salesman_all, self.qms_user):
            visible = Risk.with_user(user).search([("id", "in", (risk_a | risk_b).ids)])
            self.assertEqual(visible, risk_a | risk_b, user.name)
