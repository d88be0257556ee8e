# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import (
    QMS_TRUSTED,
    qms_lock,
    qms_trusted,
)


class QmsRequirementReview(models.Model):
    """Documented review of the requirements of an opportunity or quotation
    before committing to supply (ISO 9001 8.2.3)."""

    _name = "qms.requirement.review"
    _description = "Requirement Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.evidence.mixin"]
    _order = "id desc"
    _qms_default_clauses = ("8.2.3", "8.2.3.2")
    # approved or rejected with its buttons only: who decided and when
    _qms_action_fields = frozenset({"state", "review_date"})

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default=lambda self: _("New")
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", index="btree_not_null", tracking=True
    )
    order_id = fields.Many2one(
        "sale.order", string="Quotation / Order", index="btree_not_null", tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Reviewer",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
    )
    review_date = fields.Datetime(readonly=True, tracking=True, copy=False)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    state = fields.Selection(
        [("draft", "In Progress"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    line_ids = fields.One2many(
        "qms.requirement.review.line", "review_id", string="Requirements", copy=True
    )
    outcome_note = fields.Text(string="Conclusion", tracking=True)
    line_count = fields.Integer(compute="_compute_line_stats")
    open_line_count = fields.Integer(compute="_compute_line_stats", string="Unanswered")
    active = fields.Boolean(default=True)

    @api.depends("order_id.partner_id", "lead_id.partner_id")
    def _compute_partner_id(self):
        for review in self:
            partner = review.order_id.partner_id or review.lead_id.partner_id
            review.partner_id = partner.commercial_partner_id

    @api.depends("line_ids.can_meet")
    def _compute_line_stats(self):
        for review in self:
            review.line_count = len(review.line_ids)
            review.open_line_count = len(
                review.line_ids.filtered(lambda line: not line.can_meet)
            )

    @api.constrains("lead_id", "order_id")
    def _check_subject(self):
        for review in self:
            if not review.lead_id and not review.order_id:
                raise ValidationError(
                    _("A requirement review is made for an opportunity or a quotation.")
                )
            if (
                review.lead_id
                and review.order_id
                and review.order_id.opportunity_id
                and review.order_id.opportunity_id != review.lead_id
            ):
                raise ValidationError(
                    _(
                        "The quotation %s belongs to another opportunity.",
                        review.order_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # (the constraint only runs for fields present in vals)
            if not vals.get("lead_id") and not vals.get("order_id"):
                raise ValidationError(
                    _("A requirement review is made for an opportunity or a quotation.")
                )
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "qms.requirement.review"
                ) or _("New")
            if vals.get("order_id") and not vals.get("lead_id"):
                order = self.env["sale.order"].browse(vals["order_id"])
                vals["lead_id"] = order.opportunity_id.id or False
        reviews = super().create(vals_list)
        reviews.filtered(lambda r: not r.line_ids).action_prefill()
        return reviews

    def _qms_is_locked(self):
        return self.state != "draft"

    def _qms_check_draft(self):
        decided = self.filtered(lambda r: r.state != "draft")
        if decided and not qms_trusted(self.env, "qms_correction"):
            raise UserError(
                _(
                    "%s has been decided: its lines are a record and cannot change. "
                    "Start a new review instead.",
                    ", ".join(decided.mapped("name")),
                )
            )

    def _requirements_to_review(self):
        """Requirements of the order and of its opportunity, not superseded."""
        self.ensure_one()
        domain = [("state", "not in", ("superseded", "rejected"))]
        subjects = []
        if self.order_id:
            subjects.append([("order_id", "=", self.order_id.id)])
        if self.lead_id:
            subjects.append([("lead_id", "=", self.lead_id.id)])
        if not subjects:
            return self.env["qms.requirement"]
        return self.env["qms.requirement"].search(
            Domain.AND([domain, Domain.OR(subjects)])
        )

    def action_prefill(self):
        """Add a line for each requirement not yet in the review, at its
        current version; submit draft requirements for review."""
        qms_lock(self)
        for review in self:
            if review.state != "draft":
                raise UserError(_("Only reviews in progress can be refilled."))
            reqs = review._requirements_to_review()
            present = {
                (line.requirement_id.id, line.requirement_version)
                for line in review.line_ids
            }
            new_lines = [
                {
                    "review_id": review.id,
                    "requirement_id": req.id,
                    "requirement_version": req.version,
                    "requirement_text": req.description,
                }
                for req in reqs
                if (req.id, req.version) not in present
            ]
            self.env["qms.requirement.review.line"].create(new_lines)
            drafts = reqs.filtered(lambda r: r.state == "draft")
            if drafts:
                drafts._qms_action_write({"state": "review"})
        return True

    def _check_can_decide(self):
        qms_lock(self)
        for review in self:
            if review.state != "draft":
                raise UserError(_("%s has already been decided.", review.name))
            if not review.line_ids:
                raise UserError(
                    _(
                        "%s has no requirement to review: add requirements first.",
                        review.name,
                    )
                )
            unanswered = review.line_ids.filtered(lambda line: not line.can_meet)
            if unanswered:
                raise UserError(
                    _(
                        "Answer 'Can we meet it?' for every requirement of %(review)s "
                        "first: %(reqs)s.",
                        review=review.name,
                        reqs=", ".join(
                            unanswered.requirement_id.mapped("display_name")
                        ),
                    )
                )
            no_note = review.line_ids.filtered(
                lambda line: (
                    line.can_meet in ("conditions", "no")
                    and not (line.note or "").strip()
                )
            )
            if no_note:
                raise UserError(
                    _(
                        "Explain the conditions or the refusal in the note of: %s.",
                        ", ".join(no_note.requirement_id.mapped("display_name")),
                    )
                )

    def action_approve(self):
        self._check_can_decide()
        for review in self:
            refused = review.line_ids.filtered(lambda line: line.can_meet == "no")
            if refused:
                raise UserError(
                    _(
                        "%(review)s cannot be approved: we cannot meet %(reqs)s. "
                        "Reject the review, or agree a change with the customer.",
                        review=review.name,
                        reqs=", ".join(refused.requirement_id.mapped("display_name")),
                    )
                )
            outdated = review.line_ids.filtered(
                lambda line: line.requirement_version != line.requirement_id.version
            )
            if outdated:
                raise UserError(
                    _(
                        "%(reqs)s changed since they were added to %(review)s: "
                        "refill the review.",
                        reqs=", ".join(outdated.requirement_id.mapped("display_name")),
                        review=review.name,
                    )
                )
            unconfirmed = review.line_ids.requirement_id.filtered(
                lambda r: not r.documented and r.confirmation_state != "confirmed"
            )
            if unconfirmed:
                raise UserError(
                    _(
                        "The customer has not confirmed %s, which they did not give in "
                        "documented form (8.2.3.2): send it for confirmation first.",
                        ", ".join(unconfirmed.mapped("display_name")),
                    )
                )
        self.with_context(qms_correction=QMS_TRUSTED).write(
            {
                "state": "approved",
                "review_date": fields.Datetime.now(),
                "user_id": self.env.uid,
            }
        )
        self.line_ids.requirement_id._qms_mark_accepted()
        return True

    def action_reject(self):
        self._check_can_decide()
        for review in self:
            if not (review.outcome_note or "").strip():
                raise UserError(
                    _("Write the conclusion of %s before rejecting it.", review.name)
                )
        self.with_context(qms_correction=QMS_TRUSTED).write(
            {
                "state": "rejected",
                "review_date": fields.Datetime.now(),
                "user_id": self.env.uid,
            }
        )
        refused = self.line_ids.filtered(
            lambda line: line.can_meet == "no"
        ).requirement_id
        refused.filtered(lambda r: r.state in ("draft", "review")).with_context(
            qms_correction=QMS_TRUSTED
        ).write({"state": "rejected"})
        return True

    def action_print(self):
        return self.env.ref(
            "qms_crm_requirement.action_report_requirement_review"
        ).report_action(self)
