# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.qms_communication import SOURCE_MODELS


class QmsProductInfo(models.TransientModel):
    """Send product information (datasheets attached to products) to a
    customer in one action (ISO 9001 8.2.1 a): choose the products, then
    the mail composer opens with their datasheets attached; the sent mail
    is logged as a communication."""

    _name = "qms.product.info"
    _description = "Send Product Information"

    res_model = fields.Selection(SOURCE_MODELS, string="Document Model", required=True)
    res_id = fields.Integer(string="Document ID", required=True)
    partner_id = fields.Many2one("res.partner", string="Send to", required=True)
    product_ids = fields.Many2many("product.product", string="Products")
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Datasheets", compute="_compute_attachment_ids"
    )

    @api.depends("product_ids")
    def _compute_attachment_ids(self):
        Attachment = self.env["ir.attachment"]
        for wizard in self:
            wizard.attachment_ids = Attachment._qms_product_datasheets(
                wizard.product_ids
            )

    @api.model
    def _qms_open_for(self, record):
        partner = self.env["qms.communication.rule"]._qms_record_partner(record)
        if not partner:
            raise UserError(
                _(
                    "%s has no customer to send product information to.",
                    record.display_name,
                )
            )
        products = self.env["qms.communication.rule"]._qms_record_products(record)
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Product Information"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": record._name,
                "default_res_id": record.id,
                "default_partner_id": partner.id,
                "default_product_ids": [Command.set(products.ids)],
            },
        }

    def action_compose(self):
        """Open the mail composer on the document, with copies of the
        datasheets attached."""
        self.ensure_one()
        if not self.product_ids:
            raise UserError(_("Choose the products to send information about."))
        datasheets = self.attachment_ids
        if not datasheets:
            raise UserError(
                _(
                    "The chosen products have no datasheets: attach documents to "
                    "the products first."
                )
            )
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(_("The document no longer exists."))
        record.check_access("read")
        copies = self.env["ir.attachment"]
        for attachment in datasheets.sudo():
            copies |= attachment.copy(
                {"res_model": "mail.compose.message", "res_id": 0}
            )
        names = ", ".join(self.product_ids.mapped("display_name"))
        body = Markup("<p>%s</p><p>%s</p>") % (
            _("Dear customer,"),
            _("please find attached the product information for: %s.", names),
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Product Information"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": record._name,
                "default_res_ids": record.ids,
                "default_composition_mode": "comment",
                "default_partner_ids": [Command.set(self.partner_id.ids)],
                "default_subject": _("Product information: %s", names),
                "default_body": body,
                "default_attachment_ids": [Command.set(copies.ids)],
                # travels through the client: only names what to log, the
                # values of the log are the server's (_qms_log_sent)
                "qms_comm_log": "product_info",
            },
        }

    @api.model
    def _qms_log_sent(self, messages):
        """Log the product information mails sent from the composer as
        communications (topic "Product information", clause 8.2.1 a)."""
        topic = self.env.ref(
            "qms_crm_communication.qms_communication_topic_product_info"
        )
        return self.env["qms.communication"]._qms_log_messages(
            messages, {"topic_id": topic.id, "clause_codes": ["8.2.1 a)"]}
        )
