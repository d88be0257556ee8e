# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Nonconformities of OCA ``mgmtsystem_nonconformity`` raised from the
customer side (ISO 9001 10.2): a complaint, a root cause, a complaint pattern
or a missed quality objective, linked back to the complaints and customers
concerned; once the corrective action is verified effective (the
nonconformity is closed with its effectiveness evaluation), the customers may
be told what changed (7.4), recorded as communications of the topic
"Improvement"."""

from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

SOURCES = [
    ("complaint", "Complaint"),
    ("root_cause", "Root Cause"),
    ("pattern", "Complaint Pattern"),
    ("objective", "Quality Objective"),
]
SOURCE_ORIGINS = {
    "complaint": "qms_crm_improvement.origin_complaint",
    "root_cause": "qms_crm_improvement.origin_root_cause",
    "pattern": "qms_crm_improvement.origin_pattern",
    "objective": "qms_crm_improvement.origin_objective",
}
ACTION_DAYS = 30


class MgmtsystemNonconformity(models.Model):
    _inherit = "mgmtsystem.nonconformity"

    qms_source = fields.Selection(
        SOURCES, string="Raised from", readonly=True, index=True, copy=False
    )
    qms_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "qms_nonconformity_ticket_rel",
        "nonconformity_id",
        "ticket_id",
        string="Complaints",
    )
    qms_customer_ids = fields.Many2many(
        "res.partner",
        "qms_nonconformity_customer_rel",
        "nonconformity_id",
        "partner_id",
        string="Customers Concerned",
        compute="_compute_qms_customer_ids",
        store=True,
        readonly=False,
    )
    qms_root_cause_id = fields.Many2one(
        "qms.complaint.root.cause", string="Complaint Root Cause", index=True
    )
    qms_product_id = fields.Many2one("product.product", string="Product", index=True)
    qms_objective_id = fields.Many2one(
        "qms.quality.objective", string="Quality Objective", index=True
    )
    qms_pattern_id = fields.Many2one(
        "qms.complaint.pattern", string="Complaint Pattern", index=True, readonly=True
    )
    qms_customers_notified_date = fields.Datetime(
        string="Customers Told on", readonly=True, copy=False
    )
    qms_communication_count = fields.Integer(compute="_compute_qms_communication_count")

    @api.depends("qms_ticket_ids.commercial_partner_id")
    def _compute_qms_customer_ids(self):
        for nc in self:
            nc.qms_customer_ids = nc.qms_customer_ids | (
                nc.qms_ticket_ids.commercial_partner_id
            )

    def _compute_qms_communication_count(self):
        groups = dict(
            self.env["qms.communication"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for nc in self:
            nc.qms_communication_count = groups.get(nc.id, 0)

    # ------------------------------------------------------------------
    # Raising
    # ------------------------------------------------------------------
    @api.model
    def _qms_raise(
        self,
        source,
        name,
        description,
        tickets=None,
        root_cause=None,
        product=None,
        objective=None,
        pattern=None,
        responsible=None,
    ):
        """A nonconformity with one corrective action (owner, due date): its
        effectiveness is checked when the nonconformity is closed (OCA
        requires the evaluation then)."""
        tickets = tickets or self.env["helpdesk.ticket"]
        customers = tickets.commercial_partner_id
        company = (
            objective.company_id
            if objective
            else (tickets.company_id[:1] or self.env.company)
        )
        responsible = responsible or self.env.user
        nc = self.create(
            {
                "name": name,
                "description": description,
                "partner_id": (
                    customers.id if len(customers) == 1 else company.partner_id.id
                ),
                "responsible_user_id": responsible.id,
                "manager_user_id": self.env.user.id,
                "origin_ids": [(6, 0, self.env.ref(SOURCE_ORIGINS[source]).ids)],
                "company_id": company.id,
                "qms_source": source,
                "qms_ticket_ids": [(6, 0, tickets.ids)],
                "qms_root_cause_id": root_cause.id if root_cause else False,
                "qms_product_id": product.id if product else False,
                "qms_objective_id": objective.id if objective else False,
                "qms_pattern_id": pattern.id if pattern else False,
            }
        )
        action = self.env["mgmtsystem.action"].create(
            {
                "name": _("Corrective action: %s", name),
                "type_action": "correction",
                "user_id": responsible.id,
                "date_deadline": fields.Date.context_today(self)
                + timedelta(days=ACTION_DAYS),
                "company_id": company.id,
                "description": Markup("<p>%s</p>") % description,
            }
        )
        nc.action_ids = action
        for ticket in tickets:
            ticket.message_post(
                body=Markup("%s <a href='#' data-oe-model='%s' data-oe-id='%s'>%s</a>")
                % (_("Nonconformity raised:"), nc._name, nc.id, nc.ref),
                subtype_xmlid="mail.mt_note",
            )
        return nc

    def _qms_open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Telling the customers what changed (7.4, 10.2)
    # ------------------------------------------------------------------
    def action_qms_notify_customers(self):
        """Tell every customer concerned what changed: an email on the
        customer and a communication of topic "Improvement". Only once the
        corrective action was verified effective (closed), and only once."""
        topic = self.env.ref("qms_crm_improvement.qms_communication_topic_improvement")
        Communication = self.env["qms.communication"]
        for nc in self:
            if nc.state != "done":
                raise UserError(
                    _(
                        "%(nc)s is not closed: tell the customers what changed once "
                        "the corrective action is verified effective.",
                        nc=nc.ref,
                    )
                )
            if nc.qms_customers_notified_date:
                raise UserError(
                    _("The customers of %(nc)s were already told.", nc=nc.ref)
                )
            if not nc.qms_customer_ids:
                raise UserError(_("%(nc)s concerns no customer.", nc=nc.ref))
            body = Markup("<p>%s</p><p>%s</p>") % (
                _(
                    "Following your feedback we analysed the cause and changed "
                    "how we work:"
                ),
                nc.evaluation_comments or nc.action_comments or nc.description,
            )
            subject = _("What we changed after your feedback")
            for customer in nc.qms_customer_ids:
                # the customer's chatter, by the user who tells them
                message = customer.sudo().message_post(
                    body=body,
                    subject=subject,
                    partner_ids=customer.ids,
                    author_id=self.env.user.partner_id.id,
                    subtype_xmlid="mail.mt_comment",
                    message_type="comment",
                )
                Communication.create(
                    {
                        "name": subject,
                        "body": body,
                        "partner_id": customer.id,
                        "topic_id": topic.id,
                        "channel": "email",
                        "direction": "outbound",
                        "state": "done",
                        "res_model": nc._name,
                        "res_id": nc.id,
                        "message_id": message.id,
                        "company_id": nc.company_id.id,
                    }
                )
            nc.qms_customers_notified_date = fields.Datetime.now()
        return True

    def action_qms_view_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_communication.qms_communication_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
