# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Portal access tokens, for every portal document.

- A malformed or non-ASCII token is simply an invalid token: stock portal
  compares it with ``consteq``, which raises ``TypeError`` on non-ASCII strings
  (an HTTP 500 on every portal document opened with such a token).
- ``_document_check_token_or_404``: the routes that open a document with a
  token answer a wrong token with a 404, for missing and foreign documents
  alike, instead of a redirect that tells them apart.
"""

import re

from werkzeug.exceptions import NotFound

from odoo.exceptions import AccessError, MissingError

from odoo.addons.portal.controllers.portal import CustomerPortal

# portal.mixin tokens are UUID4 strings; anything else can never match
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class HardenedCustomerPortal(CustomerPortal):
    def _document_check_access(self, model_name, document_id, access_token=None):
        if access_token is not None and (
            not isinstance(access_token, str) or not _TOKEN_RE.match(access_token)
        ):
            access_token = None
        return super()._document_check_access(
            model_name, document_id, access_token=access_token
        )

    def _document_check_token_or_404(self, model_name, document_id, access_token):
        """A document opened with a token it does not have is not found."""
        if not access_token:
            return
        try:
            self._document_check_access(model_name, document_id, access_token)
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
