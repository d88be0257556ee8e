# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Improvement Loop",
    "summary": "Nonconformities and corrective actions (OCA mgmtsystem) raised from "
    "complaints, root causes, complaint patterns and missed objectives; customers "
    "told what changed (ISO 9001 10.2, 7.4)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_objective",
        "mgmtsystem_nonconformity",
        "mgmtsystem_action",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_improvement_rules.xml",
        "data/qms_improvement_data.xml",
        "views/mgmtsystem_nonconformity_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/qms_quality_objective_views.xml",
        "views/qms_complaint_pattern_views.xml",
        "views/res_config_settings_views.xml",
        "views/qms_crm_improvement_menu_views.xml",
    ],
    "demo": [
        "demo/qms_improvement_demo.xml",
    ],
}
