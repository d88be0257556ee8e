# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Personal Data",
    "summary": "Data subject requests: export and erasure of a person's data with "
    "legal holds (ISO 9001 8.5.3, GDPR)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_property",
        "qms_crm_complaint",
        "qms_crm_requirement",
        "auditlog",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_privacy_rules.xml",
        "views/res_config_settings_views.xml",
        "views/qms_data_request_views.xml",
        "data/qms_data_request_data.xml",
        "data/auditlog_rule_data.xml",
    ],
    "pre_init_hook": "pre_init_hook",
}
