# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Recalls through Manufacturing",
    "summary": "Recall scope follows recalled component lots into the finished "
    "goods made from them (ISO 9001 8.7.1 c)",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Manufacturing",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["qms_crm_recall", "mrp"],
    "data": [],
    "demo": ["demo/qms_recall_mrp_demo.xml"],
}
