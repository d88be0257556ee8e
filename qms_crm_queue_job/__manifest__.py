# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM: Bulk Work as Queue Jobs",
    "summary": "Mail delivery and other bulk work of Quality CRM run as OCA queue_job "
    "jobs on named channels, shared by several Odoo nodes",
    "version": "19.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["qms_crm_communication", "queue_job"],
    "data": ["data/queue_job_data.xml"],
}
