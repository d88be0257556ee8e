# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import QmsProcessCommon

MONDAY_9 = datetime(2026, 12, 7, 9, 0)


@tagged("post_install", "-at_install")
class TestEscalation(QmsProcessCommon):
    """An overdue process task tells its assignee, then the team leader,
    then the team's escalation manager, once per level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.task_call.escalation_delay = 30
        with freeze_time(MONDAY_9):
            cls.lead = cls._lead()
        cls.task = cls._tasks(cls.lead)
        cls.escalation_type = cls.env.ref(
            "qms_crm_process.mail_activity_type_process_escalation"
        )

    def _escalations(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", self.lead.id),
                ("activity_type_id", "=", self.escalation_type.id),
            ]
        )

    def _bus_to(self, user):
        """Overdue notifications sent to the user's bus channel."""
        self.env.cr.precommit.run()
        notes = (
            self.env["bus.bus"]
            .sudo()
            .search(
                [
                    ("message", "ilike", "simple_notification"),
                    ("message", "ilike", "Overdue"),
                ]
            )
        )
        return [
            n
            for n in notes
            if json.loads(n.channel)[1:]
            in (["res.partner", user.partner_id.id], ["res.users", user.id])
        ]

    def _run(self, minutes_after_deadline):
        now = self.task.qms_deadline_at + timedelta(minutes=minutes_after_deadline)
        with freeze_time(now):
            return self.env["mail.activity"]._cron_qms_process_escalate()

    def test_deadline_is_15_working_minutes(self):
        self.assertEqual(self.task.qms_deadline_at, datetime(2026, 12, 7, 9, 15))

    def test_not_overdue_nothing_happens(self):
        self._run(-1)
        self.assertEqual(self.task.qms_escalation_level, 0)
        self.assertFalse(self._bus_to(self.salesman))

    def test_levels_one_at_a_time_and_once_each(self):
        self._run(1)
        self.assertEqual(self.task.qms_escalation_level, 1)
        self.assertFalse(self._escalations())
        self.assertEqual(len(self._bus_to(self.salesman)), 1)
        # the next run before the delay tells nobody again
        self._run(5)
        self.assertEqual(self.task.qms_escalation_level, 1)
        self.assertEqual(len(self._bus_to(self.salesman)), 1)
        # level 2: the team leader gets an activity and a notification
        self._run(31)
        self.assertEqual(self.task.qms_escalation_level, 2)
        self.assertEqual(self._escalations().user_id, self.leader)
        self.assertEqual(len(self._bus_to(self.leader)), 1)
        self._run(40)
        self.assertEqual(len(self._escalations()), 1)
        # level 3: the escalation manager
        self._run(61)
        self.assertEqual(self.task.qms_escalation_level, 3)
        self.assertEqual(
            self._escalations().user_id, self.leader | self.escalation_manager
        )
        self.assertEqual(len(self._bus_to(self.escalation_manager)), 1)
        self._run(600)
        self.assertEqual(len(self._escalations()), 2)

    def test_late_run_reaches_every_level_at_once(self):
        self._run(120)
        self.assertEqual(self.task.qms_escalation_level, 3)
        self.assertEqual(len(self._escalations()), 2)

    def test_done_tasks_never_escalate(self):
        self.task.action_feedback("Called back")
        self._run(120)
        self.assertFalse(self._escalations())
        self.assertFalse(self._bus_to(self.salesman))

    def test_history_names_each_level(self):
        self._run(120)
        bodies = " ".join(self.lead.message_ids.mapped("body"))
        for level in (1, 2, 3):
            self.assertIn(f"Escalation level {level}", bodies)
