# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "qms.customer.panel.mixin"]

    @api.depends("partner_id")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_qms_customer_360_html(self):
        # refreshed in the form as soon as the customer is chosen
        return super()._compute_qms_customer_360_html()

    def _qms_panel_customer(self):
        self.ensure_one()
        return self.partner_id
