# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints on the customer portal of OCA helpdesk_mgmt.

The routes of helpdesk_mgmt keep their URLs and their code. Their generic
hardening (ticket close and submission, ticket list, tokens) is the addon
portal_request_hardening's: the classes below build on it through super().

Complaints (issue 4b) extend the same routes:

- ``/new/ticket`` offers the feedback kind and the customer's own confirmed
  orders and ordered products; ``/submitted/ticket`` checks the kind, and that
  a chosen product is on the chosen order (clear message, 400, otherwise), and
  stores them on the ticket (channel: portal).
- ``/my/ticket/<id>`` shows the complaint's reference, status, playbook
  timeline and resolution, and, while the resolution awaits the customer,
  buttons to confirm or reject it.
- ``/my/ticket/<id>/qms/confirm`` and ``/qms/reject``: POST with CSRF; the
  ticket is checked like its page (record rules, or its portal token from the
  mail): any other ticket or a wrong token is a 404; a ticket that does not
  await an answer, or a rejection without a reason, shows the page again with
  the message (400).
"""

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal_request_hardening.controllers.helpdesk_portal import (
    HardenedCustomerPortalHelpdesk,
    HardenedHelpdeskTicketController,
)
from odoo.addons.portal_request_hardening.controllers.utils import (
    form_text as _qms_text,
)
from odoo.addons.portal_request_hardening.controllers.utils import (
    parse_id as qms_parse_id,
)


class QmsHelpdeskTicketController(HardenedHelpdeskTicketController):
    # ------------------------------------------------------------------
    # Submitting a ticket: order and product of the customer, complaint kind
    # ------------------------------------------------------------------
    def _ticket_form_relations(self):
        """Product and order: sent by forms that link a ticket to what the
        customer bought."""
        _ = request.env._
        relations = super()._ticket_form_relations()
        relations.update(
            {
                "product_id": (
                    "product.product",
                    self._qms_customer_product,
                    _("The selected product is not available."),
                    None,
                ),
                "sale_order_id": (
                    "sale.order",
                    self._qms_customer_order,
                    _("The selected order is not available."),
                    None,
                ),
            }
        )
        return relations

    def _qms_customer_product(self, product):
        """A product of a sale order line this customer can read."""
        return bool(
            request.env["sale.order.line"].search_count(
                [("product_id", "=", product.id)], limit=1
            )
        )

    def _qms_customer_order(self, order):
        return order.exists() and order.has_access("read")

    def _ticket_form_errors(self, kw):
        errors = super()._ticket_form_errors(kw)
        errors += self._qms_check_complaint_form(kw)
        return errors

    # ------------------------------------------------------------------
    # Complaints: kind, order and product of the new ticket form
    # ------------------------------------------------------------------
    def _qms_portal_kinds(self):
        return (
            request.env["helpdesk.ticket"]
            ._fields["qms_feedback_kind"]
            ._description_selection(request.env)
        )

    def _qms_portal_orders(self):
        """The customer's confirmed orders, newest first (record rules)."""
        return request.env["sale.order"].search(
            [("state", "=", "sale")], order="date_order desc, id desc", limit=100
        )

    def _qms_portal_products(self, orders):
        """Products of the customer's order lines (the lines are read under
        the record rules; the names with sudo: portal users do not read
        products)."""
        return (
            request.env["sale.order.line"]
            .search(
                [("order_id", "in", orders.ids), ("product_id", "!=", False)],
                limit=500,
            )
            .product_id.sudo()
        )

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        orders = self._qms_portal_orders()
        values.update(
            qms_kinds=self._qms_portal_kinds(),
            qms_orders=orders,
            qms_products=self._qms_portal_products(orders),
        )
        return values

    def _qms_check_complaint_form(self, kw):
        """Kind known; a chosen product on the chosen order (kw normalised)."""
        _ = request.env._
        errors = []
        kind = _qms_text(kw.get("qms_feedback_kind"))
        if kind and kind not in dict(self._qms_portal_kinds()):
            errors.append(_("Please choose what your message is about from the list."))
        kw["qms_feedback_kind"] = kind
        order_id = qms_parse_id(kw.get("sale_order_id"))
        product_id = qms_parse_id(kw.get("product_id"))
        if order_id and product_id and not errors:
            on_order = request.env["sale.order.line"].search_count(
                [("order_id", "=", order_id), ("product_id", "=", product_id)],
                limit=1,
            )
            if not on_order:
                errors.append(_("The selected product is not on the selected order."))
        return errors

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        # forward a validated product/order when an addon links tickets to them
        ticket_fields = request.env["helpdesk.ticket"]._fields
        for name in ("product_id", "sale_order_id"):
            number = qms_parse_id(kw.get(name))
            if number and name in ticket_fields:
                vals[name] = number
        # complaints: what the customer chose, validated by _qms_check_ticket_form
        kind = kw.get("qms_feedback_kind")
        if kind in dict(self._qms_portal_kinds()):
            vals["qms_feedback_kind"] = kind
        order_id = qms_parse_id(kw.get("sale_order_id"))
        product_id = qms_parse_id(kw.get("product_id"))
        if order_id:
            vals["qms_sale_order_id"] = order_id
        if product_id:
            vals["qms_product_id"] = product_id
        vals["qms_channel"] = "portal"
        return vals


