# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM (ISO 9001 customer requirements)",
    "summary": "ISO 9001:2015 clause registry, customer requirements, documented "
    "review gating order confirmation, requirement change control, customer risks",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "crm",
        "sale_management",
        "sale_crm",
        "sale_stock",
        "helpdesk_mgmt",
        "portal",
        "base_automation",
        "resource",
    ],
    "data": [
        "security/qms_crm_security.xml",
        "security/ir.model.access.csv",
        "security/qms_crm_rules.xml",
        "data/qms_clause_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "report/qms_evidence_views.xml",
        "report/qms_requirement_review_report.xml",
        "wizard/qms_clause_coverage_views.xml",
        "wizard/qms_requirement_change_views.xml",
        "wizard/qms_gate_override_views.xml",
        "wizard/qms_communication_log_views.xml",
        "wizard/qms_product_info_views.xml",
        "views/qms_clause_views.xml",
        "views/qms_requirement_views.xml",
        "views/qms_requirement_version_views.xml",
        "views/qms_requirement_review_views.xml",
        "views/qms_customer_risk_views.xml",
        "views/sale_order_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_team_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/qms_requirement_portal_templates.xml",
        "views/qms_crm_menu_views.xml",
        "views/helpdesk_portal_templates.xml",
        "data/qms_communication_data.xml",
        "views/qms_communication_views.xml",
        "data/qms_complaint_data.xml",
        "views/qms_complaint_views.xml",
        "report/qms_complaint_report_views.xml",
        "views/qms_complaint_menu_views.xml",
        "data/qms_customer_alert_data.xml",
        "views/qms_customer_panel_views.xml",
        "data/qms_property_data.xml",
        "report/qms_property_return_report.xml",
        "views/qms_property_views.xml",
        "views/qms_property_incident_views.xml",
        "views/qms_data_request_views.xml",
        "views/qms_property_portal_templates.xml",
        # >>> review
        "data/qms_management_review_data.xml",
        "report/qms_management_review_report.xml",
        "views/qms_management_review_views.xml",
        "wizard/qms_evidence_pack_views.xml",
        "views/qms_management_review_menu_views.xml",
        # <<< review
        # >>> reliab
        "data/mail_retry_data.xml",
        # <<< reliab
        # >>> firsthour
        # <<< firsthour
    ],
    "demo": [
        "demo/qms_requirement_demo.xml",
        "demo/qms_customer_risk_demo.xml",
        "demo/qms_communication_demo.xml",
        "demo/qms_complaint_demo.xml",
        "demo/qms_customer_alert_demo.xml",
        "demo/qms_property_demo.xml",
        # >>> review
        "demo/qms_management_review_demo.xml",
        # <<< review
        # >>> reliab
        # <<< reliab
        # >>> firsthour
        # <<< firsthour
    ],
    "assets": {
        # >>> review
        # <<< review
        # >>> reliab
        # <<< reliab
        # >>> firsthour
        "web.assets_tests": ["qms_crm/static/tests/tours/**/*"],
        # <<< firsthour
    },
}
