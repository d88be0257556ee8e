# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .qms_focus_group import PURPOSES


class QmsFocusGroupSession(models.Model):
    """A design review, beta test or interview held with a focus group."""

    _name = "qms.focus.group.session"
    _description = "Focus Group Session"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.evidence.mixin"]
    _order = "date desc, id desc"
    _qms_default_clauses = ("8.3.2 g)",)
    _qms_action_fields = frozenset({"state"})
    _qms_partner_field = None

    name = fields.Char(required=True, tracking=True)
    focus_group_id = fields.Many2one(
        "qms.focus.group", required=True, index=True, ondelete="restrict"
    )
    kind = fields.Selection(PURPOSES, required=True, default="design_review")
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    state = fields.Selection(
        [("planned", "Planned"), ("invited", "Invited"), ("done", "Done")],
        default="planned",
        required=True,
        tracking=True,
    )
    participation_ids = fields.One2many(
        "qms.focus.group.participation", "session_id", string="Participants"
    )
    attended_count = fields.Integer(compute="_compute_attended_count")
    company_id = fields.Many2one(related="focus_group_id.company_id", store=True)

    @api.depends("participation_ids.state")
    def _compute_attended_count(self):
        for session in self:
            session.attended_count = len(
                session.participation_ids.filtered(lambda p: p.state == "attended")
            )

    def _qms_is_locked(self):
        return self.state == "done"

    def action_invite(self):
        """Invite every member of the convened group (once each) by email."""
        for session in self:
            group = session.focus_group_id
            if group.state != "convened":
                raise UserError(
                    _(
                        "Convene the focus group %(group)s before inviting "
                        "its members.",
                        group=group.display_name,
                    )
                )
            invited = session.participation_ids.partner_id
            partners = group.member_ids.partner_id - invited
            self.env["qms.focus.group.participation"].create(
                [{"session_id": session.id, "partner_id": p.id} for p in partners]
            )
            if partners:
                session.message_post(
                    body=Markup("<p>%s</p>")
                    % _(
                        "You are invited to %(session)s (%(kind)s) on %(date)s.",
                        session=session.name,
                        kind=dict(PURPOSES)[session.kind],
                        date=fields.Datetime.to_string(session.date),
                    ),
                    partner_ids=partners.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            session._qms_action_write({"state": "invited"})
        return True

    def action_done(self):
        self._qms_action_write({"state": "done"})
        return True
