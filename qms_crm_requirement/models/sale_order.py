# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.fields import Domain

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import qms_trusted

GATE_MODES = [
    ("off", "Off"),
    ("warn", "Warn"),
    ("block", "Block"),
]
DEFAULT_GATE_MODE = "block"


class _GateIssues(dict):
    """The gate issues ``action_confirm`` computed, per order id, handed to
    ``_confirmation_error_message`` in the context key ``qms_gate_issues``.
    Only a value of this type is trusted: a client's context (JSON) cannot
    hold one, so it cannot answer the gate in advance."""

    __slots__ = ()


class SaleOrder(models.Model):
    _inherit = "sale.order"

    qms_requirement_count = fields.Integer(
        compute="_compute_qms_requirements", string="Requirements"
    )
    qms_review_count = fields.Integer(
        compute="_compute_qms_requirements", string="Requirement Reviews"
    )
    qms_gate_message = fields.Text(
        compute="_compute_qms_gate",
        string="Requirement Review Status",
        help="What is missing before this order may be confirmed (ISO 9001 8.2.3).",
    )
    qms_gate_blocked = fields.Boolean(compute="_compute_qms_gate")
    qms_gate_mode = fields.Selection(GATE_MODES, compute="_compute_qms_gate")
    qms_unack_change_count = fields.Integer(
        compute="_compute_qms_unack_change_count",
        string="Unacknowledged Requirement Changes",
    )
    qms_override_reason = fields.Text(
        string="Review Gate Override Reason", readonly=True, copy=False, tracking=True
    )
    qms_override_user_id = fields.Many2one(
        "res.users", string="Overridden by", readonly=True, copy=False
    )
    qms_override_date = fields.Datetime(
        string="Overridden on", readonly=True, copy=False
    )
    qms_confirmed_without_review = fields.Boolean(
        string="Confirmed without Approved Review",
        readonly=True,
        copy=False,
        index=True,
        help="Confirmed while some of its requirements were not reviewed and "
        "approved (gate off or warn, or a manager's override).",
    )

    # ------------------------------------------------------------------
    # Requirements of the order
    # ------------------------------------------------------------------
    def _qms_requirement_domain(self):
        self.ensure_one()
        subjects = [[("order_id", "=", self.id)]] if self.id else []
        if self.opportunity_id:
            subjects.append(
                [("lead_id", "=", self.opportunity_id.id), ("order_id", "=", False)]
            )
        if not subjects:
            return Domain.FALSE
        return Domain.AND([[("state", "!=", "superseded")], Domain.OR(subjects)])

    def _qms_requirements(self):
        self.ensure_one()
        return self.env["qms.requirement"].sudo().search(self._qms_requirement_domain())

    def _compute_qms_requirements(self):
        Review = self.env["qms.requirement.review"].sudo()
        for order in self:
            order.qms_requirement_count = (
                self.env["qms.requirement"]
                .sudo()
                .search_count(order._qms_requirement_domain())
                if order.id
                else 0
            )
            review_domain = [("order_id", "=", order.id)] if order.id else []
            if order.opportunity_id:
                review_domain = Domain.OR(
                    [
                        review_domain or Domain.FALSE,
                        [("lead_id", "=", order.opportunity_id.id)],
                    ]
                )
            order.qms_review_count = (
                Review.search_count(review_domain) if review_domain else 0
            )

    def _compute_qms_unack_change_count(self):
        Ack = self.env["qms.requirement.ack"].sudo()
        for order in self:
            order.qms_unack_change_count = (
                Ack.search_count(
                    [
                        ("state", "=", "pending"),
                        ("requirement_id", "in", order._qms_requirements().ids),
                    ]
                )
                if order.id
                else 0
            )

    @api.model
    def _qms_gate_mode(self):
        mode = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.gate_mode", DEFAULT_GATE_MODE)
        )
        return mode if mode in dict(GATE_MODES) else DEFAULT_GATE_MODE

    def _qms_gate_issues(self):
        """List what keeps this order from being confirmed (8.2.3).

        Every requirement of the order (and of its opportunity) must be covered
        by a line of an approved review at its current version, answered "yes"
        or "with conditions", and customer-confirmed when it was not given in
        documented form.
        """
        self.ensure_one()
        reqs = self._qms_requirements() if self.id else self.env["qms.requirement"]
        if not reqs:
            return []
        lines = (
            self.env["qms.requirement.review.line"]
            .sudo()
            .search(
                [
                    ("requirement_id", "in", reqs.ids),
                    ("review_id.state", "=", "approved"),
                    ("can_meet", "in", ("yes", "conditions")),
                ]
            )
        )
        reviewed = {
            (line.requirement_id.id, line.requirement_version) for line in lines
        }
        ever_reviewed = {line.requirement_id.id for line in lines}
        issues = []
        for req in reqs:
            name = req.display_name
            if req.state == "draft":
                issues.append(_("%s has not been submitted for review.", name))
            elif req.state == "rejected":
                issues.append(_("%s was rejected in review.", name))
            elif (req.id, req.version) not in reviewed:
                if req.id in ever_reviewed:
                    issues.append(
                        _(
                            "%(req)s changed since its last approved review "
                            "(now version %(version)s).",
                            req=name,
                            version=req.version,
                        )
                    )
                else:
                    issues.append(_("%s has no approved review.", name))
            elif not req.documented and req.confirmation_state != "confirmed":
                issues.append(_("%s is not confirmed by the customer.", name))
        return issues

    @api.depends("state", "opportunity_id")
    def _compute_qms_gate(self):
        mode = self._qms_gate_mode()
        for order in self:
            issues = (
                order._qms_gate_issues()
                if mode != "off" and order.state in ("draft", "sent")
                else []
            )
            order.qms_gate_mode = mode
            order.qms_gate_blocked = bool(issues) and mode == "block"
            order.qms_gate_message = "\n".join(issues) if issues else False

    def _qms_gate_text(self, issues):
        return _(
            "%(order)s cannot be confirmed: its customer requirements are not all "
            "reviewed and approved (ISO 9001 8.2.3).\n%(issues)s",
            order=self.name,
            issues="\n".join(f"- {issue}" for issue in issues),
        )

    # ------------------------------------------------------------------
    # The gate, on Odoo's own confirmation hook
    # ------------------------------------------------------------------
    def _confirmation_error_message(self):
        message = super()._confirmation_error_message()
        if message or qms_trusted(self.env, "qms_gate_override"):
            return message
        if self._qms_gate_mode() == "block":
            # computed once by action_confirm, or here when called on its own
            known = self.env.context.get("qms_gate_issues")
            if not isinstance(known, _GateIssues):
                known = {}  # a client's context: computed here
            issues = known[self.id] if self.id in known else self._qms_gate_issues()
            if issues:
                return self._qms_gate_text(issues)
        return message

    def action_confirm(self):
        issues_by_order = {
            order.id: order._qms_gate_issues()
            for order in self
            if order.state in ("draft", "sent")
        }
        res = super(
            SaleOrder, self.with_context(qms_gate_issues=_GateIssues(issues_by_order))
        ).action_confirm()
        for order in self.filtered(lambda o: issues_by_order.get(o.id)):
            issues = issues_by_order[order.id]
            order.sudo().qms_confirmed_without_review = True
            if qms_trusted(self.env, "qms_gate_override"):
                intro = _(
                    "Confirmed by a manager's override of the requirement review gate."
                )
            else:
                intro = _("Confirmed although the requirement review is incomplete:")
            order.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (intro, Markup("").join(Markup("<li>%s</li>") % i for i in issues)),
                subtype_xmlid="mail.mt_note",
            )
        return res

    def action_qms_override_confirm(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Confirm with Override"),
            "res_model": "qms.gate.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_qms_view_requirements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_requirement.qms_requirement_action"
        )
        action["domain"] = self._qms_requirement_domain()
        action["context"] = {
            "default_order_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_lead_id": self.opportunity_id.id,
        }
        return action

    def action_qms_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_requirement.qms_requirement_review_action"
        )
        domain = [("order_id", "=", self.id)]
        if self.opportunity_id:
            domain = Domain.OR([domain, [("lead_id", "=", self.opportunity_id.id)]])
        action["domain"] = domain
        action["context"] = {"default_order_id": self.id}
        return action

    def action_qms_new_review(self):
        self.ensure_one()
        review = self.env["qms.requirement.review"].create({"order_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.requirement.review",
            "res_id": review.id,
            "view_mode": "form",
        }
