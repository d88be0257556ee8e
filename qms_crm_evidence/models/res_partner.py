# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _qms_count_per_customer(self, model_name, field="partner_id"):
        """{commercial partner id: number of ``model_name`` records} for the
        customers of self, whose ``field`` is any contact of the customer; with
        the user's rights ({} when the user may not read the model). One
        grouped query: the smart buttons of every Quality CRM addon use it."""
        Model = self.env[model_name]
        commercial = self.commercial_partner_id
        if not commercial.ids or not Model.has_access("read"):
            return {}
        per = {}
        for partner, count in Model._read_group(
            [(f"{field}.commercial_partner_id", "in", commercial.ids)],
            [field],
            ["__count"],
        ):
            cid = partner.commercial_partner_id.id
            per[cid] = per.get(cid, 0) + count
        return per

    def _qms_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        commercial = self.commercial_partner_id
        action["domain"] = [("partner_id", "child_of", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action
