# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Evidence",
    "summary": "ISO 9001:2015 clause registry, evidence records, evidence index, "
    "clause coverage and signed evidence packs: the base of Quality CRM",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["mail", "portal", "sales_team"],
    "data": [
        "security/qms_crm_evidence_security.xml",
        "security/ir.model.access.csv",
        "security/qms_crm_evidence_rules.xml",
        "security/qms_crm_evidence_access_rules.xml",
        "data/qms_clause_data.xml",
        "report/qms_evidence_views.xml",
        "wizard/qms_clause_coverage_views.xml",
        "views/qms_clause_views.xml",
        "views/res_config_settings_views.xml",
        "data/qms_management_review_data.xml",
        "report/qms_management_review_report.xml",
        "views/qms_management_review_views.xml",
        "wizard/qms_evidence_pack_views.xml",
        "wizard/qms_evidence_integrity_views.xml",
        "views/qms_evidence_signing_key_views.xml",
        "views/qms_evidence_pack_log_views.xml",
        "views/qms_crm_evidence_menu_views.xml",
        "views/qms_management_review_menu_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "assets": {
        "web.assets_tests": ["qms_crm_evidence/static/tests/tours/**/*"],
    },
}
