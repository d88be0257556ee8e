# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import qms_trusted


class QmsRequirementAck(models.Model):
    """Who was made aware of a requirement change, and when they acknowledged."""

    _name = "qms.requirement.ack"
    _description = "Requirement Change Acknowledgement"
    _inherit = ["qms.evidence.mixin"]
    _order = "version_id desc, state desc, id"
    _qms_default_clauses = ("8.2.4",)
    _qms_partner_field = "partner_id"

    version_id = fields.Many2one(
        "qms.requirement.version", required=True, ondelete="restrict", index=True
    )
    requirement_id = fields.Many2one(
        related="version_id.requirement_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="version_id.requirement_id.partner_id", store=True, string="Customer"
    )
    order_id = fields.Many2one(related="version_id.requirement_id.order_id", store=True)
    user_id = fields.Many2one("res.users", required=True, index=True, string="Person")
    role = fields.Selection(
        [
            ("salesperson", "Salesperson"),
            ("follower", "Follower"),
            ("delivery", "Delivery responsible"),
            ("team", "Sales team"),
            ("owner", "Requirement owner"),
        ]
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Acknowledged")],
        default="pending",
        required=True,
        index=True,
    )
    ack_date = fields.Datetime(string="Acknowledged on", readonly=True)
    delay_hours = fields.Float(
        compute="_compute_delay_hours", store=True, string="Delay (hours)"
    )

    _version_user_uniq = models.Constraint(
        "UNIQUE(version_id, user_id)",
        "A person acknowledges a change once.",
    )

    @api.depends("ack_date", "create_date")
    def _compute_delay_hours(self):
        for ack in self:
            if ack.ack_date and ack.create_date:
                ack.delay_hours = (
                    ack.ack_date - ack.create_date
                ).total_seconds() / 3600
            else:
                ack.delay_hours = 0.0

    def _qms_is_locked(self):
        return self.state == "done"

    def write(self, vals):
        if (
            set(vals) - {"state", "ack_date", "activity_id"}
            and not qms_trusted(self.env, "qms_correction")
            and not self.env.su
        ):
            raise UserError(
                _("Acknowledgements record who was told; they are not edited.")
            )
        return super().write(vals)

    def action_acknowledge(self):
        for ack in self:
            if ack.user_id != self.env.user and not self.env.su:
                raise UserError(
                    _("Only %s can acknowledge this change.", ack.user_id.name)
                )
        pending = self.filtered(lambda a: a.state == "pending")
        activities = pending.activity_id
        pending._qms_stamp_done()
        if activities:
            activities.sudo().action_feedback(feedback=_("Change acknowledged."))
        return True

    def _qms_stamp_done(self):
        pending = self.filtered(lambda a: a.state == "pending")
        if not pending:
            return
        pending.sudo().write({"state": "done", "ack_date": fields.Datetime.now()})
        for version in pending.version_id:
            names = ", ".join(
                pending.filtered(lambda a, v=version: a.version_id == v).user_id.mapped(
                    "name"
                )
            )
            version.requirement_id.sudo().message_post(
                body=_(
                    "Change v%(number)s acknowledged by %(names)s.",
                    number=version.number,
                    names=names,
                ),
                subtype_xmlid="mail.mt_note",
            )
