# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Why over 600 lines: one model (helpdesk.ticket as a complaint): classification,
# timers in working hours with pause, escalation, playbook, resolution confirmed by
# the customer and receipts are the complaint life cycle of this addon; one model,
# one file.
"""Helpdesk tickets: feedback classification, communications (7.4), the
customer 360 panel and complaint handling.

Complaint handling (ISO 9001 8.2.1 c, 8.5.5, ISO 10002).

Timers: a complaint's acknowledgement and resolution deadlines are planned in
the working hours of its team's calendar from the moment it was received, for
the target of its team and severity. Time spent in a stage flagged "waiting on
customer" is measured in working hours when the ticket leaves that stage and
pushes both deadlines back. The automatic receipt mailed on creation is not the
acknowledgement: acknowledgement time runs until a person stamps the
"acknowledged" step of the playbook.
"""

from bisect import bisect_right
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from pytz import utc

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, plaintext2html

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import (
    qms_check_action_fields,
    qms_customer_act_actor,
    qms_lock,
)

FEEDBACK_KINDS = [
    ("complaint", "Complaint"),
    ("enquiry", "Enquiry"),
    ("suggestion", "Suggestion"),
    ("compliment", "Compliment"),
    ("warranty", "Warranty / Return"),
]
FEEDBACK_CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("portal", "Portal"),
    ("web_form", "Web Form"),
    ("in_person", "In Person"),
    ("social", "Social Media"),
]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
COMPLAINT_KINDS = ("complaint", "warranty")
PLAYBOOK_STEPS = (
    "acknowledged",
    "apologised",
    "resolved",
    "compensated",
    "followed_up",
)
CONFIRMATION_STATES = [
    ("none", "Not Requested"),
    ("pending", "Awaiting Customer"),
    ("confirmed", "Confirmed by Customer"),
    ("rejected", "Rejected by Customer"),
]
DEFAULT_FOLLOWUP_DAYS = 14
# how a customer who did not answer on the portal told us
ANSWER_CHANNELS = [
    ("phone", "Phone"),
    ("meeting", "Meeting"),
    ("email", "Email"),
    ("letter", "Letter"),
]


def _stamp_fields():
    names = set()
    for step in PLAYBOOK_STEPS:
        names |= {f"qms_{step}_date", f"qms_{step}_uid"}
    return frozenset(names)


