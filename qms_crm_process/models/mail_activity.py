# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import format_datetime

ESCALATION_LEVELS = [
    ("0", "Not Escalated"),
    ("1", "Assignee Told"),
    ("2", "Team Leader Told"),
    ("3", "Escalation Manager Told"),
]


class MailActivity(models.Model):
    _inherit = "mail.activity"

    qms_process_task_id = fields.Many2one(
        "qms.process.task",
        string="Process Task",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    qms_deadline_at = fields.Datetime(
        string="Due at",
        readonly=True,
        help="Exact moment the process task is due (working minutes and hours "
        "counted in the team's calendar).",
    )
    qms_escalation_level = fields.Integer(
        string="Escalation Level",
        default=0,
        readonly=True,
        help="1: the assignee was told the task is overdue; 2: the team leader; "
        "3: the team's escalation manager.",
    )

    def _qms_escalation_due_level(self, now):
        """The level of escalation the task should have reached by ``now``."""
        self.ensure_one()
        if not self.qms_deadline_at or now < self.qms_deadline_at:
            return 0
        delay = timedelta(minutes=self.qms_process_task_id.escalation_delay)
        if now < self.qms_deadline_at + delay:
            return 1
        if now < self.qms_deadline_at + 2 * delay:
            return 2
        return 3

    def _qms_escalate(self, now=None):
        """Escalate the overdue process tasks of self, once per level: the
        assignee (bus notification), then the team leader, then the team's
        escalation manager (an activity on the lead and a bus notification
        each). Returns the escalation activities created."""
        now = now or fields.Datetime.now()
        created = self.env["mail.activity"]
        leads = self.env["crm.lead"].browse(
            self.filtered(lambda a: a.res_model == "crm.lead").mapped("res_id")
        )
        leads = {lead.id: lead for lead in leads.sudo().exists()}
        for activity in self.sudo():
            task = activity.qms_process_task_id
            lead = leads.get(activity.res_id)
            if not (task.escalate and lead and activity.active):
                continue
            target = activity._qms_escalation_due_level(now)
            level = activity.qms_escalation_level
            if target <= level:
                continue
            for new_level in range(level + 1, target + 1):
                created |= activity._qms_escalate_level(lead, new_level)
            activity.qms_escalation_level = target
        return created

    def _qms_escalate_level(self, lead, level):
        self.ensure_one()
        team = lead.team_id
        due = format_datetime(
            self.env,
            self.qms_deadline_at,
            tz=team._qms_process_calendar().tz or "UTC",
            dt_format="short",
        )
        title = _(
            "Overdue: %(task)s", task=self.summary or self.qms_process_task_id.name
        )
        message = _(
            "%(task)s on %(lead)s was due at %(due)s (assigned to %(user)s).",
            task=self.summary or self.qms_process_task_id.name,
            lead=lead.display_name,
            due=due,
            user=self.user_id.name,
        )
        if level == 1:
            user = self.user_id
        elif level == 2:
            user = team.user_id or team.qms_process_manager_id
        else:
            user = team.qms_process_manager_id or team.user_id
        activity = self.env["mail.activity"]
        if not user:
            return activity
        if level > 1:
            activity = lead.activity_schedule(
                "qms_crm_process.mail_activity_type_process_escalation",
                date_deadline=fields.Date.context_today(self),
                summary=title,
                note=message,
                user_id=user.id,
            )
        lead.message_post(
            body=_(
                "Escalation level %(level)s: %(message)s Told: %(user)s.",
                level=level,
                message=message,
                user=user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        user._bus_send(
            "simple_notification",
            {
                "type": "warning",
                "title": title,
                "message": message,
                "sticky": True,
            },
        )
        return activity

    @api.model
    def _cron_qms_process_escalate(self, batch_size=1000):
        """Escalate the overdue open process tasks, one batch per run."""
        now = fields.Datetime.now()
        domain = [
            ("qms_process_task_id.escalate", "=", True),
            ("qms_deadline_at", "<", now),
            ("qms_escalation_level", "<", 3),
            ("res_model", "=", "crm.lead"),
        ]
        activities = self.search(domain, order="qms_deadline_at, id", limit=batch_size)
        activities._qms_escalate(now)
        return len(activities)
