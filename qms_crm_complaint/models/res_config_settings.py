# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_complaint_followup_days = fields.Integer(
        string="Follow-up after Closing a Complaint (days)",
        default=14,
        config_parameter="qms_crm.complaint_followup_days",
        help="Days after a complaint is closed when its follow-up activity is due.",
    )

    def action_qms_complaint_targets(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm_complaint.qms_complaint_target_action"
        )

    def action_qms_complaint_root_causes(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm_complaint.qms_complaint_root_cause_action"
        )
