# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Quality Objectives",
    "summary": "Customer-focus quality objectives with targets per segment, team or "
    "person, measured every period, status and roll-up, in the management review "
    "(ISO 9001 6.2, 9.1.3)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_metrics",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_objective_rules.xml",
        "data/qms_objective_data.xml",
        "views/qms_quality_objective_views.xml",
        "views/qms_quality_objective_result_views.xml",
        "views/qms_crm_objective_menu_views.xml",
    ],
    "demo": [
        "demo/qms_quality_objective_demo.xml",
    ],
}
