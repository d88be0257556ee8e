# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Complaints",
    "summary": "Helpdesk tickets as customer complaints: targets, playbook, "
    "compensation, cost of poor quality and the complaint portal (ISO 9001 "
    "8.2.1 c, 8.5.5, 10.2)",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_communication",
        "portal_request_hardening",
        "helpdesk_mgmt",
        "account",
        "resource",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_complaint_rules.xml",
        "security/qms_crm_complaint_access_rules.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_portal_templates.xml",
        "data/qms_complaint_data.xml",
        "views/qms_complaint_views.xml",
        "views/helpdesk_ticket_views.xml",
        "report/qms_complaint_report_views.xml",
        "views/qms_complaint_menu_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "assets": {
        "web.assets_tests": ["qms_crm_complaint/static/tests/tours/**/*"],
    },
}
