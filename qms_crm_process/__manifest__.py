# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Process Templates",
    "summary": "Process templates for sales teams: stages that create tasks with "
    "deadlines in working minutes, overdue escalation, stage gates, installation "
    "visits with customer acceptance acts, warranty and maintenance (ISO 9001 "
    "5.1.2 a, 8.2.3, 8.5.1, 8.6)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_requirement",
        "qms_crm_customer_insight",
        "resource",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_process_security.xml",
        "data/qms_clause_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "report/qms_process_document_report.xml",
        "report/qms_acceptance_act_report.xml",
        "data/qms_process_template_data.xml",
        "wizard/qms_process_gate_override_views.xml",
        "wizard/qms_acceptance_sign_views.xml",
        "views/qms_process_template_views.xml",
        "views/crm_team_views.xml",
        "views/crm_lead_views.xml",
        "views/qms_installation_views.xml",
        "views/qms_acceptance_act_views.xml",
        "views/qms_warranty_views.xml",
        "views/qms_maintenance_plan_views.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/qms_acceptance_portal_templates.xml",
        "views/qms_customer_panel_views.xml",
        "views/qms_crm_process_menu_views.xml",
    ],
    "demo": ["demo/qms_process_demo.xml"],
    "assets": {
        "web.assets_tests": ["qms_crm_process/static/tests/tours/**/*"],
    },
}
