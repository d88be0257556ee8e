# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Parsing of what a portal visitor sends: ids, dates, form text."""

import re

from odoo import fields
from odoo.http import request

# PostgreSQL ids are 4-byte integers: a number beyond is no id
MAX_ID = 2**31 - 1
_ID_RE = re.compile(r"^[0-9]{1,10}$")


def parse_id(value):
    """The positive database id in ``value`` (str or int), or None."""
    if isinstance(value, str) and _ID_RE.match(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    return None


def parse_date_range(date_begin, date_end):
    """(date_begin, date_end, invalid): the dates as ORM strings, or None.

    A value that is not a date is dropped and reported as invalid, so that the
    page can say why its dates were ignored.
    """
    invalid = False
    result = []
    for value in (date_begin, date_end):
        if value in (None, ""):
            result.append(None)
            continue
        try:
            parsed = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            parsed = None
        if parsed is None:
            invalid = True
        result.append(parsed and fields.Datetime.to_string(parsed))
    if invalid:
        return None, None, True
    return result[0], result[1], False


def invalid_dates_notice():
    return request.env._(
        "The dates in the address of this page are not valid dates: "
        "they have been ignored."
    )


def form_text(value):
    """A form value as stripped text ('' for anything that is not text)."""
    return value.strip() if isinstance(value, str) else ""
