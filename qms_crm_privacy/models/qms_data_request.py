# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

REQUEST_KINDS = [
    ("access", "Access / Export"),
    ("rectification", "Rectification"),
    ("erasure", "Erasure"),
    ("restriction", "Restriction"),
    ("objection", "Objection"),
]
OPEN_STATES = ("received", "in_progress")
# GDPR art. 12(3): answer within one month, extendable once by two months
DEFAULT_RESPONSE_MONTHS = 1
DEFAULT_EXTENSION_MONTHS = 2


class QmsDataRequest(models.Model):
    """A request of a data subject about their personal data: access and
    export, rectification, erasure, restriction, objection."""

    _name = "qms.data.request"
    _description = "Data Subject Request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "qms.evidence.mixin",
        "qms.read.logged.mixin",
    ]
    # steps stamped by their buttons only: a request is closed as done only
    # through the export, the erasure or the response (action_done)
    _qms_action_fields = frozenset(
        {
            "state",
            "closed_date",
            "identity_verified_by_id",
            "identity_verified_at",
            "extended",
            "overdue_notified_at",
            "export_attachment_id",
            "exported_at",
            "exported_by_id",
            "erased_at",
            "erased_by_id",
            "erasure_log",
        }
    )
    _order = "due_date, id desc"
    _rec_names_search = ["reference", "partner_id"]
    _qms_personal_data = True
    _qms_default_clauses = ("8.5.3",)

    reference = fields.Char(
        readonly=True, copy=False, default=lambda self: _("New"), index="trigram"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Data Subject",
        required=True,
        index=True,
        tracking=True,
        help="The person (or company with its contacts) the request is about.",
    )
    kind = fields.Selection(REQUEST_KINDS, required=True, tracking=True, index=True)
    description = fields.Text(string="Request")
    received_date = fields.Date(
        default=fields.Date.context_today, required=True, tracking=True
    )
    channel = fields.Selection(
        [
            ("email", "Email"),
            ("letter", "Letter"),
            ("portal", "Portal"),
            ("phone", "Phone"),
            ("in_person", "In Person"),
        ],
        string="Received via",
        default="email",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("qms_crm_evidence.group_qms_dpo").ids)
        ],
    )
    identity_method = fields.Char(
        string="Identity Checked by",
        tracking=True,
        help="How the identity of the requester was verified (e.g. ID card seen, "
        "reply from the registered email address).",
    )
    identity_verified_by_id = fields.Many2one(
        "res.users", string="Identity Verified by", readonly=True, copy=False
    )
    identity_verified_at = fields.Datetime(readonly=True, copy=False)
    due_date = fields.Date(
        compute="_compute_due_date", store=True, tracking=True, index=True
    )
    extended = fields.Boolean(readonly=True, copy=False, tracking=True)
    extension_reason = fields.Text(copy=False, tracking=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("refused", "Refused"),
        ],
        default="received",
        required=True,
        tracking=True,
        index=True,
        group_expand=True,
    )
    overdue = fields.Boolean(compute="_compute_overdue", search="_search_overdue")
    overdue_notified_at = fields.Datetime(readonly=True, copy=False)
    response_note = fields.Text(
        string="Response", help="What we did or why we refused, as told to the person."
    )
    closed_date = fields.Date(readonly=True, copy=False)
    # export
    export_attachment_id = fields.Many2one(
        "ir.attachment", string="Export File", readonly=True, copy=False
    )
    exported_at = fields.Datetime(readonly=True, copy=False)
    exported_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    # erasure
    legal_hold_text = fields.Text(
        string="Legal Holds",
        compute="_compute_legal_hold_text",
        help="Reasons we must keep the data for now; erasure is refused while "
        "any applies.",
    )
    erased_at = fields.Datetime(readonly=True, copy=False)
    erased_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    erasure_log = fields.Text(readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    active = fields.Boolean(default=True, tracking=True)

    # ------------------------------------------------------------------
    @api.depends("reference", "partner_id")
    def _compute_display_name(self):
        for req in self:
            req.display_name = (
                f"{req.reference or ''} {req.partner_id.display_name or ''}".strip()
            )

    @api.model
    def _qms_months(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key, default)
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return default

    @api.depends("received_date", "extended")
    def _compute_due_date(self):
        months = self._qms_months(
            "qms_crm.dsr_response_months", DEFAULT_RESPONSE_MONTHS
        )
        extension = self._qms_months(
            "qms_crm.dsr_extension_months", DEFAULT_EXTENSION_MONTHS
        )
        for req in self:
            if not req.received_date:
                req.due_date = False
                continue
            total = months + (extension if req.extended else 0)
            req.due_date = req.received_date + relativedelta(months=total)

    @api.depends("due_date", "state")
    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for req in self:
            req.overdue = bool(
                req.state in OPEN_STATES and req.due_date and req.due_date < today
            )

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on overdue requests."))
        domain = [
            ("state", "in", OPEN_STATES),
            ("due_date", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.depends("partner_id", "kind", "state")
    def _compute_legal_hold_text(self):
        for req in self:
            holds = []
            if req.kind == "erasure" and req.state in OPEN_STATES and req.partner_id:
                holds = req.partner_id.sudo()._qms_erasure_holds()
            req.legal_hold_text = "\n".join(f"• {hold}" for hold in holds) or False

    def _qms_is_locked(self):
        self.ensure_one()
        return self.state in ("done", "refused")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("reference") or vals["reference"] == _("New"):
                vals["reference"] = self.env["ir.sequence"].next_by_code(
                    "qms.data.request"
                ) or _("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def _qms_check_open(self):
        for req in self:
            if req.state not in OPEN_STATES:
                raise UserError(_("%s is already closed.", req.display_name))

    def _qms_check_verified(self):
        for req in self:
            if not req.identity_verified_at:
                raise UserError(
                    _(
                        "Verify the identity of the requester of %s first.",
                        req.display_name,
                    )
                )

    def action_verify_identity(self):
        self._qms_check_open()
        for req in self:
            if not req.identity_method:
                raise UserError(
                    _(
                        "Describe how the identity was checked (Identity Checked by) "
                        "for %s.",
                        req.display_name,
                    )
                )
        self._qms_action_write(
            {
                "state": "in_progress",
                "identity_verified_by_id": self.env.user.id,
                "identity_verified_at": fields.Datetime.now(),
            }
        )
        return True

    def action_extend(self):
        """Extend the deadline once, with a reason told to the person."""
        self._qms_check_open()
        for req in self:
            if req.extended:
                raise UserError(
                    _(
                        "The deadline of %s has already been extended once.",
                        req.reference,
                    )
                )
            if not (req.extension_reason or "").strip():
                raise UserError(
                    _(
                        "Give the reason for extending %s (Extension Reason).",
                        req.reference,
                    )
                )
        self._qms_action_write({"extended": True, "overdue_notified_at": False})
        return True

    def _qms_close(self, state):
        self._qms_action_write(
            {"state": state, "closed_date": fields.Date.context_today(self)}
        )
        self.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref(
                    "qms_crm_privacy.mail_activity_type_data_request_overdue"
                )
            )
        ).action_feedback(feedback=_("Request closed."))

    def action_done(self):
        self._qms_check_open()
        self._qms_check_verified()
        for req in self:
            if req.kind == "erasure" and not req.erased_at:
                raise UserError(
                    _("%s asks for erasure: use Erase Personal Data.", req.reference)
                )
            if req.kind == "access" and not req.exported_at:
                raise UserError(
                    _("%s asks for access: build the export first.", req.reference)
                )
            if req.kind not in ("erasure", "access") and not req.response_note:
                raise UserError(
                    _("Write the response to %s before closing it.", req.reference)
                )
        self._qms_close("done")
        return True

    def action_refuse(self):
        self._qms_check_open()
        for req in self:
            if not (req.response_note or "").strip():
                raise UserError(
                    _("Write why %s is refused (Response) first.", req.reference)
                )
        self._qms_close("refused")
        return True

    # ------------------------------------------------------------------
    # Export (access and portability)
    # ------------------------------------------------------------------
    def action_export(self):
        """Build a ZIP of everything we hold about the person; log it."""
        self.ensure_one()
        self._qms_check_open()
        self._qms_check_verified()
        partner = self.partner_id.sudo()
        content, counts = partner._qms_personal_data_export_zip()
        filename = f"{(self.reference or 'export').replace('/', '-')}-personal-data.zip"
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename,
                    "datas": base64.b64encode(content),
                    "mimetype": "application/zip",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        now = fields.Datetime.now()
        self._qms_action_write(
            {
                "export_attachment_id": attachment.id,
                "exported_at": now,
                "exported_by_id": self.env.user.id,
            }
        )
        summary = ", ".join(f"{key}: {count}" for key, count in counts.items())
        self.message_post(
            body=_(
                "Personal data export built by %(user)s: %(summary)s.",
                user=self.env.user.name,
                summary=summary,
            ),
            attachment_ids=attachment.ids,
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Erasure
    # ------------------------------------------------------------------
    def action_erase(self):
        """Anonymise the person's data in place, unless a legal hold applies."""
        self.ensure_one()
        self._qms_check_open()
        self._qms_check_verified()
        if self.kind != "erasure":
            raise UserError(_("%s is not an erasure request.", self.reference))
        partner = self.partner_id.sudo()
        holds = partner._qms_erasure_holds()
        if holds:
            raise UserError(
                _(
                    "The personal data of %(partner)s cannot be erased now, because "
                    "we must keep it for:\n%(holds)s\nRefuse the request with these "
                    "reasons, or resolve them first.",
                    partner=partner.display_name,
                    holds="\n".join(f"• {hold}" for hold in holds),
                )
            )
        log = partner._qms_anonymise_personal_data()
        text = "\n".join(log)
        self._qms_action_write(
            {
                "erased_at": fields.Datetime.now(),
                "erased_by_id": self.env.user.id,
                "erasure_log": text,
            }
        )
        self.message_post(
            body=_(
                "Personal data of %(partner)s erased by %(user)s:\n%(log)s",
                partner=partner.display_name,
                user=self.env.user.name,
                log=text,
            )
        )
        self._qms_close("done")
        return True

    def action_refuse_for_legal_hold(self):
        """Refuse an erasure because of the legal holds; they are the reason."""
        self.ensure_one()
        self._qms_check_open()
        holds = self.partner_id.sudo()._qms_erasure_holds()
        if not holds:
            raise UserError(
                _(
                    "No legal hold applies to %s: the data can be erased.",
                    self.partner_id.display_name,
                )
            )
        self.response_note = _(
            "We must keep your personal data for now because of:\n%s",
            "\n".join(f"• {hold}" for hold in holds),
        )
        self._qms_close("refused")
        return True

    # ------------------------------------------------------------------
    # Read log (OCA auditlog)
    # ------------------------------------------------------------------
    @api.model
    def _qms_confirm_read_log(self):
        """Switch on our auditlog rules that are still drafts (at install and
        update; a rule an administrator set back to draft stays so only
        until the next update of the addon)."""
        rules = (
            self.env["auditlog.rule"]
            .sudo()
            .browse(
                [
                    self.env.ref(f"qms_crm_privacy.{xmlid}").id
                    for xmlid in (
                        "auditlog_rule_res_partner",
                        "auditlog_rule_qms_data_request",
                    )
                ]
            )
        )
        rules.filtered(lambda rule: rule.state == "draft").set_to_confirmed()

    # ------------------------------------------------------------------
    # Overdue requests
    # ------------------------------------------------------------------
    @api.model
    def _cron_notify_overdue(self, batch_size=500):
        """Once per overdue request: an activity for its responsible data
        protection officer, or for every officer when it has none."""
        dpo_group = self.env.ref("qms_crm_evidence.group_qms_dpo")
        officers = dpo_group.sudo().all_user_ids.filtered(
            lambda u: u.active and not u.share
        )
        domain = [("overdue", "=", True), ("overdue_notified_at", "=", False)]
        todo = self.search(domain, limit=batch_size)
        today = fields.Date.context_today(self)
        activity_vals = []
        activity_type = self.env.ref(
            "qms_crm_privacy.mail_activity_type_data_request_overdue"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        for req in todo:
            users = req.user_id if req.user_id in officers else officers
            for user in users:
                activity_vals.append(
                    {
                        "res_model_id": model_id,
                        "res_id": req.id,
                        "activity_type_id": activity_type.id,
                        "date_deadline": today,
                        "summary": _("Overdue: %s", req.display_name),
                        "user_id": user.id,
                    }
                )
        # one batch; no email per activity (the officers see them in their
        # activities), so the cost does not grow with the overdue requests
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            activity_vals
        )
        todo._qms_action_write({"overdue_notified_at": fields.Datetime.now()})
        if self.env.context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._commit_progress(
                len(todo), remaining=self.search_count(domain)
            )
        return len(todo)
