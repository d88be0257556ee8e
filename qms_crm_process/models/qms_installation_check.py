# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsInstallationCheck(models.Model):
    """One item of a visit's checklist."""

    _name = "qms.installation.check"
    _description = "Installation Checklist Item"
    _order = "installation_id, sequence, id"

    installation_id = fields.Many2one(
        "qms.installation", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    done = fields.Boolean()
    note = fields.Char()
