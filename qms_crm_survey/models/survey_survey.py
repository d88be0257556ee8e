# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

SURVEY_KINDS = [
    ("csat", "CSAT"),
    ("nps", "NPS"),
    ("ces", "CES"),
    ("relationship", "Relationship"),
]


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    qms_survey_kind = fields.Selection(
        SURVEY_KINDS,
        string="Satisfaction Survey",
        help="Marks a customer-satisfaction survey (ISO 9001 9.1.2); its "
        "invitations follow the fatigue rules.",
    )
    qms_invitation_ids = fields.One2many(
        "qms.survey.invitation", "survey_id", string="Satisfaction Invitations"
    )
    qms_invitation_count = fields.Integer(
        string="Invitations", compute="_compute_qms_invitation_count"
    )

    @api.depends("qms_invitation_ids")
    def _compute_qms_invitation_count(self):
        counts = dict(
            self.env["qms.survey.invitation"]._read_group(
                [("survey_id", "in", self.ids)], ["survey_id"], ["__count"]
            )
        )
        for survey in self:
            survey.qms_invitation_count = counts.get(survey, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_qms_invited(self):
        invited = self.filtered("qms_invitation_ids")
        if invited:
            raise UserError(
                _(
                    "%(surveys)s invited customers: its invitations and answers are "
                    "quality evidence (ISO 9001 9.1.2). Archive the survey instead.",
                    surveys=", ".join(invited.mapped("title")),
                )
            )

    def _qms_invite(self, partner, origin=None, trigger="manual"):
        """Invite ``partner`` to this survey about ``origin`` (a ticket, sale
        order, delivery or focus group) unless a fatigue rule forbids it.

        Returns the ``qms.survey.invitation`` recording what happened: sent,
        or skipped with its reason.
        """
        self.ensure_one()
        return self.env["qms.survey.invitation"]._qms_invite(
            self, partner, origin=origin, trigger=trigger
        )

    def action_qms_view_invitations(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm_survey.action_qms_survey_invitation"
        )
        action["domain"] = [("survey_id", "=", self.id)]
        return action
