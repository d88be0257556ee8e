# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DEADLINE_UNITS = [
    ("minutes", "Working Minutes"),
    ("hours", "Working Hours"),
    ("clock_hours", "Hours (round the clock)"),
    ("days", "Days"),
]


class QmsProcessTask(models.Model):
    """A task a process stage creates on each lead entering it: an activity
    of a type, for the user holding a role in the lead's team, due after a
    delay in working minutes or hours of the team's calendar, clock hours or
    days."""

    _name = "qms.process.task"
    _description = "Process Template Task"
    _order = "stage_id, sequence, id"

    stage_id = fields.Many2one(
        "qms.process.stage", required=True, ondelete="cascade", index=True
    )
    template_id = fields.Many2one(related="stage_id.template_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Task", required=True, translate=True)
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity Type",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        ),
    )
    role_id = fields.Many2one(
        "qms.process.role",
        string="Role",
        ondelete="restrict",
        help="Assigned to the user holding this role in the lead's sales team; "
        "the lead's salesperson when empty or unmapped.",
    )
    deadline_value = fields.Integer(string="Due in", default=1, required=True)
    deadline_unit = fields.Selection(
        DEADLINE_UNITS,
        string="Unit",
        default="days",
        required=True,
        help="Working minutes and hours are counted in the working hours of the "
        "sales team's calendar: a call-back due in 15 working minutes asked for "
        "at 17:55 is due the next working morning.",
    )
    checklist = fields.Text(
        translate=True,
        help="One item per line; shown in the task's note.",
    )
    note = fields.Html(translate=True)
    required_for_exit = fields.Boolean(
        string="Required before Leaving",
        default=True,
        help="The lead cannot leave the stage until this task is done.",
    )
    escalate = fields.Boolean(
        default=True,
        help="When the task is overdue, tell its assignee, then the team leader, "
        "then the team's escalation manager.",
    )
    escalation_delay = fields.Integer(
        string="Escalate Next Level after (minutes)",
        default=0,
        help="Minutes between two levels of escalation; 0 tells the team leader "
        "at once when the task is overdue.",
    )

    @api.constrains("deadline_value", "escalation_delay")
    def _check_deadline(self):
        for task in self:
            if task.deadline_value < 0 or task.escalation_delay < 0:
                raise ValidationError(
                    _("Task %s: delays cannot be negative.", task.name)
                )

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------
    @api.model
    def _qms_deadlines(self, requests, now=None):
        """For each (task, calendar) of ``requests``, the (naive UTC
        datetime, local date) the task is due when created at ``now``. The
        local date is the day in the calendar's time zone (the team's). One
        plan per distinct (calendar, unit, value) of the batch."""
        now = now or fields.Datetime.now()
        cache = {}
        result = []
        for task, calendar in requests:
            key = (calendar.id, task.deadline_unit, task.deadline_value)
            if key not in cache:
                cache[key] = self._qms_deadline(
                    calendar, task.deadline_unit, task.deadline_value, now
                )
            result.append(cache[key])
        return result

    @api.model
    def _qms_deadline(self, calendar, unit, value, now):
        tz = pytz.timezone(calendar.tz or self.env.user.tz or "UTC")
        if unit in ("minutes", "hours"):
            hours = value / 60.0 if unit == "minutes" else float(value)
            due = calendar.plan_hours(hours, now) if calendar else False
            due = due.replace(tzinfo=None) if due else now + timedelta(hours=hours)
        elif unit == "clock_hours":
            due = now + timedelta(hours=value)
        else:
            # days: the whole day N days after today, in the calendar's zone
            today = pytz.utc.localize(now).astimezone(tz).date()
            day = today + timedelta(days=value)
            end = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
            return end.astimezone(pytz.utc).replace(tzinfo=None), day
        local = pytz.utc.localize(due).astimezone(tz).date()
        return due, local
