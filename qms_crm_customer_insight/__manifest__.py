# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Customer 360",
    "summary": "Customer 360 panel, ABC classification, proactive customer alerts and "
    "duplicate warning (ISO 9001 8.2.1)",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "qms_crm_complaint",
        "sale_stock",
        "account",
    ],
    "data": [
        "views/res_config_settings_views.xml",
        "data/qms_customer_alert_data.xml",
        "views/qms_customer_panel_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
}