STAMP_FIELDS = _stamp_fields()
# set only by the application (sudo): stamps, timers, breaches, the answer
PROTECTED_FIELDS = STAMP_FIELDS | {
    "qms_receipt_pending",
    "qms_paused_hours",
    "qms_paused_since",
    "qms_ack_breached",
    "qms_resolve_breached",
    "qms_escalation_level",
    "qms_ack_hours",
    "qms_resolution_hours",
    "qms_confirmation_state",
    "qms_confirmation_date",
    "qms_rejection_reason",
    "qms_confirmation_user_id",
    "qms_confirmation_ip",
    "qms_confirmation_via",
    "qms_confirmation_recorded_by_id",
}


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = [
        "helpdesk.ticket",
        "qms.communication.mixin",
        "qms.evidence.indexed",
    ]
    # complaints are evidence (index, coverage, pack); other tickets are not,
    # and tickets keep helpdesk_mgmt's own rules (no evidence lock or
    # no-delete rule on every ticket: see qms.evidence.indexed)
    _qms_default_clauses = ("8.2.1 c)", "8.5.5")
    _qms_evidence_where_fields = ("qms_is_complaint",)
    # refused on create too (qms_check_action_fields); write: see write().
    # The receipt flag is set by create itself before super().
    _qms_action_fields = PROTECTED_FIELDS - {"qms_receipt_pending"}

    @api.model
    def _qms_evidence_where(self, alias):
        return SQL("%s", SQL.identifier(alias, "qms_is_complaint"))

    # Classification shared by complaints (4b), the customer 360 panel and
    # alerts (4c) and the survey addon (detractor recovery).
    qms_feedback_kind = fields.Selection(
        FEEDBACK_KINDS, string="Feedback Kind", index=True, tracking=True
    )
    qms_channel = fields.Selection(
        FEEDBACK_CHANNELS, string="Received via", index=True, tracking=True
    )
    qms_severity = fields.Selection(
        SEVERITIES, string="Severity", default="medium", index=True, tracking=True
    )
    qms_sale_order_id = fields.Many2one(
        "sale.order", string="Sale Order", index="btree_not_null", tracking=True
    )
    qms_picking_id = fields.Many2one(
        "stock.picking", string="Delivery", index="btree_not_null", tracking=True
    )
    qms_product_id = fields.Many2one(
        "product.product", string="Product", index="btree_not_null", tracking=True
    )
    qms_lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial Number", index="btree_not_null", tracking=True
    )

    qms_is_complaint = fields.Boolean(
        string="Is Complaint",
        compute="_compute_qms_is_complaint",
        store=True,
        index=True,
        help="Complaints and warranty claims follow targets and the "
        "service-recovery playbook.",
    )
    qms_receipt_pending = fields.Boolean(
        string="Receipt to Send",
        copy=False,
        readonly=True,
        index=True,
        help="The customer's receipt for this complaint is queued for sending.",
    )
    qms_received_date = fields.Datetime(
        string="Received on",
        default=fields.Datetime.now,
        copy=False,
        readonly=True,
        help="When the complaint reached us; its targets are counted from here.",
    )
    qms_target_id = fields.Many2one(
        "qms.complaint.target",
        string="Target",
        compute="_compute_qms_target_id",
        store=True,
        readonly=False,
    )
    qms_ack_deadline = fields.Datetime(
        string="Acknowledge by",
        compute="_compute_qms_deadlines",
        store=True,
        index="btree_not_null",
    )
    qms_resolve_deadline = fields.Datetime(
        string="Resolve by",
        compute="_compute_qms_deadlines",
        store=True,
        index="btree_not_null",
    )
    qms_paused_hours = fields.Float(
        string="Paused (working hours)",
        readonly=True,
        copy=False,
        help="Working hours spent waiting on the customer; they do not count "
        "against the targets.",
    )
    qms_paused_since = fields.Datetime(string="Waiting on customer since", copy=False)
    qms_ack_breached = fields.Boolean(
        string="Acknowledgement Late", index=True, copy=False, tracking=True
    )
    qms_resolve_breached = fields.Boolean(
        string="Resolution Late", index=True, copy=False, tracking=True
    )
    qms_escalation_level = fields.Integer(
        string="Escalation Level",
        copy=False,
        readonly=True,
        help="0: none; 1: team leader notified of a missed target; "
        "2: manager notified of a second missed target.",
    )
    qms_ack_hours = fields.Float(
        string="Acknowledgement Time (h)", copy=False, readonly=True, aggregator="avg"
    )
    qms_resolution_hours = fields.Float(
        string="Resolution Time (h)", copy=False, readonly=True, aggregator="avg"
    )
    # service-recovery playbook: who and when for each step
    qms_acknowledged_date = fields.Datetime(
        string="Acknowledged on", copy=False, readonly=True, tracking=True
    )
    qms_acknowledged_uid = fields.Many2one(
        "res.users", string="Acknowledged by", copy=False, readonly=True
    )
    qms_apologised_date = fields.Datetime(
        string="Apologised on", copy=False, readonly=True, tracking=True
    )
    qms_apologised_uid = fields.Many2one(
        "res.users", string="Apologised by", copy=False, readonly=True
    )
    qms_resolved_date = fields.Datetime(
        string="Resolved on", copy=False, readonly=True, tracking=True
    )
    qms_resolved_uid = fields.Many2one(
        "res.users", string="Resolved by", copy=False, readonly=True
    )
    qms_compensated_date = fields.Datetime(
        string="Compensated on", copy=False, readonly=True, tracking=True
    )
    qms_compensated_uid = fields.Many2one(
        "res.users", string="Compensated by", copy=False, readonly=True
    )
    qms_followed_up_date = fields.Datetime(
        string="Followed up on", copy=False, readonly=True, tracking=True
    )
    qms_followed_up_uid = fields.Many2one(
        "res.users", string="Followed up by", copy=False, readonly=True
    )
    qms_root_cause_id = fields.Many2one(
        "qms.complaint.root.cause",
        string="Root Cause",
        index="btree_not_null",
        tracking=True,
        copy=False,
    )
    qms_resolution = fields.Text(string="Resolution", tracking=True, copy=False)
    qms_confirmation_state = fields.Selection(
        CONFIRMATION_STATES,
        string="Customer Confirmation",
        default="none",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    qms_confirmation_date = fields.Datetime(
        string="Customer Answered on", copy=False, readonly=True
    )
    qms_rejection_reason = fields.Text(
        string="Customer's Reason for Rejecting", copy=False, readonly=True
    )
    qms_confirmation_user_id = fields.Many2one(
        "res.users",
        string="Answered by Portal User",
        copy=False,
        readonly=True,
        help="Portal user who answered; empty when the answer came through "
        "the emailed link.",
    )
    qms_confirmation_ip = fields.Char(
        string="Answered From (IP)", copy=False, readonly=True
    )
    qms_confirmation_via = fields.Selection(
        [
            ("portal", "Customer's portal account"),
            ("token", "Emailed link"),
            *ANSWER_CHANNELS,
        ],
        string="Answered through",
        copy=False,
        readonly=True,
    )
    qms_confirmation_channel = fields.Selection(
        ANSWER_CHANNELS,
        string="Customer Told Us via",
        copy=False,
        help="How the customer confirmed the resolution when they did not answer "
        "on the portal; then press Record Customer's Confirmation.",
    )
    qms_confirmation_recorded_by_id = fields.Many2one(
        "res.users",
        string="Confirmation Recorded by",
        copy=False,
        readonly=True,
        help="Staff member who recorded the customer's confirmation on their "
        "behalf (phone, meeting, email, letter).",
    )
    qms_compensation_ids = fields.One2many(
        "qms.compensation.line", "ticket_id", string="Compensation"
    )
    qms_compensation_total = fields.Monetary(
        string="Compensation Total",
        compute="_compute_qms_compensation_total",
        store=True,
        currency_field="qms_company_currency_id",
    )
    qms_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    qms_repeat_complainer = fields.Boolean(
        string="Repeat Complainer",
        compute="_compute_qms_repeat_complainer",
        search="_search_qms_repeat_complainer",
        help="The customer made at least two complaints in the last 12 months.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("qms_feedback_kind")
    def _compute_qms_is_complaint(self):
        for ticket in self:
            ticket.qms_is_complaint = ticket.qms_feedback_kind in COMPLAINT_KINDS

    @api.depends("qms_is_complaint", "team_id", "qms_severity", "company_id")
    def _compute_qms_target_id(self):
        complaints = self.filtered("qms_is_complaint")
        (self - complaints).qms_target_id = False
        if not complaints:
            return
        targets = self.env["qms.complaint.target"].search(
            [
                ("team_id", "in", [*complaints.team_id.ids, False]),
                ("company_id", "in", complaints.company_id.ids),
            ]
        )
        by_key = {}
        for target in targets:
            by_key.setdefault(
                (target.team_id.id, target.severity, target.company_id.id), target
            )
        for ticket in complaints:
            severity = ticket.qms_severity or "medium"
            company = ticket.company_id.id
            ticket.qms_target_id = by_key.get(
                (ticket.team_id.id, severity, company)
            ) or by_key.get((False, severity, company))

    @api.depends(
        "qms_target_id",
        "qms_received_date",
        "qms_paused_hours",
        "team_id.qms_calendar_id",
    )
    def _compute_qms_deadlines(self):
        # one walk over the calendar's working intervals per calendar and
        # batch, not two plan_hours() calls per ticket
        todo = defaultdict(list)
        for ticket in self:
            target = ticket.qms_target_id
            if not (target and ticket.qms_is_complaint):
                ticket.qms_ack_deadline = False
                ticket.qms_resolve_deadline = False
                continue
            todo[ticket._qms_calendar()].append(ticket)
        for calendar, tickets in todo.items():
            now = fields.Datetime.now()
            requests = []
            for ticket in tickets:
                start = ticket.qms_received_date or now
                paused = ticket.qms_paused_hours
                target = ticket.qms_target_id
                requests += [
                    (start, target.ack_hours + paused),
                    (start, target.resolution_hours + paused),
                ]
            planned = self._qms_plan_batch(calendar, requests)
            for index, ticket in enumerate(tickets):
                ticket.qms_ack_deadline = planned[2 * index]
                ticket.qms_resolve_deadline = planned[2 * index + 1]

    @api.depends("qms_compensation_ids.amount_company", "qms_compensation_ids.active")
    def _compute_qms_compensation_total(self):
        for ticket in self:
            ticket.qms_compensation_total = sum(
                ticket.qms_compensation_ids.mapped("amount_company")
            )

    def _qms_repeat_partner_ids(self):
        since = fields.Datetime.now() - timedelta(days=365)
        groups = self.env["helpdesk.ticket"]._read_group(
            [
                ("qms_is_complaint", "=", True),
                ("commercial_partner_id", "!=", False),
                ("create_date", ">=", since),
            ],
            ["commercial_partner_id"],
            ["__count"],
            having=[("__count", ">=", 2)],
        )
        return [partner.id for partner, _count in groups]

    def _compute_qms_repeat_complainer(self):
        repeat = set(self._qms_repeat_partner_ids()) if self else set()
        for ticket in self:
            ticket.qms_repeat_complainer = ticket.commercial_partner_id.id in repeat

    def _search_qms_repeat_complainer(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on repeat complainers."))
        positive = (operator == "=") == value
        return [
            (
                "commercial_partner_id",
                "in" if positive else "not in",
                self._qms_repeat_partner_ids(),
            )
        ]

    # ------------------------------------------------------------------
    # Working time
    # ------------------------------------------------------------------
    def _qms_calendar(self):
        self.ensure_one()
        if self.team_id:
            return self.team_id._qms_calendar()
        return (
            self.company_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        )

    @api.model
    def _qms_plan_batch(self, calendar, requests):
        """For each (start, hours) of ``requests`` (naive UTC), the naive UTC
        datetime ``hours`` working hours of ``calendar`` after ``start``, as
        ``resource.calendar.plan_hours`` computes it, with the calendar's
        working intervals read once for the whole batch."""
        if not requests:
            return []
        if not calendar:
            return [start + timedelta(hours=hours) for start, hours in requests]
        first = min(start for start, _hours in requests)
        last = max(start for start, _hours in requests)
        per_day = calendar.hours_per_day or 8.0
        most = max(hours for _start, hours in requests)
        # calendar days that surely hold the most hours (weekends, short days)
        days = 14 + int(most / max(per_day, 1.0) * 7 / 5 * 2)
        intervals = calendar._attendance_intervals_batch(
            first.replace(tzinfo=utc), (last + timedelta(days=days)).replace(tzinfo=utc)
        )[False]
        spans = [
            (
                begin.astimezone(utc).replace(tzinfo=None),
                stop.astimezone(utc).replace(tzinfo=None),
            )
            for begin, stop, _meta in intervals
        ]
        stops = [stop for _begin, stop in spans]
        results = []
        for start, hours in requests:
            remaining = hours
            result = False
            for begin, stop in spans[bisect_right(stops, start) :]:
                begin = max(begin, start)
                available = (stop - begin).total_seconds() / 3600
                if remaining <= available:
                    result = begin + timedelta(hours=remaining)
                    break
                remaining -= available
            if not result:
                # beyond the window read: let the calendar plan it
                result = calendar.plan_hours(hours, start)
                result = result and result.replace(tzinfo=None)
            results.append(result)
        return results

    def _qms_work_hours(self, start, end):
        """Working hours of the ticket's calendar between two UTC datetimes."""
        self.ensure_one()
        if not start or not end or end <= start:
            return 0.0
        calendar = self._qms_calendar()
        if not calendar:
            return (end - start).total_seconds() / 3600
        return calendar.get_work_hours_count(start, end, compute_leaves=False)

    def _qms_elapsed_hours(self, until):
        """Working hours from reception to ``until``, minus time paused."""
        self.ensure_one()
        paused = self.qms_paused_hours
        if self.qms_paused_since:
            paused += self._qms_work_hours(self.qms_paused_since, until)
        total = self._qms_work_hours(self.qms_received_date or self.create_date, until)
        return round(max(total - paused, 0.0), 2)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        qms_check_action_fields(self, vals_list, create=True)
        for vals in vals_list:
            if vals.get("qms_feedback_kind") in COMPLAINT_KINDS and vals.get(
                "partner_id"
            ):
                vals["qms_receipt_pending"] = True
        tickets = super().create(vals_list)
        complaints = tickets.filtered("qms_is_complaint")
        if complaints:
            waiting = complaints.filtered("stage_id.qms_waiting_customer")
            if waiting:
                waiting.sudo().write({"qms_paused_since": fields.Datetime.now()})
            if complaints.filtered("qms_receipt_pending"):
                # mailed by a cron run right after the commit: creation (the
                # portal, the email gateway) does not wait for the mail
                cron = self.env.ref(
                    "qms_crm_complaint.ir_cron_qms_complaint_receipts",
                    raise_if_not_found=False,
                )
                if cron:
                    cron.sudo()._trigger()
        return tickets

    def write(self, vals):
        if PROTECTED_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                _(
                    "The steps of the service-recovery playbook are stamped with "
                    "their buttons; they cannot be edited."
                )
            )
        if "stage_id" not in vals:
            return super().write(vals)
        now = fields.Datetime.now()
        new_stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
        complaints = self.filtered(
            lambda t: (
                t.qms_is_complaint or vals.get("qms_feedback_kind") in COMPLAINT_KINDS
            )
        )
        # two agents closing (or reopening) the same complaint: one decides
        qms_lock(complaints.filtered("id"))
        closing = complaints.filtered(
            lambda t: new_stage.closed and not t.stage_id.closed
        )
        reopening = complaints.filtered(
            lambda t: t.stage_id.closed and new_stage and not new_stage.closed
        )
        if closing:
            closing._qms_check_closable(vals)
        # end or start a pause (waiting on the customer)
        resuming = complaints.filtered(
            lambda t: (
                t.qms_paused_since
                and (not new_stage.qms_waiting_customer or new_stage.closed)
            )
        )
        pausing = complaints.filtered(
            lambda t: (
                not t.qms_paused_since
                and new_stage.qms_waiting_customer
                and not new_stage.closed
            )
        )
        for ticket in resuming:
            ticket.sudo().write(
                {
                    "qms_paused_hours": ticket.qms_paused_hours
                    + ticket._qms_work_hours(ticket.qms_paused_since, now),
                    "qms_paused_since": False,
                }
            )
        if pausing:
            pausing.sudo().write({"qms_paused_since": now})
        if reopening:
            vals = dict(vals, closed_date=False)
        res = super().write(vals)
        if closing:
            closing._qms_on_closed(now)
        return res

    @api.model
    def message_new(self, msg, custom_values=None):
        """Tickets from the email gateway were received by email. A team
        whose alias defaults set ``qms_feedback_kind`` (e.g. a complaints
        address) turns its mails into complaints, with receipt and targets."""
        custom_values = dict(custom_values or {})
        custom_values.setdefault("qms_channel", "email")
        return super().message_new(msg, custom_values=custom_values)

    def _qms_check_closable(self, vals):
        missing = self.filtered(
            lambda t: (
                not (vals.get("qms_root_cause_id") or t.qms_root_cause_id)
                or not (vals.get("qms_resolution") or t.qms_resolution or "").strip()
            )
        )
        if missing:
            raise UserError(
                _(
                    "A complaint is closed only with its root cause and the "
                    "resolution given to the customer. Fill them in on the "
                    "Complaint tab of %(tickets)s.",
                    tickets=", ".join(missing.mapped("display_name")),
                )
            )

    def _qms_on_closed(self, now):
        """Stamp the resolution, ask the customer to confirm it, plan the
        follow-up."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.complaint_followup_days", DEFAULT_FOLLOWUP_DAYS)
            or DEFAULT_FOLLOWUP_DAYS
        )
        for ticket in self:
            vals = {"qms_confirmation_state": "pending", "qms_confirmation_date": False}
            if not ticket.qms_resolved_date:
                vals.update(
                    qms_resolved_date=now,
                    qms_resolved_uid=self.env.user.id,
                    qms_resolution_hours=ticket._qms_elapsed_hours(now),
                )
            ticket.sudo().write(vals)
        self._qms_update_breaches(now)
        template = self.env.ref(
            "qms_crm_complaint.mail_template_complaint_resolution",
            raise_if_not_found=False,
        )
        for ticket in self:
            ticket._portal_ensure_token()
            if template and ticket.partner_id:
                ticket.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=ticket.partner_id.ids,
                )
            ticket.activity_schedule(
                "qms_crm_complaint.mail_activity_type_complaint_followup",
                date_deadline=fields.Date.context_today(ticket) + timedelta(days=days),
                summary=_("Follow up complaint %s", ticket.number),
                user_id=(ticket.user_id or ticket.team_id.user_id or self.env.user).id,
            )

    def _qms_send_receipt(self):
        """Mail the customer a receipt with the complaint's reference."""
        template = self.env.ref(
            "qms_crm_complaint.mail_template_complaint_receipt",
            raise_if_not_found=False,
        )
        for ticket in self:
            if template and ticket.partner_id:
                ticket._portal_ensure_token()
                ticket.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=ticket.partner_id.ids,
                )
        self.sudo().write({"qms_receipt_pending": False})

    @api.model
    def _cron_qms_send_receipts(self, batch_size=20):
        """Send the queued complaint receipts, one committed batch per run
        (the scheduler runs it again while some remain).

        The batch's tickets are locked first (``FOR UPDATE SKIP LOCKED``):
        an agent changing one of them meanwhile (closing a complaint just
        received) either holds it, and it waits for the next batch, or waits
        for this small batch to commit. Without the lock, the agent's commit
        made the whole batch fail to serialize when it wrote the receipts'
        state, after rendering them all (47 failed runs in 5 minutes of the
        load bench)."""
        domain = [("qms_receipt_pending", "=", True)]
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM helpdesk_ticket WHERE qms_receipt_pending "
            "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            [batch_size],
        )
        todo = self.browse(row[0] for row in self.env.cr.fetchall())
        todo._qms_send_receipt()
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(
                len(todo), remaining=self.search_count(domain)
            )
        return len(todo)

    # ------------------------------------------------------------------
    # Playbook
    # ------------------------------------------------------------------
    def _qms_stamp(self, step):
        if step not in PLAYBOOK_STEPS:
            raise ValidationError(_("Unknown playbook step."))
        now = fields.Datetime.now()
        labels = {
            "acknowledged": _("Acknowledged"),
            "apologised": _("Apologised"),
            "resolved": _("Resolved"),
            "compensated": _("Compensated"),
            "followed_up": _("Followed up"),
        }
        for ticket in self:
            if not ticket.qms_is_complaint:
                raise UserError(
                    _("%s is not a complaint: it has no playbook.", ticket.display_name)
                )
            if ticket[f"qms_{step}_date"]:
                raise UserError(
                    _(
                        "The step %(step)s of %(ticket)s is already stamped.",
                        step=labels[step],
                        ticket=ticket.display_name,
                    )
                )
            if step == "compensated" and not ticket.qms_compensation_ids:
                raise UserError(
                    _("Record the compensation given before stamping this step.")
                )
            vals = {f"qms_{step}_date": now, f"qms_{step}_uid": self.env.user.id}
            if step == "acknowledged":
                vals["qms_ack_hours"] = ticket._qms_elapsed_hours(now)
            if step == "resolved":
                vals["qms_resolution_hours"] = ticket._qms_elapsed_hours(now)
            ticket.sudo().write(vals)
            ticket.message_post(
                body=_(
                    "Playbook step %(step)s stamped by %(user)s.",
                    step=labels[step],
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            if step == "followed_up":
                ticket.activity_ids.filtered(
                    lambda a: (
                        a.activity_type_id
                        == self.env.ref(
                            "qms_crm_complaint.mail_activity_type_complaint_followup"
                        )
                    )
                ).action_feedback(feedback=_("Followed up."))
        self._qms_update_breaches(now)
        return True

    def action_qms_acknowledge(self):
        return self._qms_stamp("acknowledged")

    def action_qms_apologise(self):
        return self._qms_stamp("apologised")

    def action_qms_resolve(self):
        return self._qms_stamp("resolved")

    def action_qms_compensate(self):
        return self._qms_stamp("compensated")

    def action_qms_follow_up(self):
        return self._qms_stamp("followed_up")

    # ------------------------------------------------------------------
    # Targets: breaches and escalation
    # ------------------------------------------------------------------
    def _qms_update_breaches(self, now=None):
        """Flag the targets missed by ``now`` (or by the stamp that met
        them late) and escalate once per new breach: the first to the team
        leader, the second to the manager."""
        now = now or fields.Datetime.now()
        for ticket in self.filtered("qms_is_complaint"):
            vals = {}
            ack_at = ticket.qms_acknowledged_date or (
                not ticket.qms_paused_since and now
            )
            if (
                not ticket.qms_ack_breached
                and ticket.qms_ack_deadline
                and ack_at
                and ack_at > ticket.qms_ack_deadline
            ):
                vals["qms_ack_breached"] = True
            done_at = ticket.qms_resolved_date or (
                not ticket.qms_paused_since and not ticket.stage_id.closed and now
            )
            if (
                not ticket.qms_resolve_breached
                and ticket.qms_resolve_deadline
                and done_at
                and done_at > ticket.qms_resolve_deadline
            ):
                vals["qms_resolve_breached"] = True
            if not vals:
                continue
            level = ticket.qms_escalation_level
            new_level = min(level + len(vals), 2)
            vals["qms_escalation_level"] = new_level
            ticket.sudo().write(vals)
            for escalation in range(level + 1, new_level + 1):
                ticket._qms_escalate(escalation)

    def _qms_escalate(self, level):
        self.ensure_one()
        team = self.team_id
        if level == 1:
            user = team.user_id or team.qms_manager_id
            summary = _("Complaint %s missed its target", self.number)
        else:
            user = team.qms_manager_id or team.user_id
            summary = _("Complaint %s missed a second target", self.number)
        user = user or self.user_id or self.env.ref("base.user_admin")
        self.activity_schedule(
            "qms_crm_complaint.mail_activity_type_complaint_escalation",
            date_deadline=fields.Date.context_today(self),
            summary=summary,
            note=_(
                "Acknowledge by: %(ack)s; resolve by: %(res)s.",
                ack=self.qms_ack_deadline or "-",
                res=self.qms_resolve_deadline or "-",
            ),
            user_id=user.id,
        )

    @api.model
    def _cron_qms_complaint_breaches(self, batch_size=500):
        """Flag complaints whose deadline passed and escalate them, one batch
        per run (committed when run by the scheduler)."""
        now = fields.Datetime.now()
        domain = [
            ("qms_is_complaint", "=", True),
            ("stage_id.closed", "=", False),
            ("qms_paused_since", "=", False),
            "|",
            "&",
            "&",
            ("qms_ack_breached", "=", False),
            ("qms_acknowledged_date", "=", False),
            ("qms_ack_deadline", "<", now),
            "&",
            "&",
            ("qms_resolve_breached", "=", False),
            ("qms_resolved_date", "=", False),
            ("qms_resolve_deadline", "<", now),
        ]
        todo = self.search(domain, limit=batch_size, order="id")
        todo._qms_update_breaches(now)
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(
                len(todo), remaining=self.search_count(domain)
            )
        return len(todo)

    # ------------------------------------------------------------------
    # Customer confirmation of the resolution
    # ------------------------------------------------------------------
    def _qms_portal_answer(self, confirm, access_token=None, ip=None, reason=None):
        """The customer confirms (or rejects) the resolution on the portal:
        accepted from a portal user of the customer or the holder of the
        emailed link only, never from a staff session (AccessError)."""
        self.ensure_one()
        actor = qms_customer_act_actor(self, self.sudo().partner_id, access_token)
        user = actor["user"]
        ticket = self.sudo()
        author = user.partner_id if user else ticket.partner_id
        if confirm:
            ticket._qms_customer_confirm(author)
        else:
            ticket._qms_customer_reject(reason, author)
        ticket.write(
            {
                "qms_confirmation_user_id": user.id if user else False,
                "qms_confirmation_ip": ip,
                "qms_confirmation_via": actor["via"],
            }
        )
        return True

    def action_qms_record_customer_confirmation(self):
        """The customer confirmed the resolution by phone, in a meeting, by
        email or letter: recorded on their behalf, by a user of group
        'Record Customer Acts on Behalf', and the record says so."""
        if not self.env.user.has_group("qms_crm_evidence.group_qms_record_on_behalf"):
            raise AccessError(
                _(
                    "Recording a customer's confirmation on their behalf needs "
                    "the Quality CRM right 'Record Customer Acts on Behalf'."
                )
            )
        channels = dict(
            self._fields["qms_confirmation_channel"]._description_selection(self.env)
        )
        for ticket in self:
            if ticket.qms_confirmation_state != "pending":
                raise UserError(
                    _("%s does not await the customer's confirmation.", ticket.name)
                )
            if not ticket.qms_confirmation_channel:
                raise UserError(
                    _(
                        "Choose how the customer confirmed %s (Customer Told Us via).",
                        ticket.name,
                    )
                )
            ticket.sudo().write(
                {
                    "qms_confirmation_state": "confirmed",
                    "qms_confirmation_date": fields.Datetime.now(),
                    "qms_confirmation_via": ticket.qms_confirmation_channel,
                    "qms_confirmation_recorded_by_id": self.env.user.id,
                }
            )
            ticket.message_post(
                body=_(
                    "Confirmation of the resolution by %(customer)s recorded by "
                    "%(user)s on their behalf, channel: %(channel)s.",
                    customer=ticket.partner_id.display_name,
                    user=self.env.user.name,
                    channel=channels.get(ticket.qms_confirmation_channel),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _qms_customer_confirm(self, author=None):
        """The customer accepts the resolution (called by the portal with
        the answering partner as ``author``)."""
        self.ensure_one()
        if self.qms_confirmation_state != "pending":
            raise UserError(_("This complaint does not await your confirmation."))
        self.sudo().write(
            {
                "qms_confirmation_state": "confirmed",
                "qms_confirmation_date": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=_("The customer confirmed the resolution."),
            subtype_xmlid="mail.mt_note",
            author_id=(author or self.env.user.partner_id).id,
        )
        return True

    def _qms_customer_reject(self, reason, author=None):
        """The customer rejects the resolution: the complaint reopens."""
        self.ensure_one()
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(
                _("Please tell us why the resolution does not solve your problem.")
            )
        if self.qms_confirmation_state != "pending":
            raise UserError(_("This complaint does not await your confirmation."))
        stages = (
            self.team_id._get_applicable_stages()
            if self.team_id
            else self.env["helpdesk.ticket.stage"].search(
                [
                    ("company_id", "in", [False, self.company_id.id]),
                    ("team_ids", "=", False),
                ]
            )
        )
        open_stages = stages.filtered(
            lambda s: not s.closed and not s.qms_waiting_customer
        )
        stage = open_stages.filtered(lambda s: not s.unattended)[:1] or open_stages[:1]
        self.sudo().write(
            {
                "qms_confirmation_state": "rejected",
                "qms_confirmation_date": fields.Datetime.now(),
                "qms_rejection_reason": reason,
                "qms_resolved_date": False,
                "qms_resolved_uid": False,
                "stage_id": stage.id,
            }
        )
        self.message_post(
            body=Markup("%s<br/>%s")
            % (
                _("The customer rejected the resolution; the complaint is reopened."),
                reason,
            ),
            subtype_xmlid="mail.mt_note",
            author_id=(author or self.env.user.partner_id).id,
        )
        user = self.user_id or self.team_id.user_id
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Resolution rejected by the customer"),
                note=reason,
                user_id=user.id,
            )
        return True

    # ------------------------------------------------------------------
    # API for other addons (survey: detractor recovery)
    # ------------------------------------------------------------------
    @api.model
    def _qms_open_recovery(
        self,
        partner,
        summary,
        description,
        severity="high",
        channel="email",
        **extra_vals,
    ):
        """Open a service-recovery complaint for ``partner``, or reuse theirs.

        If the partner's commercial entity has an open complaint, the
        description is posted in its chatter and ``(ticket, False)`` is
        returned; otherwise a complaint ticket is created from ``summary``,
        ``description`` (text or HTML), ``severity``, ``channel`` and
        ``extra_vals`` and ``(ticket, True)`` is returned.
        """
        if not partner:
            raise UserError(_("A complaint needs a customer."))
        if severity not in dict(SEVERITIES):
            raise UserError(_("Unknown severity: %s", severity))
        if channel not in dict(FEEDBACK_CHANNELS):
            raise UserError(_("Unknown channel: %s", channel))
        body = (
            description
            if isinstance(description, Markup)
            else plaintext2html(description or "")
        )
        commercial = partner.commercial_partner_id
        ticket = self.search(
            [
                ("commercial_partner_id", "=", commercial.id),
                ("qms_feedback_kind", "=", "complaint"),
                ("stage_id.closed", "=", False),
            ],
            order="id desc",
            limit=1,
        )
        if ticket:
            ticket.message_post(
                body=body, subject=summary, subtype_xmlid="mail.mt_note"
            )
            return ticket, False
        vals = {
            "name": summary,
            "description": body,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "qms_feedback_kind": "complaint",
            "qms_severity": severity,
            "qms_channel": channel,
        }
        vals.update(extra_vals)
        return self.create(vals), True
