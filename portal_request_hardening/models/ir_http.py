# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Central guards against hostile request input, for every route.

- A NUL byte in the path, the query string, the form (names and values) or the
  name of an uploaded file is answered 400. PostgreSQL cannot store NUL in a
  string, so stock Odoo answers such requests with an HTTP 500 and a traceback
  (searches, ticket subjects, attachment names, the fallback page lookup...).
- A line break (CR or LF, e.g. ``%0A``) in the path is answered 400: stock
  Odoo redirects some paths to a cleaned-up one (``//`` merged, language
  prefixes) and werkzeug refuses a line break in the ``Location`` header, an
  HTTP 500 (``/survey//%0A``).
- A path with a ``.`` or ``..`` segment, also percent-encoded (``%2E``,
  ``..%2F..%2Fetc%2Fpasswd``), is answered 400 before any routing. No route
  of Odoo's takes one, and with ``website`` installed the not-found page of
  such a path is an HTTP 500: the page and its fallback error page build the
  path's canonical URL with ``odoo.tools.urls.urljoin``, which raises
  "Dot segments are not allowed" (the check below is the same as urljoin's).
- An OPTIONS request on a route that declares its methods (say POST only) and
  is not a CORS route is answered 405. Odoo adds OPTIONS to every such route
  for CORS preflights, and OPTIONS is a "safe" method: without this guard it
  runs the POST-only endpoint without any CSRF check.
- A non-ASCII ``csrf_token`` is an invalid CSRF token (400, as stock Odoo does
  for any wrong token): stock Odoo compares it with ``consteq``, which raises
  ``TypeError`` on non-ASCII strings (an HTTP 500 on every POST route).
- Numbers the stock controllers ``int()`` without a check are checked first:
  ``id``, ``width`` and ``height`` of the image and content routes
  (``/web/image``, ``/web/content``: a word, a decimal, a negative size), and
  the document ids of the report routes (``/report/<converter>/<report>/<ids>``:
  beyond PostgreSQL's integers, 0, or documents that do not exist) are a 404,
  their ``options`` and ``context`` that are no JSON object a 400.
"""

import json
import logging
from urllib.parse import unquote

from werkzeug.exceptions import BadRequest, MethodNotAllowed, NotFound

from odoo import models
from odoo.http import SAFE_HTTP_METHODS, request

_logger = logging.getLogger(__name__)

NUL = "\x00"
LINE_BREAKS = ("\r", "\n")
# PostgreSQL ids are 4-byte integers
MAX_INT = 2**31 - 1
# route prefixes of web's binary controller, and the numbers it int()s
BINARY_ROUTES = ("/web/image", "/web/content")
BINARY_NUMBERS = ("id", "width", "height")


def _has_dot_segment(path):
    """True when ``path`` (already percent-decoded once by the WSGI server)
    has a ``.`` or ``..`` segment, as it is or percent-decoded once more
    (``odoo.tools.urls.urljoin`` decodes the path it checks)."""
    return any(
        segment in (".", "..")
        for candidate in (path, unquote(path, errors="replace"))
        for segment in candidate.split("/")
    )


def _has_nul(multidict):
    return any(
        NUL in key or (isinstance(value, str) and NUL in value)
        for key, value in multidict.items(multi=True)
    )


def _is_number(value, low=0):
    """True for an int, or a string of ASCII digits, in [low, MAX_INT]."""
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit()):
            return False
        value = int(value)
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and low <= value <= MAX_INT
    )


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _hardening_check_numbers(cls, rule, args):
        """404 for the numbers stock controllers int() unchecked (see above)."""
        routes = rule.endpoint.routing.get("routes") or []
        query = request.httprequest.args
        if any(route.startswith(BINARY_ROUTES) for route in routes):
            for key in BINARY_NUMBERS:
                value = args.get(key, query.get(key))
                if value not in (None, "", False) and not _is_number(value):
                    raise NotFound()
        if "docids" in args and any(route.startswith("/report/") for route in routes):
            for key in ("options", "context"):
                if key in query:
                    try:
                        valid = isinstance(json.loads(query[key]), dict)
                    except ValueError:
                        valid = False
                    if not valid:
                        raise BadRequest()
            docids = [i for i in (args["docids"] or "").split(",") if i.isdigit()]
            if not all(_is_number(i, low=1) for i in docids):
                raise NotFound()
            report = (
                request.env["ir.actions.report"]
                .sudo()
                ._get_report_from_name(args.get("reportname"))
            )
            if docids and report and report.model in request.env:
                records = (
                    request.env[report.model].sudo().browse({int(i) for i in docids})
                )
                if len(records.exists()) != len(set(docids)):
                    raise NotFound()

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
        if any(char in path_info for char in LINE_BREAKS):
            _logger.info("Line break in the path of %s: 400", httprequest.method)
            raise BadRequest(request.env._("The address contains a line break."))
        if _has_dot_segment(path_info):
            _logger.info("Dot segment in the path of %s: 400", httprequest.method)
            raise BadRequest(
                request.env._("The address contains a “.” or “..” segment.")
            )
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
        cls._hardening_check_numbers(rule, args)
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
