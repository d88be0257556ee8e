# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class QmsProcessGateOverride(models.TransientModel):
    """A manager moves an opportunity past its stage gate, with a reason."""

    _name = "qms.process.gate.override"
    _description = "Move Past a Stage Gate"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    team_id = fields.Many2one(related="lead_id.team_id")
    missing = fields.Text(compute="_compute_missing")
    stage_id = fields.Many2one(
        "crm.stage",
        string="Move to",
        required=True,
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', [team_id])]",
    )
    reason = fields.Text(required=True)

    @api.depends("lead_id")
    def _compute_missing(self):
        for wizard in self:
            wizard.missing = wizard.lead_id.qms_gate_missing

    def action_confirm(self):
        self.ensure_one()
        self.lead_id._qms_move_with_override(self.stage_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
