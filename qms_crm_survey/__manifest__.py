# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Customer Satisfaction",
    "summary": "CSAT, NPS and CES on Odoo Survey for ISO 9001 9.1.2 and 5.1.2 c",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_requirement",
        "qms_crm_complaint",
        "qms_crm_customer_insight",
        "qms_crm_privacy",
        "survey",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_survey_security.xml",
        "security/qms_crm_survey_access_rules.xml",
        "data/survey_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "data/qms_communication_rule_data.xml",
        "views/survey_views.xml",
        "views/qms_communication_rule_views.xml",
        "views/qms_survey_invitation_views.xml",
        "views/qms_satisfaction_report_views.xml",
        "views/qms_focus_group_views.xml",
        "views/res_partner_views.xml",
        "views/qms_customer_panel_views.xml",
        "views/res_config_settings_views.xml",
        "views/qms_crm_survey_menu_views.xml",
    ],
    "demo": [
        "demo/satisfaction_demo.xml",
        "demo/qms_management_review_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["qms_crm_survey/static/tests/tours/**/*"],
    },
}
