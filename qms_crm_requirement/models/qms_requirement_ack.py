# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import qms_trusted


class QmsRequirementAck(models.Model):
    """Who was made aware of a requirement change, and when they acknowledged."""

    _name = "qms.requirement.ack"
    _description = "Requirement Change Acknowledgement"
    _inherit = ["qms.evidence.mixin"]
    _order = "version_id desc, state desc, id"
    _qms_default_clauses = ("8.2.4",)
    _qms_partner_field = "partner_id"
    # acknowledged by the person (or recorded for them by a manager), never
    # written by hand
    _qms_action_fields = frozenset(
        {"state", "ack_date", "recorded_by_id", "recorded_reason"}
    )

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
    recorded_by_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        readonly=True,
        help="Manager who recorded the acknowledgement on behalf of the person "
        "(empty: the person acknowledged themselves).",
    )
    recorded_reason = fields.Text(
        string="Reason for Recording on Behalf", readonly=True
    )
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

    def _qms_check_can_stamp(self, reason=None):
        """An acknowledgement is the person's own act: only they stamp it
        (e.g. by marking their activity done). A Quality CRM manager (group
        'Record on Behalf') may record it for them, with a reason."""
        user = self.env.user
        others = self.filtered(lambda a: a.state == "pending" and a.user_id != user)
        if not others or user._is_superuser():
            return others.browse()
        if not user.has_group("qms_crm_evidence.group_qms_record_on_behalf"):
            raise UserError(
                _(
                    "Only %(names)s can acknowledge this change: the activity is "
                    "theirs. A Quality CRM manager may record it on their behalf, "
                    "with a reason.",
                    names=", ".join(others.user_id.mapped("name")),
                )
            )
        if not (reason or "").strip():
            raise UserError(
                _(
                    "You are recording the acknowledgement of %(names)s on their "
                    "behalf: write the reason in the feedback.",
                    names=", ".join(others.user_id.mapped("name")),
                )
            )
        return others

    def _qms_stamp_done(self, reason=None):
        pending = self.filtered(lambda a: a.state == "pending")
        if not pending:
            return
        reason = html2plaintext(reason or "").strip() if reason else ""
        on_behalf = pending._qms_check_can_stamp(reason)
        now = fields.Datetime.now()
        (pending - on_behalf).sudo()._qms_action_write(
            {"state": "done", "ack_date": now}
        )
        if on_behalf:
            on_behalf.sudo()._qms_action_write(
                {
                    "state": "done",
                    "ack_date": now,
                    "recorded_by_id": self.env.user.id,
                    "recorded_reason": reason,
                }
            )
            for ack in on_behalf:
                ack.requirement_id.sudo().message_post(
                    body=_(
                        "Acknowledgement of %(person)s recorded on their behalf by "
                        "%(user)s: %(reason)s",
                        person=ack.user_id.name,
                        user=self.env.user.name,
                        reason=reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
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
