# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, fields, models
from odoo.exceptions import UserError


class QmsFocusGroupParticipation(models.Model):
    """Whether a customer was invited to and attended a session, and what
    they said."""

    _name = "qms.focus.group.participation"
    _description = "Focus Group Participation"
    _order = "session_id, id"

    session_id = fields.Many2one(
        "qms.focus.group.session", required=True, index=True, ondelete="cascade"
    )
    focus_group_id = fields.Many2one(
        related="session_id.focus_group_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    state = fields.Selection(
        [
            ("invited", "Invited"),
            ("attended", "Attended"),
            ("declined", "Declined"),
            ("no_show", "Did not attend"),
        ],
        default="invited",
        required=True,
    )
    feedback = fields.Text()
    requirement_id = fields.Many2one(
        "qms.requirement", string="Customer Requirement", readonly=True, copy=False
    )

    _unique_participant = models.Constraint(
        "UNIQUE (session_id, partner_id)",
        "A customer takes part in a session only once.",
    )

    def action_create_requirement(self):
        """Turn the feedback into a customer requirement (8.2.3) linked to the
        product the focus group is about."""
        Requirement = self.env["qms.requirement"]
        for part in self:
            if part.requirement_id:
                raise UserError(
                    _(
                        "The feedback of %(customer)s already created %(req)s.",
                        customer=part.partner_id.display_name,
                        req=part.requirement_id.display_name,
                    )
                )
            if not (part.feedback or "").strip():
                raise UserError(
                    _(
                        "Record the feedback of %(customer)s before creating a "
                        "requirement from it.",
                        customer=part.partner_id.display_name,
                    )
                )
            product = part.focus_group_id.product_id
            part.requirement_id = Requirement.create(
                {
                    "name": part.feedback.strip().splitlines()[0][:120],
                    "description": part.feedback,
                    "category": "stated",
                    "source": "focus_group",
                    "partner_id": part.partner_id.id,
                    "product_ids": [Command.set(product.ids)] if product else False,
                }
            )
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "qms.requirement",
                "res_id": self.requirement_id.id,
                "view_mode": "form",
            }
        return True
