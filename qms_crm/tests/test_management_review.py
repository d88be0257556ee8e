# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from odoo.addons.qms_crm_complaint.tests.common_complaint import QmsComplaintCommon
from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones


class QmsReviewCommon(QmsComplaintCommon):
    @classmethod
    def _review(cls, date_from, date_to, user=None, **vals):
        return (
            cls.env["qms.management.review"]
            .with_user(user or cls.qms_manager)
            .create(dict({"date_from": date_from, "date_to": date_to}, **vals))
        )

    @staticmethod
    def _values(review):
        review.invalidate_recordset()
        review.figure_ids.invalidate_recordset()
        return {fig.code: fig.value for fig in review.figure_ids}


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestManagementReview(QmsReviewCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # "today" of the manager who prepares the reviews (their time zone)
        cls.today = fields.Date.context_today(
            cls.env["qms.management.review"].with_user(cls.qms_manager)
        )

    def test_prepared_review_is_frozen_against_later_data_changes(self):
        review = self._review(self.today - timedelta(days=7), self.today)
        review.action_prepare()
        self.assertEqual(review.state, "prepared")
        self.assertEqual(review.prepared_uid, self.qms_manager)
        before = self._values(review)
        self.assertIn("complaints.count", before)
        self.assertIn("requirements.without_review", before)
        # later data: a complaint with compensation and a confirmed order
        ticket = self._complaint()
        self.env["qms.compensation.line"].create(
            {
                "ticket_id": ticket.id,
                "kind": "discount",
                "description": "Goodwill",
                "amount": 120.0,
            }
        )
        self._order().with_context(qms_skip_gate=True).sudo().write(
            {"state": "sale", "date_order": fields.Datetime.now()}
        )
        self.env.flush_all()
        self.assertEqual(self._values(review), before)
        # the same period prepared now sees the new data: freezing is real
        again = self._review(self.today - timedelta(days=7), self.today)
        again.action_prepare()
        after = self._values(again)
        self.assertEqual(after["complaints.count"], before["complaints.count"] + 1)
        self.assertEqual(after["cost.total"], before["cost.total"] + 120.0)
        self.assertEqual(after["complaints.orders"], before["complaints.orders"] + 1)
        # and the figures themselves refuse changes
        with self.assertRaises(UserError):
            review.figure_ids[:1].write({"value": 0})
        with self.assertRaises(UserError):
            review.figure_ids[:1].unlink()
        with self.assertRaises(UserError):
            review.action_prepare()

    @freeze_time("2024-02-29 10:30:00")
    def test_compensation_counts_in_the_review_time_zone_day(self):
        """At 10:30 UTC on 29 February it is already 1 March in Kiritimati
        (UTC+14) and still 28 February in Pago Pago (UTC-11). A compensation
        granted then counts in the review of the day it was there, whoever
        entered it and wherever they live."""
        ticket = self._complaint()
        self.env["qms.compensation.line"].with_user(self.agent).create(
            {
                "ticket_id": ticket.id,
                "kind": "voucher",
                "description": "Voucher",
                "amount": 70.0,
            }
        )
        Review = self.env["qms.management.review"].with_user(self.qms_manager)
        for tz, day, other_day in (
            ("Pacific/Kiritimati", date(2024, 3, 1), date(2024, 2, 29)),
            ("UTC", date(2024, 2, 29), date(2024, 3, 1)),
            ("Pacific/Pago_Pago", date(2024, 2, 28), date(2024, 2, 29)),
        ):
            with self.subTest(tz=tz):
                for review_day, expected in ((day, 70.0), (other_day, 0.0)):
                    review = Review.with_context(tz=tz).create(
                        {"date_from": review_day, "date_to": review_day}
                    )
                    review.action_prepare()
                    self.assertEqual(self._values(review)["cost.total"], expected)

    @freeze_time("2024-02-29 10:30:00")
    def test_overdue_communications_are_counted_in_the_review_time_zone(self):
        """A deadline of 29 February is over in Kiritimati (already 1 March)
        and not yet in Pago Pago (28 February): a review prepared in
        Kiritimati counts it overdue, also when its section is added later by
        someone in Pago Pago."""
        rule = self.env.ref("qms_crm.qms_communication_rule_key_account_call")
        self.env["qms.communication"].create(
            {
                "name": "Call the key account",
                "partner_id": self.customer_a.id,
                "topic_id": rule.topic_id.id,
                "rule_id": rule.id,
                "channel": "phone",
                "state": "planned",
                "planned_date": date(2024, 2, 29),
            }
        )
        Review = self.env["qms.management.review"].with_user(self.qms_manager)
        reviews = {}
        for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
            reviews[tz] = Review.with_context(tz=tz).create(
                {"date_from": date(2024, 2, 1), "date_to": date(2024, 3, 1)}
            )
            reviews[tz].action_prepare()
        east = reviews["Pacific/Kiritimati"]
        overdue = self._values(east)["communication.overdue"]
        self.assertEqual(
            overdue,
            self._values(reviews["Pacific/Pago_Pago"])["communication.overdue"] + 1,
        )
        # the section added again (as for an addon installed later) from
        # Pago Pago still counts the days of Kiritimati
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM qms_management_review_figure "
            "WHERE review_id = %s AND section = 'communication'",
            [east.id],
        )
        self.env.invalidate_all()
        east.with_context(tz="Pacific/Pago_Pago")._qms_add_missing_sections()
        self.assertEqual(self._values(east)["communication.overdue"], overdue)

    def test_dates_of_existing_compensation_lines_keep_their_day(self):
        """A line stored before the date became a moment kept the day of its
        creator's time zone:
        the upgrade makes it the creation moment when that was the day there,
        else noon of that day there (never midnight UTC: the day before west
        of UTC)."""
        ticket = self._complaint()
        Line = self.env["qms.compensation.line"]
        east, west = self.qms_user, self.qms_manager
        east.tz, west.tz = "Pacific/Kiritimati", "Pacific/Pago_Pago"
        created = datetime(2024, 2, 29, 10, 30)  # 1 March 00:30 in Kiritimati
        old_days = {
            # creator, day stored: expected moment
            (east, date(2024, 3, 1)): created,
            (east, date(2024, 2, 20)): datetime(2024, 2, 19, 22, 0),
            (west, date(2024, 2, 28)): created,
            (west, date(2024, 2, 20)): datetime(2024, 2, 20, 23, 0),
        }
        lines = {
            key: Line.create(
                {
                    "ticket_id": ticket.id,
                    "kind": "discount",
                    "description": "Before the upgrade",
                    "amount": 5.0,
                }
            )
            for key in old_days
        }
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE qms_compensation_line "
            "ALTER COLUMN date TYPE date USING date::date"
        )
        for (user, day), line in lines.items():
            cr.execute(
                "UPDATE qms_compensation_line SET date = %s, create_date = %s, "
                "create_uid = %s WHERE id = %s",
                (day, created, user.id, line.id),
            )
        Line._qms_convert_date_column()
        self.env.invalidate_all()
        for key, line in lines.items():
            self.assertEqual(line.date, old_days[key], key)

    def test_period_days_are_the_preparers_days(self):
        """An order at 21:00 in New York on 29 February is stored on 1 March
        (UTC): a review of 29 February prepared in New York counts it, one
        prepared in UTC does not. The time zone used is kept on the review."""
        day = date(2024, 2, 29)
        orders = self.env["sale.order"].search([("state", "=", "sale")])
        self._order().with_context(qms_skip_gate=True).sudo().write(
            {"state": "sale", "date_order": datetime(2024, 3, 1, 2, 0)}
        )
        Review = self.env["qms.management.review"].with_user(self.qms_manager)
        new_york = Review.with_context(tz="America/New_York").create(
            {"date_from": day, "date_to": day}
        )
        utc = Review.with_context(tz="UTC").create({"date_from": day, "date_to": day})
        new_york.action_prepare()
        utc.action_prepare()
        self.assertEqual(new_york.period_tz, "America/New_York")
        self.assertEqual(utc.period_tz, "UTC")
        self.assertEqual(
            new_york._qms_period(), (datetime(2024, 2, 29, 5), datetime(2024, 3, 1, 5))
        )
        by_day = orders.filtered(lambda o: o.date_order.date() == day)
        self.assertEqual(self._values(utc)["complaints.orders"], len(by_day))
        self.assertEqual(
            self._values(new_york)["complaints.orders"],
            len(
                orders.filtered(
                    lambda o: (
                        datetime(2024, 2, 29, 5)
                        <= o.date_order
                        < datetime(2024, 3, 1, 5)
                    )
                )
            )
            + 1,
        )
        # the missing figures of an addon installed later use the same days,
        # whoever adds them
        self.assertEqual(
            new_york.with_context(tz="Asia/Tokyo")._qms_period(),
            new_york._qms_period(),
        )

    def test_figures_equal_independent_sql_on_demo_data(self):
        demo = self.env.ref("qms_crm.demo_management_review")
        # the demo's period (UTC days at install) and a day each side: the
        # manager's days may be a day before or after UTC's
        review = self._review(
            demo.date_from - timedelta(days=1), demo.date_to + timedelta(days=1)
        )
        review.action_prepare()
        values = self._values(review)
        # midnights of the review's time zone (the manager's), in UTC
        zone = ZoneInfo(review.period_tz)
        start, end = (
            datetime.combine(day, time.min, zone).astimezone(UTC).replace(tzinfo=None)
            for day in (review.date_from, review.date_to + timedelta(days=1))
        )
        company = review.company_id.id
        cr = self.env.cr

        def one(query, *params):
            cr.execute(query, params)
            return cr.fetchone()

        count, ack, resolution = one(
            """SELECT count(*), avg(qms_ack_hours), avg(qms_resolution_hours)
                 FROM helpdesk_ticket
                WHERE qms_is_complaint AND active AND qms_feedback_kind IS NOT NULL
                  AND create_date >= %s AND create_date < %s
                  AND company_id = %s""",
            start,
            end,
            company,
        )
        self.assertTrue(count, "the demo data has complaints in the period")
        self.assertEqual(values["complaints.count"], count)
        self.assertAlmostEqual(values["complaints.ack_hours"], round(ack or 0, 2))
        self.assertAlmostEqual(
            values["complaints.resolution_hours"], round(resolution or 0, 2)
        )
        (orders, without_review) = one(
            """SELECT count(*), count(*) FILTER (WHERE qms_confirmed_without_review)
                 FROM sale_order
                WHERE state = 'sale' AND date_order >= %s AND date_order < %s
                  AND company_id = %s""",
            start,
            end,
            company,
        )
        self.assertEqual(values["complaints.orders"], orders)
        self.assertEqual(values["requirements.without_review"], without_review)
        self.assertAlmostEqual(
            values["complaints.rate"], round(100.0 * count / orders, 2) if orders else 0
        )
        (repeat,) = one(
            """SELECT count(*) FROM (
                 SELECT commercial_partner_id FROM helpdesk_ticket
                  WHERE qms_is_complaint AND active AND qms_feedback_kind IS NOT NULL
                    AND create_date >= %s AND create_date < %s AND company_id = %s
                    AND commercial_partner_id IS NOT NULL
               GROUP BY commercial_partner_id HAVING count(*) >= 2) r""",
            start,
            end,
            company,
        )
        self.assertEqual(values["complaints.repeat"], repeat)
        (compensation,) = one(
            """SELECT COALESCE(sum(amount_company), 0) FROM qms_compensation_line
                WHERE active AND date >= %s AND date < %s AND company_id = %s""",
            start,
            end,
            company,
        )
        self.assertAlmostEqual(values["cost.total"], float(compensation))
        approved, rejected = one(
            """SELECT count(*) FILTER (WHERE state = 'approved'),
                      count(*) FILTER (WHERE state = 'rejected')
                 FROM qms_requirement_review
                WHERE review_date >= %s AND review_date < %s AND company_id = %s""",
            start,
            end,
            company,
        )
        self.assertEqual(values["requirements.approved"], approved)
        self.assertEqual(values["requirements.rejected"], rejected)
        (incidents,) = one(
            """SELECT count(*) FROM qms_property_incident
                WHERE detected_at >= %s AND detected_at < %s""",
            start,
            end,
        )
        self.assertEqual(values["property.incidents"], incidents)
        raised, followed = one(
            """SELECT count(*), count(*) FILTER (WHERE NOT active) FROM mail_activity
                WHERE qms_alert_kind IS NOT NULL
                  AND create_date >= %s AND create_date < %s""",
            start,
            end,
        )
        self.assertEqual(values["alerts.raised"], raised)
        self.assertEqual(values["alerts.followed"], followed)
        (changes,) = one(
            """SELECT count(*) FROM qms_requirement_version
                WHERE number > 1 AND change_date >= %s AND change_date < %s""",
            start,
            end,
        )
        self.assertEqual(values["changes.count"], changes)

    def test_next_review_compares_with_and_follows_up_the_previous(self):
        first = self._review(
            self.today - timedelta(days=60), self.today - timedelta(30)
        )
        first.action_prepare()
        first_values = self._values(first)
        done, still_open = (
            self.env["mail.activity"]
            .with_user(self.qms_manager)
            .create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id(first._name),
                        "res_id": first.id,
                        "activity_type_id": self.env.ref(
                            "qms_crm_evidence.mail_activity_type_review_action"
                        ).id,
                        "summary": summary,
                        "user_id": self.qms_manager.id,
                        "date_deadline": self.today,
                    }
                    for summary in ("Train the desk", "Rewrite the playbook")
                ]
            )
        )
        done.action_feedback(feedback="Trained")
        first.action_approve()
        self.assertEqual(first.action_ids, done | still_open)
        self._complaint()
        second = self._review(self.today - timedelta(days=29), self.today)
        second.action_prepare()
        self.assertEqual(second.previous_id, first)
        self.assertEqual(second.previous_action_ids, done | still_open)
        self.assertFalse(done.active)
        self.assertTrue(still_open.active)
        figure = second.figure_ids.filtered(lambda f: f.code == "complaints.count")
        self.assertTrue(figure.has_previous)
        self.assertEqual(figure.previous_value, first_values["complaints.count"])
        self.assertEqual(figure.delta, figure.value - figure.previous_value)
        self.assertEqual(figure.trend, "worse" if figure.delta > 0 else "same")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "qms_crm_evidence.action_report_management_review", second.ids
            )[0]
            .decode()
        )
        self.assertIn("Follow-up of the actions of the previous review", html)
        self.assertIn("Rewrite the playbook", html)
        self.assertIn("Complaints received", html)
        self.assertIn(first.name, html)

    def test_approval_locks_the_review_and_errors_are_explained(self):
        review = self._review(self.today - timedelta(days=7), self.today)
        with self.assertRaises(UserError):
            review.action_approve()
        review.action_prepare()
        review.action_approve()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.approved_uid, self.qms_manager)
        with self.assertRaises(UserError):
            review.write({"summary": "<p>Changed afterwards</p>"})
        with self.assertRaises(UserError):
            review.unlink()
        with self.assertRaises(ValidationError):
            self._review(self.today, self.today - timedelta(days=1))
        self.assertTrue(
            review.qms_clause_ids.filtered(lambda c: c.code == "9.3.2 c) 1)")
        )

    def test_quality_users_read_reviews_managers_prepare_them(self):
        review = self._review(self.today - timedelta(days=7), self.today)
        as_user = review.with_user(self.qms_user)
        self.assertEqual(as_user.name, review.name)
        with self.assertRaises(AccessError):
            as_user.action_prepare()
        with self.assertRaises(AccessError):
            self._review(self.today, self.today, user=self.qms_user)
        with self.assertRaises(AccessError):
            review.with_user(self.salesman).read(["name"])
        review.action_prepare()
        self.assertTrue(as_user.figure_ids.read(["value"]))


@tagged("post_install", "-at_install")
class TestManagementReviewPdf(HttpCase):
    def test_review_pdf_renders_with_wkhtmltopdf(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        review = self.env.ref("qms_crm.demo_management_review")
        self.assertEqual(review.state, "approved")
        self.assertTrue(review.figure_ids)
        self.assertEqual(len(review.action_ids), 2)
        content, ext = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "qms_crm_evidence.action_report_management_review", review.ids
            )
        )
        self.assertEqual(ext, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertGreater(len(content), 10000)