class QmsCustomerPortalHelpdesk(HardenedCustomerPortalHelpdesk):
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # complaints: the customer answers the resolution (reader or token)
        values["qms_can_answer"] = ticket.qms_confirmation_state == "pending"
        values["qms_access_token"] = access_token or ""
        values["qms_playbook"] = self._qms_playbook(ticket)
        return values

    def _qms_playbook(self, ticket):
        """The playbook steps the customer sees: (label, datetime or False)."""
        if not ticket.qms_is_complaint:
            return []
        _ = request.env._
        return [
            (_("Received"), ticket.qms_received_date or ticket.create_date),
            (_("Acknowledged"), ticket.qms_acknowledged_date),
            (_("Apologised"), ticket.qms_apologised_date),
            (_("Resolved"), ticket.qms_resolved_date),
            (_("Compensated"), ticket.qms_compensated_date),
            (_("Followed up"), ticket.qms_followed_up_date),
        ]

    def _qms_answer_ticket(self, ticket_id, access_token):
        """The ticket the visitor may answer for: as its page, else 404."""
        number = qms_parse_id(ticket_id)
        if number is None:
            raise NotFound()
        token = access_token if isinstance(access_token, str) and access_token else None
        try:
            return self._document_check_access(
                "helpdesk.ticket", number, access_token=token
            )
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc

    def _qms_answer(self, ticket_id, access_token, confirm, reason=None):
        ticket_sudo = self._qms_answer_ticket(ticket_id, access_token)
        try:
            # only the customer answers: their portal user or the mailed link
            ticket_sudo.with_user(request.env.user)._qms_portal_answer(
                confirm,
                access_token=access_token,
                ip=request.httprequest.remote_addr,
                reason=reason,
            )
        except AccessError as exc:
            raise Forbidden() from exc
        except UserError as exc:
            # the model checks before it writes anything
            values = self._ticket_get_page_view_values(ticket_sudo, access_token)
            values["qms_error"] = exc.args[0]
            return request.render(
                "helpdesk_mgmt.portal_helpdesk_ticket_page", values, status=400
            )
        url = f"/my/ticket/{ticket_sudo.id}"
        if access_token:
            url += f"/{access_token}"
        return request.redirect(url, code=303)

    @http.route(
        "/my/ticket/<int:ticket_id>/qms/confirm",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def qms_ticket_confirm(self, ticket_id, access_token=None, **kw):
        """The customer confirms the resolution of their complaint."""
        return self._qms_answer(ticket_id, access_token, True)

    @http.route(
        "/my/ticket/<int:ticket_id>/qms/reject",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def qms_ticket_reject(self, ticket_id, access_token=None, reason=None, **kw):
        """The customer rejects the resolution: the complaint is reopened."""
        return self._qms_answer(ticket_id, access_token, False, reason=reason)
