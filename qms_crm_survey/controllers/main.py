# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.survey.controllers import main

# validity codes of survey's _check_validity and the HTTP status they deserve
ERROR_STATUS = {"answer_wrong_user": 403, "token_wrong": 404}


class Survey(main.Survey):
    def _redirect_with_error(self, access_data, error_key):
        """Odoo renders its access-error page with status 200 when someone
        opens another person's answer token or a wrong one; say 403 / 404 so
        that proxies, monitoring and scanners see the refusal."""
        response = super()._redirect_with_error(access_data, error_key)
        if error_key in ERROR_STATUS:
            response.status_code = ERROR_STATUS[error_key]
        return response
