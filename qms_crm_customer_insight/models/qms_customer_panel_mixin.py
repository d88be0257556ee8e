# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer 360 panel (ISO 9001 8.2.1 b): a read-only page on any record
that has a customer. The figures are computed by ``res.partner``."""

from odoo import api, fields, models


class QmsCustomerPanelMixin(models.AbstractModel):
    """A read-only "Customer 360" page on any record that has a customer."""

    _name = "qms.customer.panel.mixin"
    _description = "Customer 360 Panel"

    qms_customer_360_html = fields.Html(
        string="Customer 360",
        compute="_compute_qms_customer_360_html",
        sanitize=False,
        help="Open quotations and orders of the customer with their delivery, "
        "invoice and payment state, and open tickets and complaints, read "
        "live from Sales, Inventory, Invoicing and Helpdesk.",
    )

    # the field of a record that holds its customer (crm.lead, helpdesk.ticket:
    # partner_id): the panel follows it, also in a form before saving
    _qms_panel_partner_field = None

    def _qms_panel_customer(self):
        """The partner whose commercial entity the panel shows (hook)."""
        self.ensure_one()
        if self._qms_panel_partner_field:
            return self[self._qms_panel_partner_field]
        return self.env["res.partner"]

    # read with the user's rights and companies: never reuse another user's panel
    @api.depends(
        lambda self: (
            [self._qms_panel_partner_field] if self._qms_panel_partner_field else []
        )
    )
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_qms_customer_360_html(self):
        customers = {rec: rec._qms_panel_customer() for rec in self}
        partners = self.env["res.partner"].union(*customers.values())
        panels = partners._qms_customer_360_html_map()
        for rec in self:
            commercial = customers[rec].commercial_partner_id
            rec.qms_customer_360_html = panels.get(commercial.id, False)
