# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hardening of the customer portal of OCA helpdesk_mgmt.

The routes of helpdesk_mgmt keep their URLs and their code: the overrides
below validate what a hostile customer may send, then call super().

- ``/ticket/close``: POST with CSRF only; only a ticket the user can read through
  the record rules, only to a stage meant for customers (``close_from_portal``)
  of the ticket's team and company; anything else is a 404/403, nothing written.
- ``/submitted/ticket``: POST with CSRF only; subject and description required;
  category and team validated against what the portal offers this customer;
  file names without control characters; a bad value shows the form again
  with a message (400), never a 500. Addons that add fields to the form extend
  ``_ticket_form_relations`` (ids) and ``_ticket_form_errors`` (anything else).
- ``/my/tickets``: unknown sort, group, filter and search values fall back to
  the default; malformed dates are ignored with a notice.
- ``/my/ticket/<id>/<token>``: a wrong token is a 404, for missing and foreign
  tickets alike (stock redirects to /my).
"""

import re

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

from .portal import HardenedCustomerPortal
from .utils import form_text, invalid_dates_notice, parse_date_range, parse_id

# control characters (NUL is refused earlier, by ir.http) and path separators
_BAD_FILENAME_RE = re.compile(r"[\x00-\x1f\x7f/\\]")


class HardenedHelpdeskTicketController(HelpdeskTicketController):
    # ------------------------------------------------------------------
    # Closing a ticket from the portal
    # ------------------------------------------------------------------
    @http.route(methods=["POST"], csrf=True)
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Close the ticket: the user's own ticket, to a customer stage."""
        ticket = self._ticket_to_close(ticket_id)
        wanted = parse_id(stage_id)
        stage = self._ticket_close_stages(ticket).filtered(lambda s: s.id == wanted)
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

    def _ticket_to_close(self, ticket_id):
        """The ticket, if the current user reads it through the record rules.

        Missing and forbidden tickets answer the same 404: the answer does not
        tell which ticket ids exist.
        """
        number = parse_id(ticket_id)
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

    def _ticket_close_stages(self, ticket):
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
        errors = self._ticket_form_errors(kw)
        if errors:
            # no super(): helpdesk_mgmt's route would create the ticket; the
            # form comes back with the errors instead
            values = self._get_create_new_ticket_values(**kw)
            values.update(
                {
                    "ticket_form_errors": errors,
                    # what the customer typed, shown again (escaped by QWeb)
                    "ticket_form": {
                        key: form_text(value)
                        for key, value in kw.items()
                        if key != "csrf_token" and isinstance(value, str)
                    },
                }
            )
            return request.render(
                "helpdesk_mgmt.portal_create_ticket", values, status=400
            )
        return super().submit_ticket(**kw)

    def _ticket_form_relations(self):
        """Id fields of the ticket form.

        ``{form name: (model, allowed, invalid message, missing message)}``:
        ``allowed(record)`` says whether this customer may use the record; a
        model of None: the portal does not offer the field, its value is
        ignored (as stock helpdesk_mgmt ignores a team it does not offer; a
        category it does not offer was used as is, even another company's);
        a missing message: the field is required.
        """
        _ = request.env._
        company = request.env.user.company_id
        categories = self._get_categories()
        teams = self._get_teams() or request.env["helpdesk.ticket.team"]
        current = request.env.company
        return {
            "category": (
                "helpdesk.ticket.category"
                if company.helpdesk_mgmt_portal_select_category
                else None,
                lambda r: r in categories,
                _("The selected category is not available."),
                _("Please choose a category.")
                if current.helpdesk_mgmt_portal_category_id_required and categories
                else None,
            ),
            "team": (
                "helpdesk.ticket.team"
                if company.helpdesk_mgmt_portal_select_team
                else None,
                lambda r: r in teams,
                _("The selected team is not available."),
                _("Please choose a team.")
                if current.helpdesk_mgmt_portal_team_id_required and teams
                else None,
            ),
        }

    def _ticket_form_errors(self, kw):
        """Validate and normalise the form in place; return the error messages."""
        _ = request.env._
        errors = []
        subject = form_text(kw.get("subject"))
        description = form_text(kw.get("description"))
        if not subject:
            errors.append(_("Please enter a subject for your ticket."))
        if not description:
            errors.append(_("Please describe your request."))
        kw.update(subject=subject, description=description)

        relations = self._ticket_form_relations()
        for name, (
            model,
            allowed,
            invalid_message,
            missing_message,
        ) in relations.items():
            value = kw.get(name)
            if model is None:
                kw.pop(name, None)
                continue
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                kw.pop(name, None)
                if missing_message:
                    errors.append(missing_message)
                continue
            number = parse_id(value)
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
        return errors


class HardenedCustomerPortalHelpdesk(CustomerPortalHelpdesk, HardenedCustomerPortal):
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
        stage_id = parse_id(filterby)
        if filterby != "all" and not (
            stage_id
            and str(stage_id) == filterby
            and request.env["helpdesk.ticket.stage"].search_count(
                [("id", "=", stage_id)]
            )
        ):
            filterby = None
        date_begin, date_end, invalid_dates = parse_date_range(date_begin, date_end)
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
            response.qcontext["portal_list_notice"] = invalid_dates_notice()
        return response

    # ------------------------------------------------------------------
    # Ticket page: a wrong token is a 404; close buttons for who may close
    # ------------------------------------------------------------------
    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        self._document_check_token_or_404("helpdesk.ticket", ticket_id, access_token)
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # close buttons only for who may close: a reader through the record
        # rules (not a visitor with the link), on an open ticket
        user = request.env.user
        values["can_close_ticket"] = (
            not user._is_public()
            and not ticket.closed
            and ticket.with_user(user).has_access("read")
        )
        return values
