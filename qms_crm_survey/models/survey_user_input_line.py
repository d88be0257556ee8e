# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    qms_satisfaction_kind = fields.Selection(
        string="Satisfaction Measure",
        related="question_id.qms_satisfaction_kind",
        store=True,
        index="btree_not_null",
    )
