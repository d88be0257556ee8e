# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "qms.communication.mixin"]

    qms_is_first_order = fields.Boolean(
        compute="_compute_qms_is_first_order",
        string="First Order of the Customer",
        help="No other order of this customer is confirmed.",
    )

    def _compute_qms_is_first_order(self):
        commercial = self.partner_id.commercial_partner_id
        rows = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", commercial.ids),
                    ("state", "=", "sale"),
                ],
                ["partner_id"],
                ["id:array_agg"],
            )
            if commercial
            else []
        )
        confirmed = {}
        for partner, ids in rows:
            confirmed.setdefault(partner.commercial_partner_id.id, set()).update(ids)
        for order in self:
            others = confirmed.get(order.partner_id.commercial_partner_id.id, set()) - {
                order.id
            }
            order.qms_is_first_order = not others

    def _qms_host_notice_template(self, rule):
        """Sale mails its own order confirmation when the order is confirmed
        with ``send_email`` (online payment, portal signature, eCommerce):
        a rule that mails on entering the "sale" state yields to it."""
        template = super()._qms_host_notice_template(rule)
        if (
            rule.trigger == "state"
            and self.state == "sale"
            and self.env.context.get("send_email")
        ):
            template = self._get_confirmation_template() or template
        return template
