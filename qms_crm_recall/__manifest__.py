# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Recalls and Nonconforming Output",
    "summary": "Recall, field-safety and nonconforming-output campaigns for "
    "ISO 9001 8.2.1 e and 8.7.1 c",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_communication",
        "qms_crm_privacy",
        "stock",
        "sale_stock",
        "report_xlsx",
    ],
    "data": [
        "security/qms_crm_recall_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "report/qms_recall_reports.xml",
        "views/qms_recall_campaign_views.xml",
        "views/qms_recall_line_views.xml",
        "views/qms_recall_portal_templates.xml",
        "views/qms_crm_recall_menu_views.xml",
        "security/qms_recall_line_rules.xml",
        "security/qms_crm_recall_access_rules.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/qms_recall_demo.xml",
        "demo/qms_management_review_demo.xml",
    ],
    "assets": {
        "web.report_assets_common": [
            "qms_crm_recall/static/src/scss/recall_letter.scss",
        ],
        "web.assets_tests": ["qms_crm_recall/static/tests/tours/**/*"],
    },
}
