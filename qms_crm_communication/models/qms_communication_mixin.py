# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsCommunicationMixin(models.AbstractModel):
    """Communications button and actions on a document that has a customer
    (opportunity, order, delivery, ticket, customer): the history of what was
    communicated about it (ISO 9001 7.4) and the actions to add to it."""

    _name = "qms.communication.mixin"
    _description = "Customer Communications of a Document"

    qms_communication_count = fields.Integer(
        compute="_compute_qms_communication_count", string="Communications"
    )

    def _compute_qms_communication_count(self):
        counts = self.env["qms.communication"]._qms_count_by_document(self)
        for record in self:
            record.qms_communication_count = counts.get(record.id, 0)

    def _qms_host_notice_template(self, rule):
        """The mail template with which the host application (Sale, Helpdesk...)
        itself mails the customer about the event ``rule`` answers on this
        record, in this very transaction; an empty recordset when it does not.
        A mail rule then yields: the customer gets one mail, not two."""
        self.ensure_one()
        return self.env["mail.template"]

    def action_qms_view_communications(self):
        self.ensure_one()
        return self.env["qms.communication"]._qms_action_for_document(self)

    def action_qms_log_communication(self):
        self.ensure_one()
        return self.env["qms.communication.log"]._qms_open_for(self)

    def action_qms_send_product_info(self):
        self.ensure_one()
        return self.env["qms.product.info"]._qms_open_for(self)
