# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Central guards against hostile request input, for every route.

- A NUL byte in the path, the query string, the form (names and values) or the
  name of an uploaded file is answered 400. PostgreSQL cannot store NUL in a
  string, so stock Odoo answers such requests with an HTTP 500 and a traceback
  (searches, ticket subjects, attachment names, the fallback page lookup...).
- An OPTIONS request on a route that declares its methods (say POST only) and
  is not a CORS route is answered 405. Odoo adds OPTIONS to every such route
  for CORS preflights, and OPTIONS is a "safe" method: without this guard it
  runs the POST-only endpoint without any CSRF check.
- A non-ASCII ``csrf_token`` is an invalid CSRF token (400, as stock Odoo does
  for any wrong token): stock Odoo compares it with ``consteq``, which raises
  ``TypeError`` on non-ASCII strings (an HTTP 500 on every POST route).
"""

import logging

from werkzeug.exceptions import BadRequest, MethodNotAllowed

from odoo import models
from odoo.http import SAFE_HTTP_METHODS, request

_logger = logging.getLogger(__name__)

NUL = "\x00"


def _has_nul(multidict):
    return any(
        NUL in key or (isinstance(value, str) and NUL in value)
        for key, value in multidict.items(multi=True)
    )


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _hardening_nul_message(cls):
        return request.env._("The request contains a NUL character.")

    @classmethod
    def _match(cls, path_info):
        # before any routing, so that the fallback (no route matched: attachment
        # and page lookup by path) and the login redirect are covered too
        httprequest = request.httprequest
        if NUL in path_info or _has_nul(httprequest.args):
            _logger.info("NUL byte in the URL of %s: 400", httprequest.method)
            raise BadRequest(cls._hardening_nul_message())
        return super()._match(path_info)

    @classmethod
    def _pre_dispatch(cls, rule, args):
        routing = rule.endpoint.routing
        methods = routing.get("methods")
        if (
            request.httprequest.method == "OPTIONS"
            and methods
            and "OPTIONS" not in methods
            and not routing.get("cors")
        ):
            raise MethodNotAllowed(valid_methods=methods)
        # after super(): the body is parsed only once the upload size limits of
        # the database and of the route are set
        result = super()._pre_dispatch(rule, args)
        httprequest = request.httprequest
        if _has_nul(httprequest.form) or any(
            NUL in name or NUL in (upload.filename or "")
            for name, upload in httprequest.files.items(multi=True)
        ):
            _logger.info("NUL byte in the form posted to %s: 400", httprequest.path)
            raise BadRequest(cls._hardening_nul_message())
        if (
            httprequest.method not in SAFE_HTTP_METHODS
            and routing.get("type") == "http"
            and routing.get("csrf", True)
        ):
            token = httprequest.form.get("csrf_token") or httprequest.args.get(
                "csrf_token"
            )
            if token and not token.isascii():
                _logger.warning(
                    "CSRF validation failed on path '%s' (non-ASCII token)",
                    httprequest.path,
                )
                raise BadRequest(request.env._("Session expired (invalid CSRF token)"))
        return result
