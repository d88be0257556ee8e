# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

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
        return self._qms_action("qms_crm_requirement.qms_requirement_action")

    def action_qms_view_reviews(self):
        return self._qms_action("qms_crm_requirement.qms_requirement_review_action")

    def action_qms_view_risks(self):
        return self._qms_action("qms_crm_requirement.qms_customer_risk_action")
