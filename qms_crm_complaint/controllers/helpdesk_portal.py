# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hardening of the customer portal of OCA helpdesk_mgmt and of sale orders.

The routes of helpdesk_mgmt and sale keep their URLs and their code: the
overrides below validate what a hostile customer may send, then call super().

- ``/ticket/close``: POST with CSRF only; only a ticket the user can read through
  the record rules, only to a stage meant for customers (``close_from_portal``)
  of the ticket's team and company; anything else is a 404/403, nothing written.
- ``/submitted/ticket``: POST with CSRF only; subject and description required;
  category, team, product and order validated against what this customer may
  use; a bad value shows the form again with a message (400), never a 500.
- ``/my/tickets``, ``/my/orders``, ``/my/quotes``: unknown sort, group, filter and
  search values fall back to the default; malformed dates are ignored with a
  notice.
- ``/my/ticket/<id>/<token>`` and ``/my/orders/<id>?access_token=``: a wrong
  token is a 404, for missing and foreign documents alike (stock redirects to
  /my). A malformed or non-ASCII token is a wrong one: that is decided once, for
  every portal document, by ``QmsCustomerPortal._document_check_access``.
- ``payment_amount`` on an order page: NaN, infinite or astronomic is ignored.

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

import math
import re

from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.sale.controllers.portal import CustomerPortal as SaleCustomerPortal

# PostgreSQL ids are 4-byte integers: a number beyond is no id
MAX_ID = 2**31 - 1
_ID_RE = re.compile(r"^[0-9]{1,10}$")
# no payment is anywhere near; beyond, currency conversion overflows
MAX_AMOUNT = 1e15
# control characters (NUL is refused earlier, by ir.http) and path separators
_BAD_FILENAME_RE = re.compile(r"[\x00-\x1f\x7f/\\]")


