# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .sale_order import DEFAULT_GATE_MODE, GATE_MODES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_gate_mode = fields.Selection(
        GATE_MODES,
        string="Requirement Review Gate",
        default=DEFAULT_GATE_MODE,
        config_parameter="qms_crm.gate_mode",
        help="What happens when a salesperson confirms an order whose customer "
        "requirements are not all reviewed and approved: nothing (Off), a note in "
        "the order's history (Warn), or a clear error (Block; a Quality CRM "
        "manager may still override with a reason).",
    )
    qms_confirmation_days = fields.Integer(
        string="Confirmation Link Validity (days)",
        default=30,
        config_parameter="qms_crm.confirmation_days",
        help="How long the portal link sent to a customer to confirm a "
        "requirement stays valid.",
    )
    qms_risk_review_days = fields.Integer(
        string="Risk Review Interval (days)",
        default=90,
        config_parameter="qms_crm.risk_review_days",
        help="Default interval between two reviews of a customer risk or opportunity.",
    )

    qms_complaint_followup_days = fields.Integer(
        string="Follow-up after Closing a Complaint (days)",
        default=14,
        config_parameter="qms_crm.complaint_followup_days",
        help="Days after a complaint is closed when its follow-up activity is due.",
    )
    qms_alert_feedback_days = fields.Integer(
        string="Complaint Follow-up Delay (days)",
        default=3,
        config_parameter="qms_crm.alert_feedback_days",
        help="A complaint with no planned activity and no reply to the customer "
        "for this many days raises a customer alert for the salesperson.",
    )
    qms_dsr_response_months = fields.Integer(
        string="Data Request Response Time (months)",
        default=1,
        config_parameter="qms_crm.dsr_response_months",
        help="A data subject request is due this many months after it is received "
        "(GDPR art. 12(3): one month).",
    )
    qms_dsr_extension_months = fields.Integer(
        string="Data Request Extension (months)",
        default=2,
        config_parameter="qms_crm.dsr_extension_months",
        help="Months added once, with a reason, to the deadline of a complex "
        "request (GDPR art. 12(3): two months).",
    )
    qms_invoice_retention_years = fields.Integer(
        string="Invoice Retention (years)",
        default=5,
        config_parameter="qms_crm.invoice_retention_years",
        help="Personal data of a customer with an invoice younger than this is "
        "kept (legal hold) when they ask for erasure.",
    )

    qms_mail_retry_days = fields.Integer(
        string="Retry Undelivered Mails (days)",
        default=3,
        config_parameter="qms_crm.mail_retry_days",
        help="Mails that failed because the mail server could not be reached "
        "go back to the queue every 15 minutes for this many days; mails refused "
        "for their address are not retried.",
    )

    def action_qms_complaint_targets(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm.qms_complaint_target_action"
        )

    def action_qms_complaint_root_causes(self):
        return self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm.qms_complaint_root_cause_action"
        )
