# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Customer Communication",
    "summary": "Communication rules, topics and history, order-status notices and "
    "product information for ISO 9001 8.2.1 and 7.4",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_evidence",
        "sale_stock",
        "crm",
        "base_automation",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_communication_rules.xml",
        "security/qms_crm_communication_access_rules.xml",
        "wizard/qms_communication_log_views.xml",
        "wizard/qms_product_info_views.xml",
        "views/res_config_settings_views.xml",
        "views/ir_mail_server_views.xml",
        "views/mail_mail_views.xml",
        "data/qms_communication_data.xml",
        "views/qms_communication_views.xml",
        "data/mail_retry_data.xml",
    ],
    "pre_init_hook": "pre_init_hook",
}
