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
    qms_communication_count = fields.Integer(
        compute="_compute_qms_communication_count", string="Communications"
    )

    def _compute_qms_communication_count(self):
        counts = self.env["qms.communication"]._qms_count_by_document(self)
        for record in self:
            record.qms_communication_count = counts.get(record.id, 0)

    def action_qms_view_communications(self):
        self.ensure_one()
        return self.env["qms.communication"]._qms_action_for_document(self)

    def action_qms_log_communication(self):
        self.ensure_one()
        return self.env["qms.communication.log"]._qms_open_for(self)

    def action_qms_send_product_info(self):
        self.ensure_one()
        return self.env["qms.product.info"]._qms_open_for(self)

    # <<< COMM
    # >>> CPL: complaints (issue 4b)
    # <<< CPL
    # >>> C360: customer 360, alerts, ABC (issue 4c)
    # <<< C360
    # >>> PROP: property, personal data (issue 5)
    # <<< PROP
