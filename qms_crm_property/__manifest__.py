# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Customer Property",
    "summary": "Register of property belonging to customers (goods, documents, "
    "personal data sets), its incidents and return receipts (ISO 9001 "
    "8.5.3)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_evidence",
        "stock",
        "portal",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_property_rules.xml",
        "security/qms_crm_property_access_rules.xml",
        "data/qms_property_data.xml",
        "report/qms_property_return_report.xml",
        "views/qms_property_views.xml",
        "views/qms_property_incident_views.xml",
        "views/qms_property_portal_templates.xml",
        "data/qms_personal_data_category_data.xml",
        "views/qms_personal_data_category_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
}
