# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .survey_user_input import TRIGGERS


class QmsCommunicationRule(models.Model):
    _inherit = "qms.communication.rule"

    action_kind = fields.Selection(
        selection_add=[("survey", "Send a Survey Invitation")],
        ondelete={"survey": "cascade"},
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Survey",
        ondelete="restrict",
        help="Satisfaction survey sent by the rule. The fatigue rules apply: at "
        "most one invitation per customer in the configured days, none while a "
        "complaint is open, none after an opt-out.",
    )
    survey_trigger = fields.Selection(
        TRIGGERS,
        string="Survey Trigger",
        compute="_compute_survey_trigger",
        store=True,
        readonly=False,
        help="How the answers of this rule are labelled in the satisfaction trends.",
    )

    @api.depends("trigger", "model_name")
    def _compute_survey_trigger(self):
        for rule in self:
            if rule.trigger in ("ticket_closed", "delivery_done"):
                rule.survey_trigger = rule.trigger
            elif rule.trigger == "periodic":
                rule.survey_trigger = "relationship"
            elif rule.model_name == "sale.order":
                rule.survey_trigger = "order_done"
            else:
                rule.survey_trigger = "manual"

    @api.constrains("action_kind", "survey_id")
    def _check_survey(self):
        for rule in self:
            rule._qms_check_how_whom_who()

    def _qms_check_how_whom_who(self):
        res = super()._qms_check_how_whom_who()
        if self.action_kind == "survey" and not self.survey_id:
            raise ValidationError(
                _("Rule %s: a survey rule needs the survey to send.", self.name)
            )
        return res

    def _qms_action_survey(self, record, values):
        """Invite the record's contact to the rule's survey, through the
        fatigue rules of the survey addon; log a skip as a cancelled
        communication with its reason."""
        partner = values.get("contact") or values["customer"]
        invitation = self.env["qms.survey.invitation"]._qms_invite(
            self.survey_id, partner, origin=record, trigger=self.survey_trigger
        )
        if invitation.state == "skipped":
            reason = dict(
                invitation._fields["skip_reason"]._description_selection(self.env)
            )[invitation.skip_reason]
            return {
                "name": _("Survey not sent: %s", self.survey_id.display_name),
                "state": "cancelled",
                "body": Markup("<p>%s</p>")
                % " ".join(filter(None, [reason, invitation.skip_detail or ""])),
            }
        return {
            "name": _("Survey sent: %s", self.survey_id.display_name),
            "channel": "email",
            "state": "done",
        }
