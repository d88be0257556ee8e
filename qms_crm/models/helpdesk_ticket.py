# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

FEEDBACK_KINDS = [
    ("complaint", "Complaint"),
    ("enquiry", "Enquiry"),
    ("suggestion", "Suggestion"),
    ("compliment", "Compliment"),
    ("warranty", "Warranty / Return"),
]
FEEDBACK_CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("portal", "Portal"),
    ("web_form", "Web Form"),
    ("in_person", "In Person"),
    ("social", "Social Media"),
]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Classification shared by complaints (4b), the customer 360 panel and
    # alerts (4c) and the survey addon (detractor recovery).
    qms_feedback_kind = fields.Selection(
        FEEDBACK_KINDS, string="Feedback Kind", index=True, tracking=True
    )
    qms_channel = fields.Selection(
        FEEDBACK_CHANNELS, string="Received via", index=True, tracking=True
    )
    qms_severity = fields.Selection(
        SEVERITIES, string="Severity", default="medium", index=True, tracking=True
    )
    qms_sale_order_id = fields.Many2one(
        "sale.order", string="Sale Order", index="btree_not_null", tracking=True
    )
    qms_picking_id = fields.Many2one(
        "stock.picking", string="Delivery", index="btree_not_null", tracking=True
    )
    qms_product_id = fields.Many2one(
        "product.product", string="Product", index="btree_not_null", tracking=True
    )
    qms_lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial Number", index="btree_not_null", tracking=True
    )

    # >>> COMM: communication rules (issue 4a)
    # <<< COMM
    # >>> CPL: complaints (issue 4b)
    # <<< CPL
    # >>> C360: customer 360, alerts, ABC (issue 4c)
    # <<< C360
    # >>> PROP: property, personal data (issue 5)
    # <<< PROP
