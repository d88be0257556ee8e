# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsProcessTeamRole(models.Model):
    """Who holds a process role in a sales team."""

    _name = "qms.process.team.role"
    _description = "Process Role of a Sales Team"
    _order = "team_id, role_id"

    team_id = fields.Many2one("crm.team", required=True, ondelete="cascade", index=True)
    role_id = fields.Many2one("qms.process.role", required=True, ondelete="restrict")
    user_id = fields.Many2one(
        "res.users", string="User", required=True, domain=[("share", "=", False)]
    )

    _team_role_uniq = models.Constraint(
        "UNIQUE (team_id, role_id)", "A role has one user per team."
    )
