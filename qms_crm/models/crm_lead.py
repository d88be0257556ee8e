# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "qms.customer.panel.mixin", "qms.communication.mixin"]

    qms_requirement_ids = fields.One2many(
        "qms.requirement", "lead_id", string="Customer Requirements"
    )
    qms_requirement_count = fields.Integer(compute="_compute_qms_counts")
    qms_review_count = fields.Integer(compute="_compute_qms_counts")
    qms_risk_count = fields.Integer(compute="_compute_qms_counts")

    def _compute_qms_counts(self):
        counts = {}
        for model, key in (
            ("qms.requirement", "req"),
            ("qms.requirement.review", "rev"),
            ("qms.customer.risk", "risk"),
        ):
            Model = self.env[model]
            if not Model.has_access("read"):
                counts[key] = {}
                continue
            rows = Model._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
            counts[key] = {lead.id: count for lead, count in rows}
        for lead in self:
            lead.qms_requirement_count = counts["req"].get(lead.id, 0)
            lead.qms_review_count = counts["rev"].get(lead.id, 0)
            lead.qms_risk_count = counts["risk"].get(lead.id, 0)

    def _qms_action(self, xmlid, extra_context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = dict(
            default_lead_id=self.id,
            default_partner_id=self.partner_id.commercial_partner_id.id,
            **(extra_context or {}),
        )
        return action

    def action_qms_view_requirements(self):
        return self._qms_action("qms_crm.qms_requirement_action")

    def action_qms_view_reviews(self):
        return self._qms_action("qms_crm.qms_requirement_review_action")

    def action_qms_view_risks(self):
        return self._qms_action("qms_crm.qms_customer_risk_action")

    qms_first_response_date = fields.Datetime(
        string="First Response On",
        readonly=True,
        copy=False,
        help="When the customer first got an answer: the first message or "
        "communication sent to them (ISO 9001 8.2.1).",
    )
    qms_first_response_hours = fields.Float(
        string="First Response Time (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Hours between the creation of the enquiry and its first response.",
    )
    qms_first_response_band = fields.Selection(
        [
            ("1h", "Within 1 hour"),
            ("4h", "Within 4 hours"),
            ("24h", "Within 24 hours"),
            ("late", "After 24 hours"),
        ],
        string="First Response",
        readonly=True,
        copy=False,
    )

    def _qms_set_first_response(self, when):
        """Stamp the first response to the customer (once)."""
        for lead in self.filtered(lambda ld: not ld.qms_first_response_date):
            hours = max((when - lead.create_date).total_seconds() / 3600.0, 0.0)
            band = "late"
            for limit, key in ((1, "1h"), (4, "4h"), (24, "24h")):
                if hours <= limit:
                    band = key
                    break
            lead.sudo().write(
                {
                    "qms_first_response_date": when,
                    "qms_first_response_hours": round(hours, 2),
                    "qms_first_response_band": band,
                }
            )

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        author = message.author_id
        if (
            not self.qms_first_response_date
            and message.message_type in ("comment", "email_outgoing")
            and not message.subtype_id.internal
            and author
            and not author.partner_share
            and author.user_ids.filtered(lambda u: not u.share)
            and author != self.partner_id
        ):
            self._qms_set_first_response(message.date or fields.Datetime.now())
        return res

    @api.depends("partner_id")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_qms_customer_360_html(self):
        # refreshed in the form as soon as the customer is chosen
        return super()._compute_qms_customer_360_html()

    def _qms_panel_customer(self):
        self.ensure_one()
        return self.partner_id
