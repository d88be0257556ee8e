# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsProcessRole(models.Model):
    """A role in a process (measurer, estimator, installer...): tasks name a
    role, each sales team maps roles to its users."""

    _name = "qms.process.role"
    _description = "Process Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
