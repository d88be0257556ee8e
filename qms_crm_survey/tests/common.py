# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.qms_crm_requirement.tests.common import QmsRequirementCommon


class QmsSurveyCommon(QmsRequirementCommon):
    """Satisfaction surveys of the addon and helpers to answer them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Invitation = cls.env["qms.survey.invitation"]
        cls.csat = cls.env.ref("qms_crm_survey.survey_qms_csat")
        cls.nps = cls.env.ref("qms_crm_survey.survey_qms_nps")
        cls.ces = cls.env.ref("qms_crm_survey.survey_qms_ces")
        cls.relationship = cls.env.ref("qms_crm_survey.survey_qms_relationship")
        cls.complaint_stage_closed = cls.env["helpdesk.ticket.stage"].search(
            [("closed", "=", True)], limit=1
        )
        cls.open_stage = cls.env["helpdesk.ticket.stage"].search(
            [("closed", "=", False)], order="sequence", limit=1
        )
        # quiet tests: no other satisfaction history for our customers
        cls.env["ir.config_parameter"].sudo().set_param(
            "qms_crm_survey.fatigue_days", "30"
        )

    @classmethod
    def _question(cls, survey, kind):
        return survey.question_ids.filtered(lambda q: q.qms_satisfaction_kind == kind)[
            :1
        ]

    @classmethod
    def _answer(cls, survey, partner, scores, done=True, **vals):
        """Answer ``survey`` as ``partner`` with {kind: value}; submit it."""
        answer = survey.sudo()._create_answer(
            partner=partner, check_attempts=False, **vals
        )
        for kind, value in scores.items():
            answer._save_lines(cls._question(survey, kind), str(value))
        if done:
            answer._mark_done()
        return answer

    @classmethod
    def _close(cls, ticket):
        ticket.write(
            {
                "qms_root_cause_id": cls.env.ref(
                    "qms_crm_complaint.root_cause_product_defect"
                ).id,
                "qms_resolution": "Replaced the parts.",
                "stage_id": cls.complaint_stage_closed.id,
            }
        )

    @classmethod
    def _complaint(cls, partner, closed=False, **vals):
        return cls.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Scratched panels",
                    "description": "<p>Panels arrived scratched.</p>",
                    "partner_id": partner.id,
                    "qms_feedback_kind": "complaint",
                    "stage_id": (
                        cls.complaint_stage_closed if closed else cls.open_stage
                    ).id,
                },
                **vals,
            )
        )
