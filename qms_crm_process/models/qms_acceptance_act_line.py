# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import qms_trusted

from .qms_acceptance_act import ACT_KEY


class QmsAcceptanceActLine(models.Model):
    """One requirement of the order in an acceptance act and whether it is
    met."""

    _name = "qms.acceptance.act.line"
    _description = "Acceptance Act Line"
    _order = "act_id, sequence, id"

    act_id = fields.Many2one(
        "qms.acceptance.act", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    requirement_id = fields.Many2one(
        "qms.requirement", string="Requirement", ondelete="restrict"
    )
    name = fields.Char(string="Requirement Text", required=True)
    result = fields.Selection(
        [
            ("met", "Met"),
            ("deviation", "Met with Deviation"),
            ("not_met", "Not Met"),
        ],
    )
    note = fields.Char(help="The deviation, or what is not met.")

    def _qms_check_draft(self):
        if qms_trusted(self.env, ACT_KEY):
            return
        if any(line.act_id.state != "draft" for line in self):
            raise UserError(_("The lines of a sent acceptance act cannot change."))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._qms_check_draft()
        return lines

    def write(self, vals):
        self._qms_check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        self._qms_check_draft()
