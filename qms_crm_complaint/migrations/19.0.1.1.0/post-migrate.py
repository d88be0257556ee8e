# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Compensation is evidence of 8.5.5 too: tag the existing lines (set-based).
Complaints got their tags (8.2.1 c, 8.5.5) when the tags were added to
tickets (qms.evidence.indexed.init)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["qms.compensation.line"]._qms_tag_default_clauses(("8.5.5",))
