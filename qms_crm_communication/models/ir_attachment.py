# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _qms_product_datasheets(self, products):
        """Files attached to the products (and their templates) that can be sent
        to customers (8.2.1 a): active product documents and plain attachments
        of the product forms; archived product documents are left out."""
        products = products.sudo()
        templates = products.product_tmpl_id
        if not products:
            return self.browse()
        domain = [
            ("type", "=", "binary"),
            "|",
            "&",
            ("res_model", "=", "product.template"),
            ("res_id", "in", templates.ids),
            "&",
            ("res_model", "=", "product.product"),
            ("res_id", "in", products.ids),
        ]
        attachments = self.sudo().search(domain, order="res_id, name")
        archived = (
            self.env["product.document"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("active", "=", False),
                    ("ir_attachment_id", "in", attachments.ids),
                ]
            )
        )
        return attachments - archived.ir_attachment_id
