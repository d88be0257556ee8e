# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import uuid
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED

INCIDENT_KINDS = [
    ("lost", "Lost"),
    ("damaged", "Damaged"),
    ("unsuitable", "Unsuitable for Use"),
    ("breach", "Unauthorised Access / Data Breach"),
]
# state the property takes when such an incident is recorded
PROPERTY_STATE_OF_KIND = {
    "lost": "lost",
    "damaged": "damaged",
    "unsuitable": "unsuitable",
}
NOTIFY_CHANNELS = [
    ("email", "Email"),
    ("portal", "Portal"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("meeting", "Meeting"),
]
# hours within which a personal data breach is reported to the authority
# (GDPR art. 33; 152-FZ art. 21 part 3.1 asks for 24 h first notice + 72 h)
BREACH_AUTHORITY_HOURS = 72


class QmsPropertyIncident(models.Model):
    """Property of a customer or external provider that is lost, damaged,
    found unsuitable for use, or accessed without authorisation: the owner is
    told at once and the record is kept (ISO 9001:2015 8.5.3)."""

    _name = "qms.property.incident"
    _description = "Property Incident"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "qms.evidence.mixin",
    ]
    _order = "detected_at desc, id desc"
    _rec_names_search = ["reference", "property_id"]
    _qms_personal_data = "is_personal_data"
    _qms_default_clauses = ("8.5.3", "8.2.1 d)")

    reference = fields.Char(
        readonly=True, copy=False, default=lambda self: _("New"), index="trigram"
    )
    property_id = fields.Many2one(
        "qms.property",
        string="Property",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    partner_id = fields.Many2one(
        related="property_id.partner_id", store=True, index=True, string="Owner"
    )
    property_kind = fields.Selection(related="property_id.kind", string="Item Kind")
    kind = fields.Selection(
        INCIDENT_KINDS, required=True, default="damaged", tracking=True, index=True
    )
    kind_label = fields.Char(compute="_compute_kind_label")
    is_personal_data = fields.Boolean(
        compute="_compute_is_personal_data",
        store=True,
        index=True,
        help="Breaches and incidents on personal data sets are visible to data "
        "protection officers only.",
    )
    detected_at = fields.Datetime(
        string="Detected on", required=True, default=fields.Datetime.now, tracking=True
    )
    description = fields.Text(
        string="What happened",
        required=True,
        tracking=True,
        help="What happened, the extent, and what we are doing about it: this "
        "text is sent to the owner.",
    )
    action_taken = fields.Text(
        string="Actions Taken", help="Containment and correction; sent to the owner."
    )
    reported_by_id = fields.Many2one(
        "res.users", string="Reported by", default=lambda self: self.env.user
    )
    state = fields.Selection(
        [
            ("to_notify", "Owner to Notify"),
            ("notified", "Owner Notified"),
            ("acknowledged", "Acknowledged"),
            ("closed", "Closed"),
        ],
        default="to_notify",
        required=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    # owner notification
    notified_at = fields.Datetime(readonly=True, copy=False, tracking=True)
    notified_by_id = fields.Many2one(
        "res.users", string="Notified by", readonly=True, copy=False
    )
    notified_how = fields.Selection(
        NOTIFY_CHANNELS,
        string="Notified via",
        copy=False,
        tracking=True,
        help="How the owner was told. Email is stamped automatically; for an "
        "owner without email choose how you told them and press Owner Notified.",
    )
    # owner acknowledgement
    acknowledged_at = fields.Datetime(readonly=True, copy=False, tracking=True)
    acknowledged_by_partner_id = fields.Many2one(
        "res.partner", string="Acknowledged by", readonly=True, copy=False
    )
    acknowledged_how = fields.Selection(
        NOTIFY_CHANNELS, string="Acknowledged via", copy=False, tracking=True
    )
    ack_comment = fields.Text(string="Owner's Comment", copy=False)
    # data breach: supervisory authority
    authority_deadline = fields.Datetime(
        compute="_compute_authority_deadline",
        store=True,
        string="Authority Notification Due",
        help="A personal data breach is reported to the supervisory authority "
        "within 72 hours of its detection.",
    )
    authority_notified_at = fields.Datetime(
        string="Authority Notified on", tracking=True, copy=False
    )
    authority_reference = fields.Char(
        string="Authority Case Reference", tracking=True, copy=False
    )
    authority_overdue = fields.Boolean(
        compute="_compute_authority_overdue", search="_search_authority_overdue"
    )
    company_id = fields.Many2one(
        related="property_id.company_id", store=True, index=True
    )
    active = fields.Boolean(default=True, tracking=True)

    # ------------------------------------------------------------------
    @api.depends("reference", "kind")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for incident in self:
            incident.display_name = (
                f"{incident.reference or ''} {labels.get(incident.kind, '')}".strip()
            )

    @api.depends("kind")
    @api.depends_context("lang")
    def _compute_kind_label(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for incident in self:
            incident.kind_label = labels.get(incident.kind, "")

    @api.depends("kind", "property_id.kind")
    def _compute_is_personal_data(self):
        for incident in self:
            incident.is_personal_data = (
                incident.kind == "breach"
                or incident.property_id.kind == "personal_data"
            )

    @api.depends("kind", "detected_at")
    def _compute_authority_deadline(self):
        for incident in self:
            incident.authority_deadline = (
                incident.detected_at + timedelta(hours=BREACH_AUTHORITY_HOURS)
                if incident.kind == "breach" and incident.detected_at
                else False
            )

    @api.depends("authority_deadline", "authority_notified_at")
    def _compute_authority_overdue(self):
        now = fields.Datetime.now()
        for incident in self:
            incident.authority_overdue = bool(
                incident.authority_deadline
                and not incident.authority_notified_at
                and incident.authority_deadline < now
            )

    def _search_authority_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue authority notices."))
        domain = [
            ("authority_deadline", "!=", False),
            ("authority_notified_at", "=", False),
            ("authority_deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", "&", *domain]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for incident in self:
            incident.access_url = f"/my/qms/property/incident/{incident.id}"
        return res

    def _qms_is_locked(self):
        self.ensure_one()
        return self.state == "closed"

    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("reference") or vals["reference"] == _("New"):
                vals["reference"] = self.env["ir.sequence"].next_by_code(
                    "qms.property.incident"
                ) or _("New")
            # the notice links to the incident's portal page
            vals.setdefault("access_token", str(uuid.uuid4()))
        incidents = super().create(vals_list)
        incidents._qms_update_property_state()
        incidents._qms_notify_owner()
        return incidents

    def _qms_update_property_state(self):
        """The item takes the state of its incident (lost, damaged, ...)."""
        per_state = {}
        for incident in self:
            state = PROPERTY_STATE_OF_KIND.get(incident.kind)
            if state and incident.property_id.state != "returned":
                per_state.setdefault(state, self.env["qms.property"])
                per_state[state] |= incident.property_id
        for state, items in per_state.items():
            items.write({"state": state})
        for incident in self:
            if incident.property_id in per_state.get(
                PROPERTY_STATE_OF_KIND.get(incident.kind), ()
            ):
                incident.property_id.message_post(
                    body=_(
                        "Incident %(ref)s recorded: %(kind)s.",
                        ref=incident.reference,
                        kind=incident.kind_label,
                    )
                )

    def _qms_notify_owner(self):
        """Tell the owner at once: email them the incident details and stamp
        when and how they were told. Owners without email get an activity for
        the reporter to tell them another way."""
        template = self.env.ref("qms_crm_property.mail_template_property_incident")
        emailed = self.browse()
        for incident in self:
            owner = incident.partner_id
            if not owner.email:
                incident.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=fields.Date.context_today(self),
                    summary=_("Tell the owner about incident %s", incident.reference),
                    note=_(
                        "%s has no email address: tell them by phone, letter or in "
                        "person, then record how in the incident.",
                        owner.display_name,
                    ),
                    user_id=(incident.reported_by_id or self.env.user).id,
                )
                continue
            incident._portal_ensure_token()
            incident.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=owner.ids,
            )
            emailed |= incident
        emailed._qms_stamp_notified("email")

    def _qms_stamp_notified(self, how):
        self.with_context(qms_correction=QMS_TRUSTED).write(
            {
                "state": "notified",
                "notified_at": fields.Datetime.now(),
                "notified_by_id": self.env.user.id,
                "notified_how": how,
            }
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_resend_notice(self):
        for incident in self:
            if not incident.partner_id.email:
                raise UserError(
                    _(
                        "%s has no email address: add one or record how you told "
                        "the owner.",
                        incident.partner_id.display_name,
                    )
                )
            if incident.state == "closed":
                raise UserError(_("%s is closed.", incident.display_name))
        self._qms_notify_owner()
        return True

    def action_mark_notified(self):
        """The owner was told another way (phone, letter, meeting)."""
        for incident in self:
            if incident.state != "to_notify":
                raise UserError(
                    _("The owner of %s has already been notified.", incident.reference)
                )
            if not incident.notified_how:
                raise UserError(
                    _(
                        "Choose how the owner was told (Notified via) for %s.",
                        incident.reference,
                    )
                )
            incident._qms_stamp_notified(incident.notified_how)
            incident.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
                )
            ).action_feedback(feedback=_("Owner notified."))
        return True

    def action_record_acknowledgement(self):
        """The owner acknowledged by phone, letter or in a meeting."""
        for incident in self:
            if not incident.acknowledged_how:
                raise UserError(
                    _(
                        "Choose how the owner acknowledged %s (Acknowledged via).",
                        incident.reference,
                    )
                )
            incident._qms_acknowledge(incident.partner_id, incident.acknowledged_how)
        return True

    def _qms_acknowledge(self, partner, how, comment=None):
        """Stamp the owner's acknowledgement (from the portal or recorded)."""
        for incident in self:
            if incident.state not in ("notified", "to_notify"):
                raise UserError(
                    _("%s has already been acknowledged.", incident.reference)
                )
            vals = {
                "state": "acknowledged",
                "acknowledged_at": fields.Datetime.now(),
                "acknowledged_by_partner_id": partner.id,
                "acknowledged_how": how,
            }
            if comment:
                vals["ack_comment"] = comment
            incident.with_context(qms_correction=QMS_TRUSTED).write(vals)
            incident.message_post(
                body=_(
                    "%(owner)s acknowledged the incident notice.",
                    owner=partner.display_name,
                ),
                author_id=partner.id if how == "portal" else None,
            )
        return True

    def action_mark_authority_notified(self):
        for incident in self:
            if incident.kind != "breach":
                raise UserError(
                    _(
                        "Only data breaches are reported to the supervisory "
                        "authority (%s).",
                        incident.reference,
                    )
                )
            if not incident.authority_reference:
                raise UserError(
                    _(
                        "Enter the authority's case reference for %s first.",
                        incident.reference,
                    )
                )
        self.write({"authority_notified_at": fields.Datetime.now()})
        return True

    def action_close(self):
        for incident in self:
            if incident.state == "to_notify":
                raise UserError(
                    _(
                        "%s cannot be closed before the owner is notified.",
                        incident.reference,
                    )
                )
            if incident.kind == "breach" and not incident.authority_notified_at:
                raise UserError(
                    _(
                        "%s is a data breach: record the notification of the "
                        "supervisory authority before closing it.",
                        incident.reference,
                    )
                )
        self.write({"state": "closed"})
        return True
