# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import difflib

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import qms_trusted

from .qms_requirement import CATEGORIES


def _html_diff(old, new):
    """Word-level diff of two texts as escaped HTML (<del>/<ins>)."""
    old_words = (old or "").split(" ")
    new_words = (new or "").split(" ")
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(
                Markup('<del class="text-danger">%s</del>') % " ".join(old_words[a1:a2])
            )
        if op in ("insert", "replace"):
            out.append(
                Markup('<ins class="text-success">%s</ins>')
                % " ".join(new_words[b1:b2])
            )
    return Markup(" ").join(out)


class QmsRequirementVersion(models.Model):
    """An accepted wording of a requirement. Never edited, never deleted (8.2.4)."""

    _name = "qms.requirement.version"
    _description = "Customer Requirement Version"
    _inherit = ["mail.thread", "qms.evidence.mixin"]
    _order = "requirement_id, number desc"
    _qms_default_clauses = ("8.2.4",)

    requirement_id = fields.Many2one(
        "qms.requirement", required=True, ondelete="restrict", index=True, readonly=True
    )
    partner_id = fields.Many2one(
        related="requirement_id.partner_id", store=True, string="Customer"
    )
    order_id = fields.Many2one(related="requirement_id.order_id", store=True)
    number = fields.Integer(string="Version", required=True, readonly=True)
    name = fields.Char(string="Title", required=True, readonly=True)
    description = fields.Text(string="Requirement Text", readonly=True)
    category = fields.Selection(CATEGORIES, readonly=True)
    regulation_ref = fields.Char(string="Law / Regulation", readonly=True)
    previous_id = fields.Many2one(
        "qms.requirement.version",
        compute="_compute_previous_id",
        store=True,
        string="Previous Version",
    )
    change_reason = fields.Text(string="Reason", readonly=True)
    requested_by = fields.Selection(
        [("customer", "Customer"), ("internal", "Internal")],
        default="internal",
        readonly=True,
    )
    change_date = fields.Datetime(
        default=fields.Datetime.now, readonly=True, string="Date"
    )
    user_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        readonly=True,
        string="Changed by",
    )
    diff_html = fields.Html(
        compute="_compute_diff_html", string="Changes", sanitize=False
    )
    ack_ids = fields.One2many(
        "qms.requirement.ack", "version_id", string="Acknowledgements", readonly=True
    )
    ack_state = fields.Selection(
        [("none", "Nobody to tell"), ("pending", "Pending"), ("done", "Acknowledged")],
        compute="_compute_ack_state",
        store=True,
        string="Acknowledgement",
    )
    ack_progress = fields.Char(compute="_compute_ack_state", store=True)

    _number_uniq = models.Constraint(
        "UNIQUE(requirement_id, number)",
        "A requirement version number must be unique.",
    )

    @api.depends("requirement_id.reference", "number")
    def _compute_display_name(self):
        for version in self:
            version.display_name = _(
                "%(req)s v%(number)s",
                req=version.requirement_id.reference or "",
                number=version.number,
            )

    @api.depends("requirement_id", "number")
    def _compute_previous_id(self):
        for version in self:
            version.previous_id = self.search(
                [
                    ("requirement_id", "=", version.requirement_id.id),
                    ("number", "<", version.number),
                ],
                order="number desc",
                limit=1,
            )

    def _qms_changes(self):
        """[(label, old, new)] of the fields that differ from the previous version."""
        self.ensure_one()
        prev = self.previous_id
        labels = dict(CATEGORIES)
        pairs = (
            (_("Title"), prev.name, self.name),
            (_("Category"), labels.get(prev.category), labels.get(self.category)),
            (_("Law / Regulation"), prev.regulation_ref, self.regulation_ref),
            (_("Text"), prev.description, self.description),
        )
        return [
            (label, old, new) for label, old, new in pairs if (old or "") != (new or "")
        ]

    @api.depends("previous_id", "name", "description", "category", "regulation_ref")
    def _compute_diff_html(self):
        for version in self:
            if not version.previous_id:
                version.diff_html = Markup("<p>%s</p>") % _("First accepted version.")
                continue
            rows = [
                Markup("<tr><th>%s</th><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (label, old or "", new or "", _html_diff(old, new))
                for label, old, new in version._qms_changes()
            ]
            head = Markup(
                "<thead><tr><th></th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            ) % (_("Old"), _("New"), _("Changes"))
            version.diff_html = (
                Markup(
                    '<table class="table table-sm o_qms_diff">'
                    "%s<tbody>%s</tbody></table>"
                )
                % (head, Markup("").join(rows))
                if rows
                else Markup("<p>%s</p>") % _("No change of wording.")
            )

    def _qms_activity_note(self):
        """Short note for the acknowledgement activity: reason, then each
        changed field as an inline diff (the full table is on the version)."""
        self.ensure_one()
        items = Markup("").join(
            Markup("<li><strong>%s:</strong> %s</li>") % (label, _html_diff(old, new))
            for label, old, new in self._qms_changes()
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (self.change_reason or "", items)

    @api.depends("ack_ids.state")
    def _compute_ack_state(self):
        # all acknowledgements, read as superuser: ``ack_ids`` read by a user
        # holds only those their record rules let them see (an employee: their
        # own), and that value is cached for the whole transaction, so the
        # stored figure would depend on who triggered the recompute
        Ack = self.env["qms.requirement.ack"].sudo()
        acks_by_version = Ack.search([("version_id", "in", self.ids)]).grouped(
            "version_id"
        )
        for version in self:
            acks = acks_by_version.get(version, Ack) if version.id else version.ack_ids
            done = len(acks.filtered(lambda a: a.state == "done"))
            if not acks:
                version.ack_state = "none"
            else:
                version.ack_state = "done" if done == len(acks) else "pending"
            version.ack_progress = f"{done} / {len(acks)}"

    def _qms_is_locked(self):
        return True

    def write(self, vals):
        allowed = {
            "ack_state",
            "ack_progress",
            "previous_id",
        } | self._qms_unlocked_fields
        allowed |= {f for f in vals if f.startswith("message_")}
        if set(vals) - allowed and not qms_trusted(self.env, "qms_correction"):
            raise UserError(
                _(
                    "Requirement versions are a record of what was agreed and are "
                    "never edited."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Making relevant persons aware (8.2.4)
    # ------------------------------------------------------------------
    def _qms_relevant_users(self):
        """Users to be made aware of this change, with why: {user: role}."""
        self.ensure_one()
        req = self.requirement_id
        users = {}

        def add(user_records, role):
            for user in user_records:
                if user and user.active and not user.share and user not in users:
                    users[user] = role

        order = req.order_id
        if order:
            add(order.user_id, "salesperson")
            add(order.message_partner_ids.user_ids, "follower")
            open_pickings = order.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            add(open_pickings.user_id, "delivery")
        elif req.lead_id:
            add(req.lead_id.user_id, "salesperson")
            add(req.lead_id.message_partner_ids.user_ids, "follower")
        add(req.team_id.qms_change_notify_user_ids, "team")
        add(req.user_id, "owner")
        # the person who made the change knows about it
        users.pop(self.user_id, None)
        return users

    def _qms_notify_relevant_persons(self):
        activity_type = self.env.ref(
            "qms_crm_requirement.mail_activity_type_requirement_change",
            raise_if_not_found=False,
        )
        Ack = self.env["qms.requirement.ack"].sudo()
        for version in self:
            req = version.requirement_id
            for user, role in version._qms_relevant_users().items():
                activity = req.sudo().activity_schedule(
                    activity_type_id=activity_type.id if activity_type else False,
                    summary=_(
                        "Review changed requirement %(req)s (v%(number)s)",
                        req=req.reference,
                        number=version.number,
                    ),
                    note=version._qms_activity_note(),
                    user_id=user.id,
                )
                Ack.create(
                    {
                        "version_id": version.id,
                        "user_id": user.id,
                        "role": role,
                        "activity_id": activity.id,
                    }
                )

    def action_acknowledge(self):
        """The current user acknowledges the change."""
        acks = self.mapped("ack_ids").filtered(
            lambda a: a.user_id == self.env.user and a.state == "pending"
        )
        if not acks:
            raise UserError(_("You have no pending acknowledgement for this change."))
        acks.action_acknowledge()
        return True
