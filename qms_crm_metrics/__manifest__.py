# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Customer Metrics",
    "summary": "Retention, churn, repeat purchase, OTIF, complaint rate, first-contact "
    "resolution, NPS/CSAT/CES, recovery success and paradox, cost of poor quality "
    "per revenue: set-based, per period and dimension (ISO 9001 9.1)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_survey",
        "qms_crm_customer_insight",
        "sale_stock",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_crm_metrics_rules.xml",
        "data/qms_metric_data.xml",
        "views/qms_metric_value_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
