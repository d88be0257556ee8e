# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED

from ..models.qms_requirement import CATEGORIES


class QmsRequirementChange(models.TransientModel):
    """Change an accepted requirement: a new version, the old one kept (8.2.4)."""

    _name = "qms.requirement.change"
    _description = "Change a Customer Requirement"

    requirement_id = fields.Many2one("qms.requirement", required=True)
    name = fields.Char(string="Title", required=True)
    description = fields.Text(string="New Text", required=True)
    category = fields.Selection(CATEGORIES, required=True)
    regulation_ref = fields.Char(string="Law / Regulation")
    change_reason = fields.Text(string="Reason for the Change", required=True)
    requested_by = fields.Selection(
        [("customer", "Customer"), ("internal", "Internal")],
        required=True,
        default="customer",
    )
    ask_customer = fields.Boolean(
        string="Ask the Customer to Confirm",
        help="Email the customer a portal link to confirm the changed requirement.",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        req = self.env["qms.requirement"].browse(res.get("requirement_id"))
        if req:
            res.update(
                {
                    "name": req.name,
                    "description": req.description,
                    "category": req.category,
                    "regulation_ref": req.regulation_ref,
                    "ask_customer": not req.documented,
                }
            )
        return res

    def action_apply(self):
        self.ensure_one()
        req = self.requirement_id
        req.check_access("write")
        if req.state != "accepted":
            raise UserError(
                _("Only accepted requirements are changed through a new version.")
            )
        if not (self.change_reason or "").strip():
            raise UserError(_("Give the reason for the change."))
        new = {
            "name": (self.name or "").strip(),
            "description": (self.description or "").strip(),
            "category": self.category,
            "regulation_ref": (self.regulation_ref or "").strip() or False,
        }
        if not new["name"] or not new["description"]:
            raise UserError(_("The changed requirement needs a title and a text."))
        if all((req[f] or False) == (v or False) for f, v in new.items()):
            raise UserError(
                _("Nothing changed: edit the title, category or text first.")
            )
        vals = dict(new, version=req.version + 1, state="review")
        if not req.documented:
            vals["confirmation_state"] = "to_send"
        req.with_context(
            qms_requirement_change=QMS_TRUSTED, qms_correction=QMS_TRUSTED
        ).write(vals)
        version = (
            self.env["qms.requirement.version"]
            .sudo()
            .create(
                dict(
                    req._snapshot_vals(),
                    change_reason=self.change_reason.strip(),
                    requested_by=self.requested_by,
                    user_id=self.env.uid,
                )
            )
        )
        version._qms_notify_relevant_persons()
        req.message_post(
            body=_(
                "Changed to version %(number)s (%(who)s request): %(reason)s",
                number=version.number,
                who=dict(self._fields["requested_by"]._description_selection(self.env))[
                    self.requested_by
                ],
                reason=self.change_reason.strip(),
            ),
            subtype_xmlid="mail.mt_note",
        )
        if self.ask_customer:
            req.action_send_confirmation()
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.requirement.version",
            "res_id": version.id,
            "view_mode": "form",
        }
