# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The ABC classes, per company (see pre-migrate)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._qms_recompute_abc()
