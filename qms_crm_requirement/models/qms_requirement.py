# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import (
    QMS_TRUSTED,
    QmsEvidenceMixin,
    qms_customer_act_actor,
    qms_lock,
    qms_trusted,
)

CATEGORIES = [
    ("stated", "a) Stated by the customer"),
    ("implied", "b) Not stated but necessary"),
    ("organisation", "c) Specified by our organisation"),
    ("statutory", "d) Statutory / regulatory"),
    ("differing", "e) Differing from previously expressed"),
]
CATEGORY_CLAUSES = {
    "stated": "8.2.3.1 a)",
    "implied": "8.2.3.1 b)",
    "organisation": "8.2.3.1 c)",
    "statutory": "8.2.3.1 d)",
    "differing": "8.2.3.1 e)",
}
SOURCES = [
    ("contract", "Contract / TOR document"),
    ("call", "Phone call"),
    ("meeting", "Meeting"),
    ("email", "Email"),
    ("survey", "Survey"),
    ("focus_group", "Focus group"),
    ("internal", "Internal"),
]
# fields whose change on an accepted requirement is a new version (8.2.4)
CONTENT_FIELDS = ("name", "description", "category", "regulation_ref", "product_ids")
DEFAULT_CONFIRMATION_DAYS = 30


class QmsRequirement(models.Model):
    _name = "qms.requirement"
    _description = "Customer Requirement"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "qms.evidence.mixin",
    ]
    _order = "partner_id, category, id desc"
    _rec_names_search = ["reference", "name"]
    _qms_default_clauses = ("8.2.3.1", "5.1.2 a)")
    # decided by a review, confirmed by the customer, versioned by a change
    _qms_action_fields = frozenset(
        {
            "state",
            "confirmation_state",
            "confirmation_deadline",
            "confirmation_sent_date",
            "version",
            "superseded_by_id",
        }
    )
    _qms_unlocked_fields = (
        frozenset(
            {
                "order_id",
                "lead_id",
                "sale_line_ids",
                "user_id",
                "attachment_ids",
                "confirmation_state",
                "confirmation_deadline",
                "confirmation_sent_date",
            }
        )
        | QmsEvidenceMixin._qms_unlocked_fields
    )

    reference = fields.Char(
        readonly=True, copy=False, default=lambda self: _("New"), index="trigram"
    )
    name = fields.Char(string="Requirement", required=True, tracking=True)
    description = fields.Text(
        string="Requirement Text",
        required=True,
        tracking=True,
        help="The exact wording agreed with the customer.",
    )
    category = fields.Selection(
        CATEGORIES,
        required=True,
        default="stated",
        tracking=True,
        help="Category per ISO 9001:2015 clause 8.2.3.1 a) to e).",
    )
    regulation_ref = fields.Char(
        string="Law / Regulation",
        tracking=True,
        help="Reference of the statute or regulation (required for category d).",
    )
    source = fields.Selection(SOURCES, required=True, default="email", tracking=True)
    documented = fields.Boolean(
        string="Given in Documented Form",
        default=False,
        tracking=True,
        help="The customer gave this requirement in a document (contract, TOR, "
        "signed email). When not, the customer must confirm it before it is "
        "accepted (8.2.3.2).",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Source Documents", copy=False
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('is_company', '=', True)]",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        tracking=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Quotation / Order",
        index="btree_not_null",
        tracking=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
    )
    sale_line_ids = fields.Many2many(
        "sale.order.line",
        string="Order Lines",
        domain="[('order_id', '=', order_id)]",
    )
    product_ids = fields.Many2many("product.product", string="Products")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    team_id = fields.Many2one(
        "crm.team", compute="_compute_team_id", store=True, string="Sales Team"
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    active = fields.Boolean(default=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "In Review"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("superseded", "Superseded"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    version = fields.Integer(default=1, readonly=True, copy=False, tracking=True)
    version_ids = fields.One2many(
        "qms.requirement.version", "requirement_id", string="Versions", readonly=True
    )
    version_count = fields.Integer(compute="_compute_version_count")
    superseded_by_id = fields.Many2one(
        "qms.requirement", string="Superseded by", readonly=True, copy=False
    )
    ack_ids = fields.One2many(
        "qms.requirement.ack", "requirement_id", string="Acknowledgements"
    )
    unack_count = fields.Integer(
        compute="_compute_unack_count",
        compute_sudo=True,
        string="Unacknowledged Changes",
        help="People who have not yet acknowledged the latest changes.",
    )
    confirmation_state = fields.Selection(
        [
            ("not_needed", "Not needed"),
            ("to_send", "To send"),
            ("pending", "Awaiting customer"),
            ("confirmed", "Confirmed"),
            ("commented", "Commented"),
        ],
        compute="_compute_confirmation_state",
        store=True,
        readonly=False,
        tracking=True,
        copy=False,
    )
    confirmation_deadline = fields.Datetime(
        string="Confirmation Link Valid Until", readonly=True, copy=False
    )
    confirmation_sent_date = fields.Datetime(readonly=True, copy=False)
    confirmation_ids = fields.One2many(
        "qms.requirement.confirmation", "requirement_id", string="Confirmations"
    )
    text_hash = fields.Char(compute="_compute_text_hash")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("reference", "name")
    def _compute_display_name(self):
        for req in self:
            ref = req.reference if req.reference and req.reference != _("New") else ""
            req.display_name = f"[{ref}] {req.name}" if ref else (req.name or "")

    @api.depends("order_id.team_id", "lead_id.team_id")
    def _compute_team_id(self):
        for req in self:
            req.team_id = req.order_id.team_id or req.lead_id.team_id

    def _compute_version_count(self):
        for req in self:
            req.version_count = len(req.version_ids)

    @api.depends("ack_ids.state")
    def _compute_unack_count(self):
        for req in self:
            req.unack_count = len(req.ack_ids.filtered(lambda a: a.state == "pending"))

    @api.depends("documented")
    def _compute_confirmation_state(self):
        for req in self:
            if req.documented:
                if req.confirmation_state in (False, "to_send"):
                    req.confirmation_state = "not_needed"
            elif req.confirmation_state in (False, "not_needed"):
                req.confirmation_state = "to_send"

    @api.depends("name", "description", "category", "regulation_ref", "version")
    def _compute_text_hash(self):
        for req in self:
            req.text_hash = hashlib.sha256(
                req._confirmation_text().encode("utf-8")
            ).hexdigest()

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for req in self:
            req.access_url = f"/my/qms/requirements/{req.id}"
        return res

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("category", "regulation_ref")
    def _check_regulation_ref(self):
        for req in self:
            if req.category == "statutory" and not (req.regulation_ref or "").strip():
                raise ValidationError(
                    _(
                        "Requirement '%(name)s' is statutory/regulatory (8.2.3.1 d): "
                        "enter the law or regulation it comes from.",
                        name=req.name,
                    )
                )

    @api.constrains("name", "description")
    def _check_text(self):
        for req in self:
            if not (req.name or "").strip() or not (req.description or "").strip():
                raise ValidationError(
                    _("A requirement needs a title and a non-empty text.")
                )

    @api.constrains("partner_id", "lead_id", "order_id", "sale_line_ids")
    def _check_links(self):
        for req in self:
            customer = req.partner_id.commercial_partner_id
            if (
                req.order_id
                and req.order_id.partner_id.commercial_partner_id != customer
            ):
                raise ValidationError(
                    _(
                        "Order %(order)s belongs to %(other)s, not to %(customer)s.",
                        order=req.order_id.name,
                        other=req.order_id.partner_id.commercial_partner_id.display_name,
                        customer=customer.display_name,
                    )
                )
            if (
                req.lead_id
                and req.lead_id.partner_id
                and req.lead_id.partner_id.commercial_partner_id != customer
            ):
                raise ValidationError(
                    _(
                        "Opportunity %(lead)s belongs to another customer than "
                        "%(customer)s.",
                        lead=req.lead_id.name,
                        customer=customer.display_name,
                    )
                )
            if req.sale_line_ids and req.sale_line_ids.order_id != req.order_id:
                raise ValidationError(
                    _("Order lines of a requirement must belong to its order.")
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("reference", _("New")) == _("New"):
                vals["reference"] = self.env["ir.sequence"].next_by_code(
                    "qms.requirement"
                ) or _("New")
            if vals.get("order_id") and not vals.get("lead_id"):
                order = self.env["sale.order"].browse(vals["order_id"])
                if order.opportunity_id:
                    vals["lead_id"] = order.opportunity_id.id
        records = super().create(vals_list)
        records._qms_tag_category_clause()
        return records

    def write(self, vals):
        content = set(vals) & set(CONTENT_FIELDS)
        if content and not qms_trusted(self.env, "qms_requirement_change"):
            changed = self.filtered(lambda r: r.version_ids)
            if changed:
                raise UserError(
                    _(
                        "%(reqs)s was already accepted: change it with 'Change "
                        "Requirement' so that a new version is recorded with its "
                        "reason and the people concerned are told (8.2.4).",
                        reqs=", ".join(changed.mapped("display_name")),
                    )
                )
        self._qms_check_documented(vals)
        if content:
            # a customer may be confirming this text right now
            qms_lock(self)
        res = super().write(vals)
        if "category" in vals:
            self._qms_tag_category_clause()
        return res

    def _qms_check_documented(self, vals):
        """Once the customer was asked to confirm, declaring the requirement
        'given in documented form' would skip their answer (8.2.3.2)."""
        if "documented" not in vals or self.env.su:
            return
        if qms_trusted(self.env, "qms_correction"):
            return
        asked = self.filtered(
            lambda r: (
                r.confirmation_state in ("pending", "confirmed", "commented")
                and r.documented != bool(vals["documented"])
            )
        )
        if asked:
            raise UserError(
                _(
                    "%s was sent to the customer for confirmation: whether it was "
                    "given in documented form can no longer change.",
                    ", ".join(asked.mapped("display_name")),
                )
            )

    def _qms_tag_category_clause(self):
        codes = {CATEGORY_CLAUSES[c] for c in self.mapped("category") if c}
        clauses = self.env["qms.clause"].search([("code", "in", list(codes))])
        by_code = {c.code: c for c in clauses}
        for req in self:
            clause = by_code.get(CATEGORY_CLAUSES.get(req.category))
            if clause and clause not in req.qms_clause_ids:
                req.with_context(qms_correction=QMS_TRUSTED).qms_clause_ids = [
                    (4, clause.id)
                ]

    def _qms_is_locked(self):
        self.ensure_one()
        return self.state in ("accepted", "rejected", "superseded")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _confirmation_text(self):
        """The exact text a customer confirms (and that is stored with it)."""
        self.ensure_one()
        category = dict(self._fields["category"]._description_selection(self.env)).get(
            self.category, ""
        )
        parts = [
            f"{self.reference or ''} v{self.version}: {self.name or ''}",
            category,
            self.description or "",
        ]
        if self.regulation_ref:
            parts.append(_("Regulation: %s", self.regulation_ref))
        return "\n".join(parts)

    def _snapshot_vals(self):
        self.ensure_one()
        return {
            "requirement_id": self.id,
            "number": self.version,
            "name": self.name,
            "description": self.description,
            "category": self.category,
            "regulation_ref": self.regulation_ref,
        }

    def _qms_mark_accepted(self):
        """Accept requirements (called by an approved review)."""
        to_accept = self.filtered(lambda r: r.state in ("draft", "review"))
        to_accept.with_context(qms_correction=QMS_TRUSTED).write({"state": "accepted"})
        Version = self.env["qms.requirement.version"].sudo()
        for req in to_accept.filtered(lambda r: not r.version_ids):
            Version.create(
                dict(req._snapshot_vals(), change_reason=_("First accepted"))
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        for req in self:
            if req.state != "draft":
                raise UserError(
                    _("Only draft requirements can be submitted for review.")
                )
        self._qms_action_write({"state": "review"})

    def action_reset_draft(self):
        for req in self:
            if req.state != "rejected" or req.version_ids:
                raise UserError(
                    _(
                        "Only rejected requirements that were never accepted can be "
                        "reopened; change accepted ones with 'Change Requirement'."
                    )
                )
        self.with_context(qms_correction=QMS_TRUSTED).write({"state": "draft"})

    def action_supersede(self):
        if not self.env.user.has_group(
            "qms_crm_evidence.group_qms_user"
        ) and not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise UserError(_("You are not allowed to supersede requirements."))
        for req in self:
            if req.state == "superseded":
                raise UserError(_("%s is already superseded.", req.display_name))
        self.with_context(qms_correction=QMS_TRUSTED).write({"state": "superseded"})

    def action_change(self):
        self.ensure_one()
        if self.state != "accepted":
            raise UserError(
                _(
                    "Only accepted requirements are changed through a new version; "
                    "edit %(req)s directly while it is %(state)s.",
                    req=self.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ],
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Requirement"),
            "res_model": "qms.requirement.change",
            "view_mode": "form",
            "target": "new",
            "context": {"default_requirement_id": self.id},
        }

    def action_record_confirmation_behalf(self):
        """Open the form recording an answer the customer gave by phone,
        email, letter or in a meeting (qms.requirement.confirm.behalf)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Customer Confirmation"),
            "res_model": "qms.requirement.confirm.behalf",
            "view_mode": "form",
            "target": "new",
            "context": {"default_requirement_id": self.id},
        }

    def action_send_confirmation(self):
        """Email the customer a portal link to confirm the requirement (8.2.3.2)."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.confirmation_days", DEFAULT_CONFIRMATION_DAYS)
            or DEFAULT_CONFIRMATION_DAYS
        )
        template = self.env.ref(
            "qms_crm_requirement.mail_template_requirement_confirmation"
        )
        for req in self:
            if req.state in ("rejected", "superseded"):
                raise UserError(
                    _("%s is no longer valid; nothing to confirm.", req.display_name)
                )
            if not req.partner_id.email:
                raise UserError(
                    _(
                        "%(customer)s has no email address: add one before sending "
                        "%(req)s for confirmation.",
                        customer=req.partner_id.display_name,
                        req=req.display_name,
                    )
                )
            # a new link for every sending: earlier links stop working
            req.sudo().access_token = False
            req._portal_ensure_token()
            req.with_context(qms_correction=QMS_TRUSTED).write(
                {
                    "confirmation_state": "pending",
                    "confirmation_sent_date": fields.Datetime.now(),
                    "confirmation_deadline": fields.Datetime.now()
                    + timedelta(days=days),
                }
            )
            req.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=req.partner_id.ids,
            )
        return True

    def _qms_confirmation_expired(self):
        self.ensure_one()
        return bool(
            self.confirmation_deadline
            and self.confirmation_deadline < fields.Datetime.now()
        )

    def _qms_portal_confirm(
        self, decision, comment, text_hash, ip=None, access_token=None
    ):
        """The customer answers on the portal: accepted from a portal user of
        the customer or the holder of the emailed link only, never from a
        staff session (AccessError)."""
        self.ensure_one()
        actor = qms_customer_act_actor(self, self.sudo().partner_id, access_token)
        return self.sudo()._qms_record_confirmation(
            decision,
            comment,
            text_hash,
            ip=ip,
            user=actor["user"] or self.env.user,
            via=actor["via"],
        )

    def _qms_record_confirmation(
        self,
        decision,
        comment,
        text_hash,
        ip=None,
        user=None,
        via=None,
        recorded_by=None,
    ):
        """Store the customer's answer: from the portal (called with sudo by
        _qms_portal_confirm after the token was checked) or, with
        ``recorded_by``, given by phone, email, letter or in a meeting and
        recorded on the customer's behalf (see
        qms.requirement.confirm.behalf)."""
        self.ensure_one()
        # before any _(): Odoo's _() reads the language of a local "user"
        user = user or self.env.user
        qms_lock(self)
        if decision not in ("confirmed", "commented"):
            raise ValidationError(_("Unknown answer."))
        if not isinstance(comment, (str, type(None))) or "\x00" in (comment or ""):
            raise ValidationError(
                _("Your comment contains characters we cannot store.")
            )
        comment = (comment or "").strip()
        if decision == "commented" and not comment:
            raise ValidationError(_("Please write your comment."))
        if len(comment) > 10000:
            raise ValidationError(
                _("Your comment is too long (10 000 characters at most).")
            )
        if recorded_by:
            # the customer may answer before the link is sent or after it
            # expired: the recorder states how the answer came
            if self.confirmation_state not in ("to_send", "pending", "commented"):
                raise ValidationError(
                    _(
                        "%s is not awaiting the customer's confirmation.",
                        self.display_name,
                    )
                )
        elif self.confirmation_state != "pending":
            raise ValidationError(
                _("This requirement is not awaiting your confirmation.")
            )
        elif self._qms_confirmation_expired():
            raise ValidationError(_("This confirmation link has expired."))
        if text_hash != self.text_hash:
            raise ValidationError(
                _("The requirement changed while you were reading it; please reload.")
            )
        confirmation = (
            self.env["qms.requirement.confirmation"]
            .sudo()
            .create(
                {
                    "requirement_id": self.id,
                    "version": self.version,
                    "text_confirmed": self._confirmation_text(),
                    "decision": decision,
                    "comment": comment,
                    "portal_user_id": (
                        user.id if not recorded_by and not user._is_public() else False
                    ),
                    "ip_address": ip,
                    "answered_via": via,
                    "recorded_by_id": recorded_by.id if recorded_by else False,
                }
            )
        )
        self.with_context(qms_correction=QMS_TRUSTED).write(
            {"confirmation_state": decision}
        )
        body = (
            _("The customer confirmed this requirement (version %s).", self.version)
            if decision == "confirmed"
            else _(
                "The customer commented on this requirement (version %s).", self.version
            )
        )
        if recorded_by:
            # the recorder is the author: the customer did not write it here
            channel = dict(
                confirmation._fields["answered_via"]._description_selection(self.env)
            )[via]
            body = _(
                "%(answer)s Recorded on the customer's behalf by %(user)s, "
                "answer received through: %(channel)s.",
                answer=body,
                user=recorded_by.name,
                channel=channel,
            )
            self.message_post(body=body, author_id=recorded_by.partner_id.id)
        else:
            self.message_post(body=body, author_id=self.partner_id.id)
        if decision == "commented":
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Customer commented on %s", self.display_name),
                # the customer typed plain text: escape it, never render it
                note=plaintext2html(comment),
                user_id=self.user_id.id or self.env.uid,
            )
        return confirmation

    def action_view_versions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Versions of %s", self.display_name),
            "res_model": "qms.requirement.version",
            "view_mode": "list,form",
            "domain": [("requirement_id", "=", self.id)],
        }
