# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsCommunicationTopic(models.Model):
    """What is communicated with customers (ISO 9001 7.4 a)."""

    _name = "qms.communication.topic"
    _description = "Communication Topic"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    qms_clause_ids = fields.Many2many(
        "qms.clause",
        string="ISO Clauses",
        help="Clauses a communication on this topic is evidence for, on top of 7.4.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint(
        "UNIQUE(name)", "A communication topic with this name already exists."
    )
