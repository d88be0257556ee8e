# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Portal Request Hardening",
    "summary": "Hostile portal requests answered 4xx, not 500: NUL bytes, OPTIONS, "
    "bad CSRF and access tokens; helpdesk_mgmt ticket close and submit, "
    "portal list and order pages",
    "version": "19.0.1.0.0",
    "category": "Website/Website",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "application": False,
    "installable": True,
    "depends": ["portal", "helpdesk_mgmt", "sale"],
    "pre_init_hook": "pre_init_hook",
    "data": [
        "views/portal_templates.xml",
        "views/helpdesk_portal_templates.xml",
    ],
}
