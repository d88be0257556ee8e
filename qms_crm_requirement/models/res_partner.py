# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_requirement_count = fields.Integer(
        compute="_compute_qms_counts",
        string="Requirements",
        groups="base.group_user",
    )
    qms_risk_count = fields.Integer(
        compute="_compute_qms_counts", string="Risks", groups="base.group_user"
    )

    def _compute_qms_counts(self):
        requirements = self._qms_count_per_customer("qms.requirement")
        risks = self._qms_count_per_customer("qms.customer.risk")
        for partner in self:
            cid = partner.commercial_partner_id.id
            partner.qms_requirement_count = requirements.get(cid, 0)
            partner.qms_risk_count = risks.get(cid, 0)

    def action_qms_view_requirements(self):
        return self._qms_action("qms_crm_requirement.qms_requirement_action")

    def action_qms_view_risks(self):
        return self._qms_action("qms_crm_requirement.qms_customer_risk_action")
