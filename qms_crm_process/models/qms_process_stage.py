# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsProcessStage(models.Model):
    """One stage of a process template: what it creates when a lead enters
    it and what it requires before the lead leaves it (the gate)."""

    _name = "qms.process.stage"
    _description = "Process Template Stage"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "qms.process.template", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    is_won = fields.Boolean(string="Won Stage")
    fold = fields.Boolean(string="Folded in Pipeline")
    requirements = fields.Text(
        translate=True,
        help="Shown as the tooltip of the CRM stage.",
    )
    task_ids = fields.One2many(
        "qms.process.task", "stage_id", string="Tasks", copy=True
    )
    required_attachment_ids = fields.One2many(
        "qms.process.stage.attachment",
        "stage_id",
        string="Required Attachments",
        copy=True,
        help="Documents the lead must carry before it leaves the stage: an "
        "attachment whose name contains the keyword.",
    )
    report_ids = fields.Many2many(
        "ir.actions.report",
        string="Documents to Generate",
        domain=[("model", "=", "crm.lead")],
        help="QWeb reports on the opportunity generated and attached when a lead "
        "enters the stage (in the background, by a scheduled action).",
    )
    rule_ids = fields.Many2many(
        "qms.communication.rule",
        string="Communication Rules",
        help="Communication rules switched on when the template is applied.",
        context={"active_test": False},
    )
