# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

BEHALF_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("meeting", "Meeting"),
]


class QmsRequirementConfirmBehalf(models.TransientModel):
    """The customer confirmed (or commented on) a requirement by phone,
    email, letter or in a meeting: a user with the right 'Record Customer
    Acts on Behalf' records it, naming the channel, with the customer's words
    and, for email and letter, the message or scan as proof."""

    _name = "qms.requirement.confirm.behalf"
    _description = "Record a Customer Confirmation on Behalf"

    requirement_id = fields.Many2one("qms.requirement", required=True, readonly=True)
    partner_id = fields.Many2one(related="requirement_id.partner_id")
    text = fields.Text(
        string="Requirement as Confirmed",
        compute="_compute_text",
        help="The exact text the customer's answer applies to.",
    )
    decision = fields.Selection(
        [("confirmed", "Confirmed"), ("commented", "Commented")],
        required=True,
        default="confirmed",
    )
    channel = fields.Selection(
        BEHALF_CHANNELS, string="Answer Received by", required=True
    )
    comment = fields.Text(
        string="Customer's Words",
        required=True,
        help="What the customer said or wrote, and who (name, role) answered.",
    )
    proof = fields.Binary(
        string="Proof",
        help="The customer's email or the scanned letter: required for these channels.",
    )
    proof_name = fields.Char()

    def _compute_text(self):
        for wizard in self:
            wizard.text = wizard.requirement_id._confirmation_text()

    def action_record(self):
        self.ensure_one()
        if not self.env.user.has_group("qms_crm_evidence.group_qms_record_on_behalf"):
            raise AccessError(
                _(
                    "Recording a customer's confirmation on their behalf needs "
                    "the Quality CRM right 'Record Customer Acts on Behalf'."
                )
            )
        comment = (self.comment or "").strip()
        if len(comment) < 5:
            raise UserError(
                _(
                    "Write what the customer said or wrote, and who answered: it is "
                    "the record of their confirmation."
                )
            )
        if self.channel in ("email", "letter") and not self.proof:
            raise UserError(
                _("Attach the customer's email or the scanned letter as proof.")
            )
        requirement = self.requirement_id
        # only on a requirement the recorder may change
        requirement.check_access("write")
        # the requirement's own action, with the staff user as recorder: the
        # customer's portal user and IP stay empty
        confirmation = requirement.sudo()._qms_record_confirmation(
            self.decision,
            comment,
            requirement.text_hash,
            via=self.channel,
            recorded_by=self.env.user,
        )
        if self.proof:
            self.env["ir.attachment"].sudo().create(
                {
                    "name": self.proof_name or _("Proof of confirmation"),
                    "datas": self.proof,
                    "res_model": confirmation._name,
                    "res_id": confirmation.id,
                }
            )
        return {"type": "ir.actions.act_window_close"}
