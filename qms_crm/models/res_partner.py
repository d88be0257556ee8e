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

    def _qms_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        commercial = self.commercial_partner_id
        action["domain"] = [("partner_id", "child_of", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action

    def action_qms_view_requirements(self):
        return self._qms_action("qms_crm.qms_requirement_action")

    def action_qms_view_risks(self):
        return self._qms_action("qms_crm.qms_customer_risk_action")

    # >>> COMM: communication rules (issue 4a)
    qms_communication_count = fields.Integer(
        compute="_compute_qms_communication_count", string="Communications"
    )

    def _compute_qms_communication_count(self):
        counts = self.env["qms.communication"]._qms_count_by_customer(self)
        for partner in self:
            partner.qms_communication_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def action_qms_view_communications(self):
        self.ensure_one()
        return self.env["qms.communication"]._qms_action_for_partner(self)

    def action_qms_log_communication(self):
        self.ensure_one()
        return self.env["qms.communication.log"]._qms_open_for(self)

    def action_qms_send_product_info(self):
        self.ensure_one()
        return self.env["qms.product.info"]._qms_open_for(self)

    # <<< COMM
    # >>> CPL: complaints (issue 4b)
    # <<< CPL
    # >>> C360: customer 360, alerts, ABC (issue 4c)
    # <<< C360
    # >>> PROP: property, personal data (issue 5)
    # <<< PROP
