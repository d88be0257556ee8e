# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

SATISFACTION_KINDS = [
    ("csat", "CSAT (satisfaction)"),
    ("nps", "NPS (likelihood to recommend)"),
    ("ces", "CES (customer effort)"),
]
# the scale each measure is defined on: (min, max)
KIND_SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    qms_satisfaction_kind = fields.Selection(
        SATISFACTION_KINDS,
        string="Satisfaction Measure",
        index="btree_not_null",
        help="Answers to this scale question are scored as CSAT (1-5, satisfied "
        "at 4-5), NPS (0-10: promoter 9-10, passive 7-8, detractor 0-6) or CES "
        "(1-7) and feed the satisfaction trends (ISO 9001 9.1.2).",
    )

    @api.constrains("qms_satisfaction_kind", "question_type", "scale_min", "scale_max")
    def _check_qms_satisfaction_kind(self):
        for question in self.filtered("qms_satisfaction_kind"):
            if question.question_type != "scale":
                raise ValidationError(
                    _(
                        "Only scale questions can be a satisfaction measure "
                        "(question: %(question)s).",
                        question=question.title,
                    )
                )
            low, high = KIND_SCALES[question.qms_satisfaction_kind]
            if (question.scale_min, question.scale_max) != (low, high):
                raise ValidationError(
                    _(
                        "A %(kind)s question must use the scale %(low)s to "
                        "%(high)s (question: %(question)s).",
                        kind=dict(
                            self._fields[
                                "qms_satisfaction_kind"
                            ]._description_selection(self.env)
                        )[question.qms_satisfaction_kind],
                        low=low,
                        high=high,
                        question=question.title,
                    )
                )

    @api.onchange("qms_satisfaction_kind")
    def _onchange_qms_satisfaction_kind(self):
        if self.qms_satisfaction_kind:
            self.question_type = "scale"
            self.scale_min, self.scale_max = KIND_SCALES[self.qms_satisfaction_kind]
