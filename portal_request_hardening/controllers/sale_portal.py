# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hardening of the sale order pages of the customer portal.

- ``/my/orders``, ``/my/quotes``: an unknown sort value falls back to the
  default; malformed dates are ignored with a notice.
- ``/my/orders/<id>?access_token=``: a wrong token is a 404, for missing and
  foreign orders alike (stock redirects to /my).
- ``payment_amount`` on an order page: NaN, infinite or astronomic is ignored.
"""

import math

from odoo import http

from odoo.addons.sale.controllers.portal import CustomerPortal as SaleCustomerPortal

from .portal import HardenedCustomerPortal
from .utils import invalid_dates_notice, parse_date_range

# no payment is anywhere near; beyond, currency conversion overflows
MAX_AMOUNT = 1e15


class HardenedSaleCustomerPortal(SaleCustomerPortal, HardenedCustomerPortal):
    def _prepare_sale_portal_rendering_values(
        self,
        page=1,
        date_begin=None,
        date_end=None,
        sortby=None,
        quotation_page=False,
        **kwargs,
    ):
        if sortby not in self._get_sale_searchbar_sortings():
            sortby = None
        date_begin, date_end, invalid_dates = parse_date_range(date_begin, date_end)
        values = super()._prepare_sale_portal_rendering_values(
            page=page,
            date_begin=date_begin,
            date_end=date_end,
            sortby=sortby,
            quotation_page=quotation_page,
            **kwargs,
        )
        if invalid_dates:
            values["portal_list_notice"] = invalid_dates_notice()
        return values

    @staticmethod
    def _cast_as_float(str_value):
        """NaN, infinity and astronomic numbers are not amounts
        (``payment_amount=nan`` or ``1e308`` on an order page was a 500 in the
        currency conversion and rounding)."""
        # a static method: super() with the class named, Odoo's MRO kept
        value = super(
            HardenedSaleCustomerPortal, HardenedSaleCustomerPortal
        )._cast_as_float(str_value)
        if value is None or not math.isfinite(value) or abs(value) > MAX_AMOUNT:
            return None
        return value

    @http.route()
    def portal_order_page(self, order_id, access_token=None, **kw):
        self._document_check_token_or_404("sale.order", order_id, access_token)
        return super().portal_order_page(order_id, access_token=access_token, **kw)
