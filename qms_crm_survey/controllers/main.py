# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http

from odoo.addons.survey.controllers import main

# validity codes of survey's _check_validity and the HTTP status they deserve
ERROR_STATUS = {"answer_wrong_user": 403, "token_wrong": 404}
# the page / question ids a survey page or submission may carry
PAGE_KEYS = ("previous_page_id", "page_id", "question_id")


class Survey(main.Survey):
    def _redirect_with_error(self, access_data, error_key):
        """Odoo renders its access-error page with status 200 when someone
        opens another person's answer token or a wrong one; say 403 / 404 so
        that proxies, monitoring and scanners see the refusal."""
        response = super()._redirect_with_error(access_data, error_key)
        if error_key in ERROR_STATUS:
            response.status_code = ERROR_STATUS[error_key]
        return response

    @staticmethod
    def _qms_clean_page_ids(survey_sudo, post):
        """``post`` without page / question ids that are not numbers of
        this survey's questions: survey reads them with ``int()`` (a 500 for
        ``?previous_page_id=x``) and shows any survey's question by id."""
        allowed = set(survey_sudo.question_and_page_ids.ids)
        clean = dict(post)
        for key in PAGE_KEYS:
            if key not in clean:
                continue
            value = clean[key]
            number = value if isinstance(value, int) else None
            if isinstance(value, str) and value.strip().isdigit():
                number = int(value)
            if number not in allowed or isinstance(number, bool):
                del clean[key]
            else:
                clean[key] = number
        # a scale answer outside the scale is no answer (survey stores any
        # integer: a 500 for a value PostgreSQL cannot hold)
        for question in survey_sudo.question_ids.filtered(
            lambda q: q.question_type == "scale"
        ):
            value = clean.get(str(question.id))
            if value is None:
                continue
            text = value.strip() if isinstance(value, str) else str(value)
            digits = text[1:] if text.startswith("-") else text
            if not (
                digits.isdigit()
                and len(digits) < 10
                and question.scale_min <= int(text) <= question.scale_max
            ):
                clean[str(question.id)] = ""
        return clean

    def _prepare_survey_data(self, survey_sudo, answer_sudo, **post):
        post = self._qms_clean_page_ids(survey_sudo, post)
        return super()._prepare_survey_data(survey_sudo, answer_sudo, **post)

    # JSON-RPC is POST anyway; say so (state-changing routes of ours are POST)
    @http.route(methods=["POST"])
    def survey_submit(self, survey_token, answer_token, **post):
        access_data = self._get_access_data(
            survey_token, answer_token, ensure_token=True
        )
        if access_data["validity_code"] is True:
            post = self._qms_clean_page_ids(access_data["survey_sudo"], post)
        return super().survey_submit(survey_token, answer_token, **post)
