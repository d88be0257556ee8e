# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsAcceptanceSign(models.TransientModel):
    """The customer signs the acceptance act on the installer's tablet."""

    _name = "qms.acceptance.sign"
    _description = "Sign an Acceptance Act on a Tablet"

    act_id = fields.Many2one("qms.acceptance.act", required=True, ondelete="cascade")
    line_ids = fields.One2many(related="act_id.line_ids")
    decision = fields.Selection(
        [
            ("sign", "The customer accepts and signs"),
            ("refuse", "The customer refuses"),
        ],
        required=True,
        default="sign",
    )
    signed_by = fields.Char(string="Customer's Name")
    signature = fields.Binary(string="Customer's Signature")
    comment = fields.Text(string="Customer's Comment")

    def action_confirm(self):
        self.ensure_one()
        self.act_id._qms_tablet_sign(
            self.signature, self.signed_by, self.decision, self.comment
        )
        return {"type": "ir.actions.act_window_close"}
