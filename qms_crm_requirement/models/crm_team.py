# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    qms_change_notify_user_ids = fields.Many2many(
        "res.users",
        "crm_team_qms_change_notify_rel",
        "team_id",
        "user_id",
        string="Told of Requirement Changes",
        # a string domain: a list one makes the field depend on res.users.share,
        # and creating a user then flushes it half-made (share still true, before
        # its groups): crm's own tests fail on res_users_notification_type
        domain="[('share', '=', False)]",
        help="Besides the salesperson, followers and delivery responsibles, these "
        "people must acknowledge every change to a requirement of this team's "
        "customers (ISO 9001 8.2.4).",
    )
