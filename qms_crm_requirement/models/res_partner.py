# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_requirement_count = fields.Integer(
        compute="_compute_qms_counts", string="Requirements"
    )
    qms_risk_count = fields.Integer(compute="_compute_qms_counts", string="Risks")

    def _compute_qms_counts(self):
        commercial = self.commercial_partner_id
        counts = {}
        for model, key in (("qms.requirement", "req"), ("qms.customer.risk", "risk")):
            Model = self.env[model]
            if not Model.has_access("read"):
                counts[key] = {}
                continue
            rows = Model._read_group(
                [("partner_id.commercial_partner_id", "in", commercial.ids)],
                ["partner_id"],
                ["__count"],
            )
            per = {}
            for partner, count in rows:
                cid = partner.commercial_partner_id.id
                per[cid] = per.get(cid, 0) + count
            counts[key] = per
        for partner in self:
            cid = partner.commercial_partner_id.id
            partner.qms_requirement_count = counts["req"].get(cid, 0)
            partner.qms_risk_count = counts["risk"].get(cid, 0)

    def action_qms_view_requirements(self):
        return self._qms_action("qms_crm_requirement.qms_requirement_action")

    def action_qms_view_risks(self):
        return self._qms_action("qms_crm_requirement.qms_customer_risk_action")
