# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .survey_user_input import TRIGGERS

_logger = logging.getLogger(__name__)

STATES = [
    ("sent", "Sent"),
    ("reminded", "Reminded"),
    ("answered", "Answered"),
    ("skipped", "Skipped"),
]
SKIP_REASONS = [
    ("opt_out", "Customer opted out"),
    ("fatigue", "Invited recently"),
    ("open_complaint", "Complaint open"),
    ("no_email", "No email address"),
    ("no_survey", "Survey archived"),
]
PARAM = "qms_crm_survey.%s"


class QmsSurveyInvitation(models.Model):
    """One attempt to ask a customer for feedback: sent, or skipped and why."""

    _name = "qms.survey.invitation"
    _description = "Satisfaction Survey Invitation"
    _inherit = ["qms.evidence.mixin"]
    _order = "create_date desc, id desc"
    _rec_name = "survey_id"
    _qms_default_clauses = ("9.1.2",)

    # a survey with invitations is not deleted (survey.survey); only
    # uninstalling the addon removes its surveys, and their invitations
    survey_id = fields.Many2one(
        "survey.survey",
        string="Survey",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, readonly=True
    )
    customer_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    trigger = fields.Selection(TRIGGERS, required=True, readonly=True, index=True)
    state = fields.Selection(STATES, required=True, readonly=True, index=True)
    skip_reason = fields.Selection(SKIP_REASONS, readonly=True)
    skip_detail = fields.Char(string="Details", readonly=True)
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Answer",
        readonly=True,
        index="btree_not_null",
    )
    sent_date = fields.Datetime(readonly=True, index=True)
    reminder_date = fields.Datetime(readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket", readonly=True)
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, readonly=True
    )

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.depends("survey_id")
    def _compute_display_name(self):
        # salespeople read the invitations of their customers, not the surveys
        for invitation in self:
            invitation.display_name = invitation.survey_id.sudo().display_name

    @api.model
    def _qms_param_int(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM % key)
        try:
            return int(value) if value not in (None, False, "") else default
        except ValueError:
            return default

    # ------------------------------------------------------------------
    # Inviting (one entry point for triggers, rules, focus groups, tests)
    # ------------------------------------------------------------------
    @api.model
    def _qms_origin_vals(self, origin):
        if not origin:
            return {}
        field = {
            "helpdesk.ticket": "ticket_id",
            "sale.order": "sale_order_id",
            "stock.picking": "picking_id",
        }.get(origin._name)
        return {field: origin.id} if field else {}

    @api.model
    def _qms_skip_reason(self, survey, partner, customer):
        """(reason, detail) that forbids inviting the customer now, or None."""
        if not survey.active:
            return "no_survey", survey.display_name
        if partner.qms_survey_opt_out or customer.qms_survey_opt_out:
            return "opt_out", False
        if not partner.email:
            return "no_email", False
        complaint = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("qms_feedback_kind", "=", "complaint"),
                    ("stage_id.closed", "=", False),
                ],
                limit=1,
            )
        )
        if complaint:
            return "open_complaint", complaint.display_name
        days = self._qms_param_int("fatigue_days", 30)
        last = self.sudo().search(
            [
                ("customer_id", "=", customer.id),
                ("state", "!=", "skipped"),
                ("sent_date", ">", fields.Datetime.now() - timedelta(days=days)),
            ],
            order="sent_date desc",
            limit=1,
        )
        if last:
            return "fatigue", _(
                "Last invited on %(date)s (at most once every %(days)s days).",
                date=fields.Date.to_string(
                    fields.Datetime.context_timestamp(self, last.sent_date).date()
                ),
                days=days,
            )
        return None

    @api.model
    def _qms_invite(self, survey, partner, origin=None, trigger="manual"):
        if not partner:
            raise UserError(_("A survey invitation needs a customer."))
        self_sudo = self.sudo()
        survey = survey.sudo().with_context(active_test=False)
        customer = partner.commercial_partner_id
        vals = {
            "survey_id": survey.id,
            "partner_id": partner.id,
            "customer_id": customer.id,
            "trigger": trigger,
            **self._qms_origin_vals(origin),
        }
        skip = self._qms_skip_reason(survey, partner, customer)
        if skip:
            return self_sudo.create(
                dict(vals, state="skipped", skip_reason=skip[0], skip_detail=skip[1])
            )
        answer_vals = {
            "qms_" + field: value
            for field, value in self._qms_origin_vals(origin).items()
        }
        answer_vals["qms_trigger"] = trigger
        if origin and origin._name == "qms.focus.group":
            answer_vals["qms_focus_group_id"] = origin.id
        answer = survey.sudo()._create_answer(
            partner=partner, check_attempts=False, **answer_vals
        )
        invitation = self_sudo.create(
            dict(
                vals,
                state="sent",
                user_input_id=answer.id,
                sent_date=fields.Datetime.now(),
            )
        )
        invitation._qms_send("mail_template_qms_survey_invite")
        return invitation

    def _qms_send(self, template_xmlid):
        template = self.env.ref(f"qms_crm_survey.{template_xmlid}").sudo()
        for invitation in self:
            template.send_mail(
                invitation.user_input_id.id,
                email_layout_xmlid="mail.mail_notification_light",
            )

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_reminders(self):
        """One reminder, M days after the invitation, to whoever has not answered."""
        days = self._qms_param_int("reminder_days", 5)
        todo = self.search(
            [
                ("state", "=", "sent"),
                ("sent_date", "<=", fields.Datetime.now() - timedelta(days=days)),
                ("user_input_id.state", "!=", "done"),
            ]
        )
        todo = todo.filtered(
            lambda inv: (
                not inv.partner_id.qms_survey_opt_out
                and not inv.customer_id.qms_survey_opt_out
            )
        )
        batch = 100
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            chunk._qms_send("mail_template_qms_survey_reminder")
            chunk.write({"state": "reminded", "reminder_date": fields.Datetime.now()})
            if self.env.context.get("ir_cron_progress_id"):
                # run by the scheduler: commit per batch
                self.env["ir.cron"]._commit_progress(
                    len(chunk), remaining=len(todo) - start - len(chunk)
                )
        return todo

    def action_open_answer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
        }
