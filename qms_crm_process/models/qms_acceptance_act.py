# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Why this file is long: one model (the acceptance act), whose every part
# serves the one customer act: its result, the guard of the customer's
# decision on every write path, the portal and tablet signatures and the
# complaint opened when something was not met.
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import (
    QMS_TRUSTED,
    qms_trusted,
)

# context key that lets the act's own action methods write the customer's
# decision; only server code can set it to QMS_TRUSTED
ACT_KEY = "qms_acceptance_act"
# fields of the customer's act: written only by the action methods
CUSTOMER_FIELDS = frozenset(
    {
        "state",
        "signature",
        "signed_by",
        "signed_on",
        "signer_partner_id",
        "portal_user_id",
        "ip_address",
        "sign_channel",
        "recorded_by_id",
        "customer_comment",
        "complaint_id",
        "sent_on",
    }
)
RESULTS = [
    ("accepted", "Accepted"),
    ("deviation", "Accepted with Deviations"),
    ("rejected", "Not Accepted"),
]


class QmsAcceptanceAct(models.Model):
    """The customer's acceptance of an installation or service visit (ISO
    9001 5.1.2 a, 8.2.3, 8.6): each requirement of the order met, met with a
    deviation or not met, signed by the customer in the portal (or on the
    installer's tablet). Something not met, or a refusal, opens a
    complaint."""

    _name = "qms.acceptance.act"
    _description = "Acceptance Act"
    _inherit = [
        "qms.evidence.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _qms_default_clauses = ("5.1.2 a)", "8.2.3", "8.6")

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default=lambda self: _("New")
    )
    installation_id = fields.Many2one(
        "qms.installation",
        string="Visit",
        required=True,
        ondelete="restrict",
        index=True,
    )
    sale_order_id = fields.Many2one(
        related="installation_id.sale_order_id", store=True, string="Order"
    )
    partner_id = fields.Many2one(
        related="installation_id.partner_id", store=True, string="Customer", index=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    company_id = fields.Many2one(related="installation_id.company_id", store=True)
    line_ids = fields.One2many(
        "qms.acceptance.act.line", "act_id", string="Requirements", copy=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Awaiting Signature"),
            ("signed", "Signed"),
            ("refused", "Refused"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    result = fields.Selection(
        RESULTS, compute="_compute_result", store=True, tracking=True
    )
    sent_on = fields.Datetime(readonly=True, copy=False)
    signature = fields.Binary(readonly=True, copy=False, attachment=True)
    signed_by = fields.Char(readonly=True, copy=False)
    signed_on = fields.Datetime(readonly=True, copy=False)
    signer_partner_id = fields.Many2one(
        "res.partner", string="Signed as", readonly=True, copy=False
    )
    portal_user_id = fields.Many2one(
        "res.users", string="Portal User", readonly=True, copy=False
    )
    ip_address = fields.Char(string="IP Address", readonly=True, copy=False)
    sign_channel = fields.Selection(
        [("portal", "Customer Portal"), ("tablet", "On the Installer's Tablet")],
        string="Signed Through",
        readonly=True,
        copy=False,
    )
    recorded_by_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        readonly=True,
        copy=False,
        help="The employee whose tablet the customer signed on.",
    )
    customer_comment = fields.Text(readonly=True, copy=False)
    complaint_id = fields.Many2one(
        "helpdesk.ticket", string="Complaint", readonly=True, copy=False
    )

    @api.depends("line_ids.result")
    def _compute_result(self):
        for act in self:
            results = set(act.line_ids.mapped("result"))
            if not results:
                act.result = False
            elif "not_met" in results:
                act.result = "rejected"
            elif "deviation" in results:
                act.result = "deviation"
            else:
                act.result = "accepted"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for act in self:
            act.access_url = f"/my/qms/acceptance/{act.id}"
        return res

    # ------------------------------------------------------------------
    # Guard: the customer's act changes only through the action methods
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not qms_trusted(self.env, ACT_KEY):
            for vals in vals_list:
                guarded = (set(vals) & CUSTOMER_FIELDS) - {"state"}
                if guarded or vals.get("state", "draft") != "draft":
                    raise UserError(
                        _("An acceptance act starts as a draft; the customer signs it.")
                    )
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "qms.acceptance.act"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & CUSTOMER_FIELDS and not qms_trusted(self.env, ACT_KEY):
            raise UserError(
                _(
                    "The acceptance and signature of %s are the customer's act: "
                    "they change only through its buttons (Send for Signature, the "
                    "customer's signature).",
                    ", ".join(self.mapped("name")),
                )
            )
        if (
            "line_ids" in vals
            and not qms_trusted(self.env, ACT_KEY)
            and any(act.state != "draft" for act in self)
        ):
            raise UserError(_("The lines of a sent acceptance act cannot change."))
        return super().write(vals)

    def _qms_is_locked(self):
        self.ensure_one()
        return self.state in ("signed", "refused")

    def _qms_write_act(self, vals):
        return self.with_context(**{ACT_KEY: QMS_TRUSTED}).sudo().write(vals)

    # ------------------------------------------------------------------
    # Staff actions
    # ------------------------------------------------------------------
    def action_send(self):
        """Freeze the lines and ask the customer to sign in the portal."""
        for act in self:
            if act.state != "draft":
                raise UserError(_("%s was already sent.", act.name))
            if not act.line_ids:
                raise UserError(_("%s has no requirement to accept.", act.name))
            missing = act.line_ids.filtered(lambda line: not line.result)
            if missing:
                raise UserError(
                    _(
                        "%(act)s: mark every requirement met, met with deviation or "
                        "not met first (%(lines)s).",
                        act=act.name,
                        lines=", ".join(missing.mapped("name")),
                    )
                )
            act._portal_ensure_token()
            act._qms_write_act({"state": "sent", "sent_on": fields.Datetime.now()})
            template = self.env.ref(
                "qms_crm_process.mail_template_acceptance_act",
                raise_if_not_found=False,
            )
            if template and act.partner_id.email:
                act.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return True

    def action_reset_draft(self):
        for act in self:
            if act.state != "sent":
                raise UserError(_("Only an act awaiting signature goes back to draft."))
            act._qms_write_act({"state": "draft", "sent_on": False})
        return True

    def action_sign_on_tablet(self):
        self.ensure_one()
        if self.state != "sent":
            raise UserError(_("Send the act for signature first."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Customer Signature"),
            "res_model": "qms.acceptance.sign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_act_id": self.id},
        }

    # ------------------------------------------------------------------
    # The customer's act
    # ------------------------------------------------------------------
    def _qms_check_signer(self, user, via_token):
        """A customer act comes from the customer: a portal user of this
        customer, or a visitor holding the act's token; never a staff
        session."""
        self.ensure_one()
        if not user.share:
            raise AccessError(
                _(
                    "The acceptance act is signed by the customer, in the portal: "
                    "an employee records a signature on the tablet instead."
                )
            )
        if user._is_public():
            if not via_token:
                raise AccessError(_("This link is not valid."))
            return
        if (
            user.partner_id.commercial_partner_id != self.commercial_partner_id
            and not via_token
        ):
            raise AccessError(_("This acceptance act belongs to another customer."))

    def _qms_check_signature_input(self, signature, name, decision, comment):
        if decision not in ("sign", "refuse"):
            raise ValidationError(_("Unknown answer."))
        name = (name or "").strip()
        comment = (comment or "").strip()
        if "\x00" in name or "\x00" in comment:
            raise ValidationError(_("Your answer contains characters we cannot store."))
        if decision == "sign" and not signature:
            raise ValidationError(_("Please sign the act."))
        if decision == "sign" and not name:
            raise ValidationError(_("Please write your name."))
        if decision == "refuse" and not comment:
            raise ValidationError(_("Please tell us why you do not accept the work."))
        if len(name) > 200 or len(comment) > 10000:
            raise ValidationError(_("Your answer is too long."))
        if self.state != "sent":
            raise ValidationError(_("This act does not await your signature."))
        return name, comment

    def _qms_customer_sign(
        self,
        signature,
        name,
        decision="sign",
        comment=None,
        user=None,
        ip=None,
        via_token=False,
    ):
        """The customer signs (or refuses) the act in the portal."""
        self.ensure_one()
        user = user or self.env.user
        self._qms_check_signer(user, via_token)
        name, comment = self._qms_check_signature_input(
            signature, name, decision, comment
        )
        return self._qms_record_signature(
            {
                "signature": signature if decision == "sign" else False,
                "signed_by": name or False,
                "portal_user_id": False if user._is_public() else user.id,
                "signer_partner_id": self.partner_id.id
                if user._is_public()
                else user.partner_id.id,
                "ip_address": ip,
                "sign_channel": "portal",
                "customer_comment": comment or False,
            },
            decision,
        )

    def _qms_tablet_sign(self, signature, name, decision="sign", comment=None):
        """An employee records the customer's drawn signature on the tablet
        (channel and employee are kept)."""
        self.ensure_one()
        user = self.env.user
        if user.share:
            raise AccessError(_("Only an employee records a signature on the tablet."))
        name, comment = self._qms_check_signature_input(
            signature, name, decision, comment
        )
        return self._qms_record_signature(
            {
                "signature": signature if decision == "sign" else False,
                "signed_by": name or False,
                "signer_partner_id": self.partner_id.id,
                "sign_channel": "tablet",
                "recorded_by_id": user.id,
                "customer_comment": comment or False,
            },
            decision,
        )

    def _qms_record_signature(self, vals, decision):
        vals.update(
            state="signed" if decision == "sign" else "refused",
            signed_on=fields.Datetime.now(),
        )
        self._qms_write_act(vals)
        author = vals.get("signer_partner_id") or self.partner_id.id
        if decision == "sign":
            body = _(
                "The customer signed the acceptance act (%(result)s) as %(name)s.",
                result=dict(RESULTS).get(self.result, ""),
                name=vals.get("signed_by"),
            )
        else:
            body = Markup("%s<br/>%s") % (
                _("The customer did not accept the work."),
                plaintext2html(vals.get("customer_comment") or ""),
            )
        self.sudo().message_post(
            body=body, author_id=author, subtype_xmlid="mail.mt_note"
        )
        if decision == "refuse" or self.result == "rejected":
            self._qms_open_complaint()
        return True

    def _qms_open_complaint(self):
        """A complaint for what was not met (8.2.1 c / 8.7)."""
        self.ensure_one()
        not_met = self.line_ids.filtered(lambda line: line.result == "not_met")
        lines = [f"- {line.name}: {line.note or ''}".rstrip(": ") for line in not_met]
        if self.customer_comment:
            lines.append(self.customer_comment)
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": _("Acceptance act %s: not met", self.name),
                    "description": plaintext2html("\n".join(lines) or self.name),
                    "partner_id": self.partner_id.id,
                    "qms_feedback_kind": "complaint",
                    "qms_sale_order_id": self.sale_order_id.id,
                }
            )
        )
        self._qms_write_act({"complaint_id": ticket.id})
        self.sudo().message_post(
            body=_(
                "Complaint %s opened for the requirements not met.", ticket.display_name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return ticket

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Acceptance act %s", self.name)
