# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

SCALE = [(str(i), str(i)) for i in range(1, 6)]
LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
# kanban colour per level (Odoo colour indexes)
LEVEL_COLORS = {"low": 10, "medium": 3, "high": 2, "critical": 1}


def score_level(score):
    """Level of a likelihood x impact score (1..25)."""
    if score >= 15:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


class QmsCustomerRisk(models.Model):
    """Risks and opportunities that can affect conformity of products and
    services and the ability to enhance customer satisfaction (5.1.2 b)."""

    _name = "qms.customer.risk"
    _description = "Customer Risk or Opportunity"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.evidence.mixin"]
    _order = "score desc, next_review_date, id desc"
    _qms_default_clauses = ("5.1.2 b)",)
    # reviewed with its button only (the state follows the treatment)
    _qms_action_fields = frozenset({"last_review_date"})

    name = fields.Char(string="Title", required=True, tracking=True)
    description = fields.Text()
    kind = fields.Selection(
        [("risk", "Risk"), ("opportunity", "Opportunity")],
        required=True,
        default="risk",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Order",
        index="btree_not_null",
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    likelihood = fields.Selection(SCALE, required=True, default="3", tracking=True)
    impact = fields.Selection(SCALE, required=True, default="3", tracking=True)
    score = fields.Integer(compute="_compute_score", store=True, aggregator="max")
    level = fields.Selection(
        LEVELS, compute="_compute_score", store=True, index=True, tracking=True
    )
    color = fields.Integer(compute="_compute_color")
    treatment = fields.Text(string="Treatment Plan")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        required=True,
        tracking=True,
        index=True,
    )
    next_review_date = fields.Date(
        default=lambda self: self._default_next_review_date(),
        tracking=True,
        index=True,
    )
    last_review_date = fields.Date(readonly=True, tracking=True)
    review_overdue = fields.Boolean(
        compute="_compute_review_overdue", search="_search_review_overdue"
    )
    state = fields.Selection(
        [
            ("identified", "Identified"),
            ("treating", "In Treatment"),
            ("monitoring", "Monitoring"),
            ("closed", "Closed"),
        ],
        default="identified",
        required=True,
        tracking=True,
        group_expand=True,
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    active = fields.Boolean(default=True, tracking=True)

    @api.model
    def _default_next_review_date(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.risk_review_days", 90)
            or 90
        )
        return fields.Date.context_today(self) + timedelta(days=days)

    @api.depends("likelihood", "impact")
    def _compute_score(self):
        for risk in self:
            score = int(risk.likelihood or 0) * int(risk.impact or 0)
            risk.score = score
            risk.level = score_level(score) if score else False

    @api.depends("level")
    def _compute_color(self):
        for risk in self:
            risk.color = LEVEL_COLORS.get(risk.level, 0)

    @api.depends("next_review_date", "state")
    def _compute_review_overdue(self):
        today = fields.Date.context_today(self)
        for risk in self:
            risk.review_overdue = bool(
                risk.state != "closed"
                and risk.next_review_date
                and risk.next_review_date < today
            )

    def _search_review_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on overdue reviews."))
        domain = [
            ("state", "!=", "closed"),
            ("next_review_date", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.constrains("partner_id", "lead_id", "order_id")
    def _check_links(self):
        for risk in self:
            customer = risk.partner_id.commercial_partner_id
            for doc, label in (
                (risk.lead_id, _("Opportunity")),
                (risk.order_id, _("Order")),
            ):
                if (
                    doc
                    and doc.partner_id
                    and doc.partner_id.commercial_partner_id != customer
                ):
                    raise ValidationError(
                        _(
                            "%(label)s %(doc)s belongs to another customer than "
                            "%(customer)s.",
                            label=label,
                            doc=doc.display_name,
                            customer=customer.display_name,
                        )
                    )

    def action_mark_reviewed(self):
        """Record a review of the risk today and plan the next one."""
        today = fields.Date.context_today(self)
        for risk in self:
            if risk.state == "closed":
                raise ValidationError(_("%s is closed; reopen it first.", risk.name))
            risk._qms_action_write(
                {
                    "last_review_date": today,
                    "next_review_date": risk._default_next_review_date(),
                }
            )
            risk.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref(
                        "qms_crm_requirement.mail_activity_type_risk_review"
                    )
                )
            ).action_feedback(feedback=_("Risk reviewed."))
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        self.write({"state": "identified"})
        return True

    @api.model
    def _cron_schedule_overdue_reviews(self, batch_size=1000):
        """Plan a review activity for the owner of every overdue risk that has
        none yet, one batch per run: risks that already have an open review
        activity are left out of the search, so that they do not fill the batch
        and hide the ones that still need one."""
        activity_type = self.env.ref(
            "qms_crm_requirement.mail_activity_type_risk_review"
        )
        domain = [
            ("review_overdue", "=", True),
            ("activity_ids", "not any", [("activity_type_id", "=", activity_type.id)]),
        ]
        todo = self.search(domain, limit=batch_size)
        for risk in todo:
            risk.activity_schedule(
                "qms_crm_requirement.mail_activity_type_risk_review",
                date_deadline=fields.Date.context_today(self),
                summary=_("Review overdue: %s", risk.name),
                user_id=risk.user_id.id,
            )
        if self.env.context.get("ir_cron_progress_id"):
            # run by the scheduler: commit this batch; it runs again while
            # overdue risks without a review activity remain
            self.env["ir.cron"]._commit_progress(
                len(todo), remaining=self.search_count(domain)
            )
        return len(todo)
