# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Whole local days as UTC datetimes (needs only pytz, an Odoo dependency)."""

from datetime import datetime, time, timedelta

import pytz


def day_bounds(tz, date_from, date_to):
    """(start, end) naive UTC datetimes, end excluded, of the whole days from
    ``date_from`` to ``date_to`` as lived in the pytz time zone ``tz``.

    Odoo stores datetimes in UTC: a record created at 20:00 in New York on
    the last day of a period is stored on the next UTC day and would fall
    out of a period cut at UTC midnight."""
    tz = tz or pytz.utc

    def utc(day):
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    return utc(date_from), utc(date_to + timedelta(days=1))
