# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Customer Requirements",
    "summary": "Customer requirements, their documented review gating order "
    "confirmation, change control with acknowledgements, customer "
    "confirmation and customer risks (ISO 9001 8.2.2, 8.2.3, 8.2.4, 5.1.2 "
    "b)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_evidence",
        "sale_management",
        "sale_crm",
        "portal",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_requirement_rules.xml",
        "security/qms_crm_requirement_access_rules.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "report/qms_requirement_review_report.xml",
        "wizard/qms_requirement_change_views.xml",
        "wizard/qms_gate_override_views.xml",
        "wizard/qms_requirement_confirm_behalf_views.xml",
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
        "views/qms_crm_requirement_menu_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "assets": {
        "web.assets_tests": ["qms_crm_requirement/static/tests/tours/**/*"],
    },
}
