# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Quality CRM (ISO 9001 customer requirements)",
    "summary": "ISO 9001:2015 for customers in Odoo: requirements and their review, "
    "communication, complaints, customer property, personal data, Customer 360 "
    "and management review (installs every Quality CRM addon)",
    "version": "19.0.2.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/qms-crm/qms_crm",
    "author": "QMS CRM contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "qms_crm_evidence",
        "qms_crm_requirement",
        "qms_crm_communication",
        "qms_crm_complaint",
        "qms_crm_property",
        "qms_crm_privacy",
        "qms_crm_customer_insight",
    ],
    "data": [],
    "demo": [
        "demo/qms_requirement_demo.xml",
        "demo/qms_customer_risk_demo.xml",
        "demo/qms_communication_demo.xml",
        "demo/qms_complaint_demo.xml",
        "demo/qms_customer_alert_demo.xml",
        "demo/qms_property_demo.xml",
        "demo/qms_management_review_demo.xml",
    ],
}
