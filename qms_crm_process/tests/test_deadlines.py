# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import QmsProcessCommon

# Monday 7 December 2026
MONDAY = datetime(2026, 12, 7)


@tagged("post_install", "-at_install")
class TestDeadlines(QmsProcessCommon):
    """Deadlines of process tasks: working minutes and hours in the team's
    calendar (08:00-12:00, 13:00-17:00 UTC, Monday to Friday), clock hours,
    days in the calendar's time zone."""

    def _due(self, unit, value, now, calendar=None):
        return self.env["qms.process.task"]._qms_deadline(
            calendar or self.calendar, unit, value, now
        )

    def test_minutes_across_a_non_working_night(self):
        # 16:50 Monday + 15 working minutes: 10 today, 5 on Tuesday morning
        due, day = self._due("minutes", 15, MONDAY.replace(hour=16, minute=50))
        self.assertEqual(due, datetime(2026, 12, 8, 8, 5))
        self.assertEqual(day, date(2026, 12, 8))

    def test_minutes_across_a_weekend(self):
        friday = datetime(2026, 12, 11, 16, 55)
        due, _day = self._due("minutes", 15, friday)
        self.assertEqual(due, datetime(2026, 12, 14, 8, 10))

    def test_minutes_within_the_working_day(self):
        due, _day = self._due("minutes", 15, MONDAY.replace(hour=9))
        self.assertEqual(due, MONDAY.replace(hour=9, minute=15))

    def test_minutes_asked_at_night_start_in_the_morning(self):
        due, _day = self._due("minutes", 15, MONDAY.replace(hour=22))
        self.assertEqual(due, datetime(2026, 12, 8, 8, 15))

    def test_working_hours_skip_the_lunch_break_and_the_night(self):
        due, _day = self._due("hours", 2, MONDAY.replace(hour=11))
        self.assertEqual(due, MONDAY.replace(hour=14))
        due, _day = self._due("hours", 3, MONDAY.replace(hour=15))
        self.assertEqual(due, datetime(2026, 12, 8, 9, 0))

    def test_clock_hours_ignore_the_calendar(self):
        due, day = self._due("clock_hours", 3, MONDAY.replace(hour=15))
        self.assertEqual(due, MONDAY.replace(hour=18))
        self.assertEqual(day, MONDAY.date())

    def test_days_end_with_the_day_in_the_calendars_time_zone(self):
        due, day = self._due("days", 2, MONDAY.replace(hour=15))
        self.assertEqual(day, date(2026, 12, 9))
        self.assertEqual(due, datetime(2026, 12, 10, 0, 0))
        # 15:00 UTC Monday is already Tuesday 05:00 in UTC+14
        far_east = self.calendar.copy({"tz": "Pacific/Kiritimati"})
        due, day = self._due("days", 2, MONDAY.replace(hour=15), far_east)
        self.assertEqual(day, date(2026, 12, 10))
        # the end of Thursday there is Thursday 10:00 UTC
        self.assertEqual(due, datetime(2026, 12, 10, 10, 0))

    def test_a_new_lead_gets_its_call_back_due_by_the_calendar(self):
        with freeze_time(MONDAY.replace(hour=16, minute=50)):
            lead = self._lead()
            task = self._tasks(lead)
        self.assertEqual(task.qms_deadline_at, datetime(2026, 12, 8, 8, 5))
        self.assertEqual(task.date_deadline, date(2026, 12, 8))

    def test_a_batch_plans_each_distinct_deadline_once(self):
        Task = self.env["qms.process.task"]
        requests = [(self.task_call, self.calendar)] * 50
        now = MONDAY.replace(hour=16, minute=50)
        with self.assertQueryCount(__system__=3):
            result = Task._qms_deadlines(requests, now)
        self.assertEqual(
            set(result), {(datetime(2026, 12, 8, 8, 5), date(2026, 12, 8))}
        )
