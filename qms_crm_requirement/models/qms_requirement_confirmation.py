# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import qms_trusted


class QmsRequirementConfirmation(models.Model):
    """A customer's answer on the portal: the exact text, who, when, from where."""

    _name = "qms.requirement.confirmation"
    _description = "Customer Confirmation of a Requirement"
    _inherit = ["qms.evidence.mixin"]
    _order = "create_date desc, id desc"
    _qms_default_clauses = ("8.2.3.2",)

    requirement_id = fields.Many2one(
        "qms.requirement", required=True, ondelete="restrict", index=True, readonly=True
    )
    partner_id = fields.Many2one(
        related="requirement_id.partner_id", store=True, string="Customer"
    )
    version = fields.Integer(readonly=True)
    text_confirmed = fields.Text(string="Text Confirmed", readonly=True)
    decision = fields.Selection(
        [("confirmed", "Confirmed"), ("commented", "Commented")],
        required=True,
        readonly=True,
    )
    comment = fields.Text(readonly=True)
    portal_user_id = fields.Many2one("res.users", string="Portal User", readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)
    answered_via = fields.Selection(
        [
            ("portal", "Customer's portal account"),
            ("token", "Emailed link"),
            ("phone", "Phone (recorded on behalf)"),
            ("email", "Email (recorded on behalf)"),
            ("letter", "Letter (recorded on behalf)"),
            ("meeting", "Meeting (recorded on behalf)"),
        ],
        string="Answered through",
        readonly=True,
    )
    recorded_by_id = fields.Many2one(
        "res.users",
        string="Recorded on Behalf by",
        readonly=True,
        help="User who recorded the customer's answer given by phone, email, "
        "letter or in a meeting (right 'Record Customer Acts on Behalf'). Empty "
        "when the customer answered on the portal.",
    )

    def _qms_is_locked(self):
        return True

    def write(self, vals):
        if (
            not qms_trusted(self.env, "qms_correction")
            and set(vals) - self._qms_unlocked_fields
        ):
            raise UserError(
                _("Customer confirmations are a record and are never edited.")
            )
        return super().write(vals)