def qms_parse_id(value):
    """The positive database id in ``value`` (str or int), or None."""
    if isinstance(value, str) and _ID_RE.match(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    return None


def qms_date_range(date_begin, date_end):
    """(date_begin, date_end, invalid): the dates as ORM strings, or None.

    A value that is not a date is dropped and reported as invalid, so that the
    page can say why its dates were ignored.
    """
    invalid = False
    result = []
    for value in (date_begin, date_end):
        if value in (None, ""):
            result.append(None)
            continue
        try:
            parsed = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            parsed = None
        if parsed is None:
            invalid = True
        result.append(parsed and fields.Datetime.to_string(parsed))
    if invalid:
        return None, None, True
    return result[0], result[1], False


def _qms_invalid_dates_notice():
    return request.env._(
        "The dates in the address of this page are not valid dates: "
        "they have been ignored."
    )


def _qms_text(value):
    """A form value as stripped text ('' for anything that is not text)."""
    return value.strip() if isinstance(value, str) else ""


class QmsHelpdeskTicketController(HelpdeskTicketController):
    # ------------------------------------------------------------------
    # Closing a ticket from the portal
    # ------------------------------------------------------------------
    @http.route(methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Close the ticket: the user's own ticket, to a customer stage."""
        ticket = self._qms_ticket_to_close(ticket_id)
        wanted = qms_parse_id(stage_id)
        stage = self._qms_customer_close_stages(ticket).filtered(
            lambda s: s.id == wanted
        )
        if not wanted or not stage:
            raise Forbidden()
        if ticket.stage_id != stage:
            if ticket.stage_id.closed:
                raise Forbidden()
            # checked: helpdesk_mgmt moves it (sudo, the portal user stays the
            # author of the tracking message) and redirects to its page (302)
            return super().support_ticket_close(
                ticket_id=str(ticket.id), stage_id=str(stage.id)
            )
        # already there: nothing to write (helpdesk_mgmt would stamp the
        # closing date again); 302 to the ticket's own page as it does
        return request.redirect(f"/my/ticket/{ticket.id}", code=302)

    def _qms_ticket_to_close(self, ticket_id):
        """The ticket, if the current user reads it through the record rules.

        Missing and forbidden tickets answer the same 404: the answer does not
        tell which ticket ids exist.
        """
        number = qms_parse_id(ticket_id)
        if number is None or request.env.user._is_public():
            raise NotFound()
        ticket = request.env["helpdesk.ticket"].browse(number)
        try:
            if not ticket.exists():
                raise NotFound()
            ticket.check_access("read")
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
        return ticket

    def _qms_customer_close_stages(self, ticket):
        """The stages a customer may close this ticket to (as the portal shows)."""
        ticket_sudo = ticket.sudo()
        if ticket_sudo.team_id:
            stages = ticket_sudo.team_id._get_applicable_stages()
        else:
            stages = (
                request.env["helpdesk.ticket.stage"]
                .sudo()
                .search(
                    [
                        ("company_id", "in", [False, ticket_sudo.company_id.id]),
                        ("team_ids", "=", False),
                    ]
                )
            )
        return stages.filtered(lambda s: s.close_from_portal and s.closed)

    # ------------------------------------------------------------------
    # Submitting a ticket
    # ------------------------------------------------------------------
    @http.route(methods=["POST"], csrf=True)
    def submit_ticket(self, **kw):
        errors = self._qms_check_ticket_form(kw)
        if errors:
            # no super(): helpdesk_mgmt's route would create the ticket; the
            # form comes back with the errors instead
            values = self._get_create_new_ticket_values(**kw)
            values.update(
                {
                    "qms_errors": errors,
                    "qms_form": {
                        key: _qms_text(kw.get(key))
                        for key in (
                            "subject",
                            "description",
                            "category",
                            "team",
                            "qms_feedback_kind",
                            "sale_order_id",
                            "product_id",
                        )
                    },
                }
            )
            return request.render(
                "helpdesk_mgmt.portal_create_ticket", values, status=400
            )
        return super().submit_ticket(**kw)

    def _qms_ticket_form_relations(self):
        """Optional id fields of the ticket form: {form name: (model, allowed)}.

        ``allowed(record)`` says whether this customer may use the record; a
        model of None: the portal does not offer the field, its value is
        ignored (as stock helpdesk_mgmt ignores a team it does not offer; a
        category it does not offer was used as is, even another company's).
        Category and team are helpdesk_mgmt's; product and order are sent by
        forms that link a ticket to what the customer bought.
        """
        company = request.env.user.company_id
        categories = self._get_categories()
        teams = self._get_teams() or request.env["helpdesk.ticket.team"]
        return {
            "category": (
                "helpdesk.ticket.category"
                if company.helpdesk_mgmt_portal_select_category
                else None,
                lambda r: r in categories,
            ),
            "team": (
                "helpdesk.ticket.team"
                if company.helpdesk_mgmt_portal_select_team
                else None,
                lambda r: r in teams,
            ),
            "product_id": ("product.product", self._qms_customer_product),
            "sale_order_id": ("sale.order", self._qms_customer_order),
        }

    def _qms_customer_product(self, product):
        """A product of a sale order line this customer can read."""
        return bool(
            request.env["sale.order.line"].search_count(
                [("product_id", "=", product.id)], limit=1
            )
        )

    def _qms_customer_order(self, order):
        return order.exists() and order.has_access("read")

    def _qms_check_ticket_form(self, kw):
        """Validate and normalise the form in place; return the error messages."""
        _ = request.env._
        errors = []
        subject = _qms_text(kw.get("subject"))
        description = _qms_text(kw.get("description"))
        if not subject:
            errors.append(_("Please enter a subject for your ticket."))
        if not description:
            errors.append(_("Please describe your request."))
        kw.update(subject=subject, description=description)

        messages = {
            "category": (
                _("Please choose a category."),
                _("The selected category is not available."),
            ),
            "team": (
                _("Please choose a team."),
                _("The selected team is not available."),
            ),
            "product_id": (None, _("The selected product is not available.")),
            "sale_order_id": (None, _("The selected order is not available.")),
        }
        company = request.env.company
        required = {
            "category": company.helpdesk_mgmt_portal_category_id_required
            and bool(self._get_categories()),
            "team": company.helpdesk_mgmt_portal_team_id_required
            and bool(self._get_teams()),
        }
        for name, (model, allowed) in self._qms_ticket_form_relations().items():
            missing_message, invalid_message = messages.get(
                name, (None, _("A selected value is not available."))
            )
            value = kw.get(name)
            if model is None:
                kw.pop(name, None)
                continue
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                kw.pop(name, None)
                if required.get(name) and missing_message:
                    errors.append(missing_message)
                continue
            number = qms_parse_id(value)
            record = request.env[model].browse(number) if number else None
            if not record or not record.exists() or not allowed(record):
                errors.append(invalid_message)
                continue
            kw[name] = str(number)

        for upload in request.httprequest.files.getlist("attachment"):
            if upload.filename and (
                _BAD_FILENAME_RE.search(upload.filename) or len(upload.filename) > 255
            ):
                errors.append(_("The name of an attached file is not valid."))
                break
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


class QmsCustomerPortalHelpdesk(CustomerPortalHelpdesk, SaleCustomerPortal):
    # ------------------------------------------------------------------
    # Ticket list: only known sort/group/filter/search values, valid dates
    # ------------------------------------------------------------------
    @http.route()
    def portal_my_tickets(
        self,
        page=1,
        date_begin=None,
        date_end=None,
        sortby=None,
        filterby=None,
        search=None,
        search_in=None,
        groupby=None,
        **kw,
    ):
        if sortby not in self._ticket_get_searchbar_sortings():
            sortby = None
        if groupby not in self._ticket_get_searchbar_groupby():
            groupby = None
        if search_in not in self._ticket_get_searchbar_inputs():
            search_in = None
        if not isinstance(search, str):
            search = None
        stage_id = qms_parse_id(filterby)
        if filterby != "all" and not (
            stage_id
            and str(stage_id) == filterby
            and request.env["helpdesk.ticket.stage"].search_count(
                [("id", "=", stage_id)]
            )
        ):
            filterby = None
        date_begin, date_end, invalid_dates = qms_date_range(date_begin, date_end)
        response = super().portal_my_tickets(
            page=page,
            date_begin=date_begin,
            date_end=date_end,
            sortby=sortby,
            filterby=filterby,
            search=search,
            search_in=search_in,
            groupby=groupby,
            **kw,
        )
        if invalid_dates and hasattr(response, "qcontext"):
            response.qcontext["qms_portal_notice"] = _qms_invalid_dates_notice()
        return response

    # ------------------------------------------------------------------
    # Order and quotation lists (sale)
    # ------------------------------------------------------------------
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
        date_begin, date_end, invalid_dates = qms_date_range(date_begin, date_end)
        values = super()._prepare_sale_portal_rendering_values(
            page=page,
            date_begin=date_begin,
            date_end=date_end,
            sortby=sortby,
            quotation_page=quotation_page,
            **kwargs,
        )
        if invalid_dates:
            values["qms_portal_notice"] = _qms_invalid_dates_notice()
        return values

    @staticmethod
    def _cast_as_float(str_value):
        """NaN, infinity and astronomic numbers are not amounts
        (``payment_amount=nan`` or ``1e308`` on an order page was a 500 in the
        currency conversion and rounding)."""
        # a static method: super() with the class named, Odoo's MRO kept
        value = super(
            QmsCustomerPortalHelpdesk, QmsCustomerPortalHelpdesk
        )._cast_as_float(str_value)
        if value is None or not math.isfinite(value) or abs(value) > MAX_AMOUNT:
            return None
        return value

    # ------------------------------------------------------------------
    # Documents opened with a token: a wrong token is a 404, not a redirect
    # ------------------------------------------------------------------
    def _qms_check_token_or_404(self, model_name, document_id, access_token):
        if not access_token:
            return
        try:
            self._document_check_access(model_name, document_id, access_token)
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        self._qms_check_token_or_404("helpdesk.ticket", ticket_id, access_token)
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    @http.route()
    def portal_order_page(self, order_id, access_token=None, **kw):
        self._qms_check_token_or_404("sale.order", order_id, access_token)
        return super().portal_order_page(order_id, access_token=access_token, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # close buttons only for who may close: a reader through the record
        # rules (not a visitor with the link), on an open ticket
        user = request.env.user
        values["qms_can_close_ticket"] = (
            not user._is_public()
            and not ticket.closed
            and ticket.with_user(user).has_access("read")
        )
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

    def _qms_answer(self, ticket_id, access_token, answer):
        ticket_sudo = self._qms_answer_ticket(ticket_id, access_token)
        user = request.env.user
        # the visitor with the mailed link answers as the ticket's contact
        author = ticket_sudo.partner_id if user._is_public() else user.partner_id
        try:
            answer(ticket_sudo.with_user(user).sudo(), author)
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
        return self._qms_answer(
            ticket_id,
            access_token,
            lambda ticket, author: ticket._qms_customer_confirm(author),
        )

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
        return self._qms_answer(
            ticket_id,
            access_token,
            lambda ticket, author: ticket._qms_customer_reject(reason, author),
        )
