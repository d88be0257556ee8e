# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from . import survey_backfill

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
            question._qms_check_measure(question.qms_satisfaction_kind)

    def _qms_check_measure(self, kind):
        """Refuse ``kind`` as the satisfaction measure of this question unless
        it is a scale question on the measure's scale."""
        self.ensure_one()
        if self.question_type != "scale":
            raise ValidationError(
                _(
                    "Only scale questions can be a satisfaction measure "
                    "(question: %(question)s).",
                    question=self.title,
                )
            )
        low, high = KIND_SCALES[kind]
        if (self.scale_min, self.scale_max) != (low, high):
            raise ValidationError(
                _(
                    "A %(kind)s question must use the scale %(low)s to "
                    "%(high)s (question: %(question)s).",
                    kind=dict(
                        self._fields["qms_satisfaction_kind"]._description_selection(
                            self.env
                        )
                    )[kind],
                    low=low,
                    high=high,
                    question=self.title,
                )
            )

    @api.onchange("qms_satisfaction_kind")
    def _onchange_qms_satisfaction_kind(self):
        if self.qms_satisfaction_kind:
            self.question_type = "scale"
            self.scale_min, self.scale_max = KIND_SCALES[self.qms_satisfaction_kind]

    def write(self, vals):
        """Tagging (or untagging) the question of a survey that has answers
        already: the lines' measure and the answers' scores follow by
        set-based SQL (``survey_backfill``), not by the ORM's recompute of
        every dependent answer in Python (200,000 answers: 93 s and 2 GB in
        one request). The request returns when the statements are done."""
        if "qms_satisfaction_kind" not in vals:
            return super().write(vals)
        vals = dict(vals)
        kind = vals.pop("qms_satisfaction_kind") or None
        changed = self.filtered(lambda q: (q.qms_satisfaction_kind or None) != kind)
        res = super().write(vals) if vals else True
        if not changed:
            return res
        changed.check_access("write")
        # the measure is checked before anything is written
        if kind:
            for question in changed:
                question._qms_check_measure(kind)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "UPDATE survey_question SET qms_satisfaction_kind = %s, "
            "write_uid = %s, write_date = %s WHERE id = ANY(%s)",
            [kind, self.env.uid, fields.Datetime.now(), changed.ids],
        )
        changed.invalidate_recordset(
            ["qms_satisfaction_kind", "write_uid", "write_date"]
        )
        # the measure is checked before the answers are touched
        changed._check_qms_satisfaction_kind()
        cr.execute(
            "UPDATE survey_user_input_line SET qms_satisfaction_kind = %s "
            "WHERE question_id = ANY(%s) "
            "AND qms_satisfaction_kind IS DISTINCT FROM %s",
            [kind, changed.ids, kind],
        )
        survey_backfill.update_scores(
            cr,
            SQL(
                "SELECT DISTINCT user_input_id FROM survey_user_input_line "
                "WHERE question_id = ANY(%s)",
                changed.ids,
            ),
        )
        self.env["survey.user_input.line"].invalidate_model(["qms_satisfaction_kind"])
        self.env["survey.user_input"].invalidate_model(
            list(survey_backfill.ANSWER_COLUMNS)
        )
        return res
