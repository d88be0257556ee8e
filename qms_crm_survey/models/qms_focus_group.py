# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .survey_user_input import NPS_CATEGORIES

PURPOSES = [
    ("design_review", "Design review"),
    ("beta_test", "Beta test"),
    ("interview", "Interview"),
]
# the values of res.partner.qms_abc_class (qms_crm)
ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]


class QmsFocusGroup(models.Model):
    """A saved customer segment asked for input on design and development
    (ISO 9001 8.3.2 g). Convening it freezes its membership."""

    _name = "qms.focus.group"
    _description = "Customer Focus Group"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.evidence.mixin"]
    _order = "id desc"
    _qms_default_clauses = ("8.3.2 g)",)
    _qms_action_fields = frozenset({"state", "convened_date"})
    _qms_partner_field = None

    name = fields.Char(required=True, tracking=True)
    purpose = fields.Selection(
        PURPOSES, required=True, default="design_review", tracking=True
    )
    description = fields.Html()
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product under Design",
        tracking=True,
        help="Requirements created from the feedback are linked to this product.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("convened", "Convened"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    convened_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    # -- the segment -------------------------------------------------------
    category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags", tracking=True
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    bought_product_ids = fields.Many2many(
        "product.product",
        "qms_focus_group_bought_product_rel",
        string="Bought Products",
        help="Customers who have a confirmed order of one of these products.",
    )
    nps_category = fields.Selection(
        NPS_CATEGORIES, string="Latest NPS Category", tracking=True
    )
    abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        tracking=True,
        help="Only customers of this ABC class (by their confirmed sales of the "
        "last 12 months).",
    )
    candidate_count = fields.Integer(
        string="Customers in Segment", compute="_compute_candidate_count"
    )
    # -- the snapshot and the sessions -------------------------------------
    member_ids = fields.One2many(
        "qms.focus.group.member", "focus_group_id", string="Members", copy=False
    )
    member_count = fields.Integer(compute="_compute_counts")
    session_ids = fields.One2many(
        "qms.focus.group.session", "focus_group_id", string="Sessions", copy=False
    )
    session_count = fields.Integer(compute="_compute_counts")

    def _qms_is_locked(self):
        return self.state == "closed"

    def _qms_segment_domain(self):
        self.ensure_one()
        domain = [("parent_id", "=", False), ("customer_rank", ">", 0)]
        if self.category_ids:
            domain.append(("category_id", "in", self.category_ids.ids))
        if self.country_ids:
            domain.append(("country_id", "in", self.country_ids.ids))
        if self.nps_category:
            domain.append(("qms_nps_category", "=", self.nps_category))
        if self.abc_class:
            domain.append(("qms_abc_class", "=", self.abc_class))
        if self.bought_product_ids:
            buyers = self.env["sale.order.line"]._read_group(
                [
                    ("product_id", "in", self.bought_product_ids.ids),
                    ("state", "=", "sale"),
                ],
                ["order_partner_id"],
            )
            domain.append(
                (
                    "id",
                    "in",
                    list({p.commercial_partner_id.id for (p,) in buyers}),
                )
            )
        return domain

    def _qms_segment_partners(self):
        self.ensure_one()
        return self.env["res.partner"].search(self._qms_segment_domain())

    @api.depends(
        "category_ids",
        "country_ids",
        "bought_product_ids",
        "nps_category",
        "abc_class",
    )
    def _compute_candidate_count(self):
        for group in self:
            group.candidate_count = self.env["res.partner"].search_count(
                group._qms_segment_domain()
            )

    @api.depends("member_ids", "session_ids")
    def _compute_counts(self):
        for group in self:
            group.member_count = len(group.member_ids)
            group.session_count = len(group.session_ids)

    def action_convene(self):
        """Freeze who is in the segment now: later changes of the customers or
        of the criteria do not change the members."""
        for group in self:
            if group.state != "draft":
                raise UserError(
                    _("%(group)s is already convened.", group=group.display_name)
                )
            partners = group._qms_segment_partners()
            if not partners:
                raise UserError(
                    _(
                        "No customer matches the segment of %(group)s: widen the "
                        "criteria before convening it.",
                        group=group.display_name,
                    )
                )
            self.env["qms.focus.group.member"].create(
                [
                    {
                        "focus_group_id": group.id,
                        "partner_id": partner.id,
                        "country_id": partner.country_id.id,
                        "nps_category": partner.qms_nps_category,
                        "abc_class": partner.qms_abc_class,
                        "tags": ", ".join(partner.category_id.mapped("name")),
                    }
                    for partner in partners
                ]
            )
            group._qms_action_write(
                {"state": "convened", "convened_date": fields.Datetime.now()}
            )
        return True

    def action_close(self):
        self.filtered(lambda g: g.state == "convened")._qms_action_write(
            {"state": "closed"}
        )
        return True

    def action_view_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Members"),
            "res_model": "qms.focus.group.member",
            "view_mode": "list",
            "domain": [("focus_group_id", "=", self.id)],
        }

    def action_view_sessions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Sessions"),
            "res_model": "qms.focus.group.session",
            "view_mode": "list,form",
            "domain": [("focus_group_id", "=", self.id)],
            "context": {"default_focus_group_id": self.id},
        }
