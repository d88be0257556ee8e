# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Process Templates for Website Leads",
    "summary": "A request from the website's contact form lands in the first "
    "stage of its sales team's process template, with that stage's tasks "
    "(ISO 9001 8.2.1)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["qms_crm_process", "website_crm"],
    "data": [],
    "demo": ["demo/website_demo.xml"],
}
