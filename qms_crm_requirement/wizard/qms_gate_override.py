# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED


class QmsGateOverride(models.TransientModel):
    """A Quality CRM manager confirms an order despite the review gate."""

    _name = "qms.gate.override"
    _description = "Override the Requirement Review Gate"

    order_id = fields.Many2one("sale.order", required=True)
    issues = fields.Text(compute="_compute_issues", string="What Is Missing")
    reason = fields.Text(required=True)

    @api.depends("order_id")
    def _compute_issues(self):
        for wizard in self:
            wizard.issues = (
                "\n".join(wizard.order_id._qms_gate_issues()) if wizard.order_id else ""
            )

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("qms_crm_evidence.group_qms_manager"):
            raise AccessError(
                _(
                    "Only a Quality CRM manager may override the requirement "
                    "review gate."
                )
            )
        reason = (self.reason or "").strip()
        if len(reason) < 5:
            raise UserError(
                _("Give a real reason for confirming without an approved review.")
            )
        order = self.order_id
        order.sudo().write(
            {
                "qms_override_reason": reason,
                "qms_override_user_id": self.env.uid,
                "qms_override_date": fields.Datetime.now(),
            }
        )
        order.message_post(
            body=_(
                "Requirement review gate overridden by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        order.with_context(qms_gate_override=QMS_TRUSTED).action_confirm()
        return {"type": "ir.actions.act_window_close"}
