# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _qms_customer_360_data(self):
        data = super()._qms_customer_360_data()
        if not data:
            return data
        customers = list(data)
        for values in data.values():
            values.update(warranties=[], visits=[], can_see_service=False)
        Warranty = self.env["qms.warranty"]
        Visit = self.env["qms.installation"]
        if not (Warranty.has_access("read") and Visit.has_access("read")):
            return data
        for values in data.values():
            values["can_see_service"] = True
        for warranty in Warranty.search(
            [("partner_id", "in", customers)], order="date_end desc", limit=200
        ):
            data[warranty.partner_id.id]["warranties"].append(warranty)
        for visit in Visit.search(
            [("partner_id", "child_of", customers)],
            order="planned_date desc",
            limit=200,
        ):
            customer = visit.partner_id.commercial_partner_id.id
            if customer in data:
                data[customer]["visits"].append(visit)
        return data
