# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsProcessTemplate(models.Model):
    """A process template: the CRM stages of a kind of business, with per
    stage the tasks to create, the documents to generate, the communication
    rules to switch on and what must be done before leaving it. Applied to
    sales teams (``crm.team.action_qms_apply_process``)."""

    _name = "qms.process.template"
    _description = "Process Template"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True)
    stage_ids = fields.One2many(
        "qms.process.stage", "template_id", string="Stages", copy=True
    )
    role_ids = fields.Many2many(
        "qms.process.role",
        compute="_compute_role_ids",
        string="Roles",
        help="The roles the tasks of this template are assigned to: map them to "
        "users on each sales team.",
    )
    team_ids = fields.One2many(
        "crm.team", "qms_process_template_id", string="Applied to Teams"
    )
    team_count = fields.Integer(compute="_compute_team_count")

    def _compute_role_ids(self):
        for template in self:
            template.role_ids = template.stage_ids.task_ids.role_id

    def _compute_team_count(self):
        for template in self:
            template.team_count = len(template.team_ids)
