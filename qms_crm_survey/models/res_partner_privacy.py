# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The person's satisfaction answers in the personal data hooks of qms_crm:
exported with the other sections, and anonymised on erasure.

The answers stay (they are the 9.1.2 evidence and feed the trends); what
identifies the person goes: the email and nickname typed in the survey, and
every free-text answer, since a comment can hold anything (names, phone
numbers, health details...). Scores and choices are kept.
"""

from odoo import _, api, models

FREE_TEXT_TYPES = ("char_box", "text_box")


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _qms_survey_answers_of(self, partners):
        """Answers of ``partners``: theirs, and anonymous ones given with
        one of their email addresses (sudo, archived surveys too)."""
        Answer = self.env["survey.user_input"].sudo().with_context(active_test=False)
        emails = [email for email in partners.mapped("email_normalized") if email]
        domain = [("partner_id", "in", partners.ids)]
        if emails:
            domain = [
                "|",
                *domain,
                "&",
                ("partner_id", "=", False),
                ("email", "in", emails),
            ]
        return Answer.search(domain)

    def _qms_personal_data_sections(self):
        sections = super()._qms_personal_data_sections()
        partners = self._qms_privacy_partners()
        answers = self._qms_survey_answers_of(partners)
        sections["survey_answers"] = (
            _("Survey Answers"),
            answers,
            [
                "survey_id",
                "partner_id",
                "email",
                "nickname",
                "state",
                "create_date",
                "end_datetime",
                "qms_trigger",
                "qms_nps_score",
                "qms_csat_score",
                "qms_ces_score",
            ],
        )
        sections["survey_answer_lines"] = (
            _("Survey Answer Lines"),
            answers.user_input_line_ids,
            [
                "user_input_id",
                "question_id",
                "answer_type",
                "skipped",
                "value_char_box",
                "value_text_box",
                "value_numerical_box",
                "value_scale",
                "value_date",
                "value_datetime",
                "suggested_answer_id",
                "matrix_row_id",
            ],
        )
        sections["survey_invitations"] = (
            _("Survey Invitations"),
            self.env["qms.survey.invitation"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)]),
            [
                "survey_id",
                "partner_id",
                "trigger",
                "state",
                "skip_reason",
                "sent_date",
                "reminder_date",
            ],
        )
        return sections

    @api.model
    def _qms_anonymise_related(self, partners):
        log = super()._qms_anonymise_related(partners)
        answers = self._qms_survey_answers_of(partners)
        if not answers:
            return log
        answers.write({"email": False, "nickname": False})
        lines = answers.user_input_line_ids
        marker = _("[anonymised]")
        free_text = 0
        for answer_type in FREE_TEXT_TYPES:
            typed = lines.filtered(
                lambda line, t=answer_type: line.answer_type == t and line[f"value_{t}"]
            )
            if typed:
                # a marker, not False: a line is either skipped or answered
                typed.write({f"value_{answer_type}": marker})
                free_text += len(typed)
        log.append(
            _(
                "%(count)s survey answer(s): email and nickname cleared, "
                "%(texts)s free-text answer(s) replaced by %(marker)s (scores "
                "and choices kept)",
                count=len(answers),
                texts=free_text,
                marker=marker,
            )
        )
        return log
