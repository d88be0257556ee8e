# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# requirements a customer has been asked to confirm (or has answered)
SENT_STATES = ("pending", "confirmed", "commented")


class QmsCustomerPortal(CustomerPortal):
    def _qms_requirement_check(self, requirement_id, access_token):
        """The requirement, sudoed, or 404/403: never a server error."""
        try:
            requirement = self._document_check_access(
                "qms.requirement", requirement_id, access_token
            )
        except MissingError as exc:
            raise NotFound() from exc
        except AccessError as exc:
            raise Forbidden() from exc
        if requirement.confirmation_state not in SENT_STATES or not requirement.active:
            raise NotFound()
        return requirement

    # ------------------------------------------------------------------
    # Home counters
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qms_requirement_count" in counters:
            Requirement = request.env["qms.requirement"]
            values["qms_requirement_count"] = (
                Requirement.search_count([("confirmation_state", "=", "pending")])
                if Requirement.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Requirements to confirm (ISO 9001 8.2.3.2)
    # ------------------------------------------------------------------
    @http.route(
        ["/my/qms/requirements", "/my/qms/requirements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_qms_requirements(self, page=1, **kw):
        Requirement = request.env["qms.requirement"]
        if not Requirement.has_access("read"):
            raise Forbidden()
        domain = [("confirmation_state", "in", SENT_STATES)]
        count = Requirement.search_count(domain)
        pager = portal_pager(
            url="/my/qms/requirements",
            total=count,
            page=page,
            step=self._items_per_page,
        )
        requirements = Requirement.search(
            domain,
            order="confirmation_state desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_qms_requirements_history"] = requirements.ids[:100]
        return request.render(
            "qms_crm_requirement.portal_my_qms_requirements",
            {
                "requirements": requirements.sudo(),
                "page_name": "qms_requirements",
                "pager": pager,
                "default_url": "/my/qms/requirements",
            },
        )

    @http.route(
        "/my/qms/requirements/<int:requirement_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_qms_requirement(
        self, requirement_id, access_token=None, message=None, **kw
    ):
        requirement = self._qms_requirement_check(requirement_id, access_token)
        return self._qms_render_requirement(requirement, access_token, message=message)

    def _qms_render_requirement(
        self, requirement, access_token, message=None, error=None
    ):
        expired = (
            requirement.confirmation_state == "pending"
            and requirement._qms_confirmation_expired()
        )
        values = self._get_page_view_values(
            requirement,
            access_token,
            {
                "requirement": requirement,
                "page_name": "qms_requirement",
                "expired": expired,
                "message": message if message in ("confirmed", "commented") else None,
                "error": error,
                "can_answer": requirement.confirmation_state == "pending"
                and not expired,
            },
            "my_qms_requirements_history",
            False,
        )
        status = 403 if expired else (400 if error else 200)
        return request.render(
            "qms_crm_requirement.portal_qms_requirement_page", values, status=status
        )

    @http.route(
        "/my/qms/requirements/<int:requirement_id>/answer",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_qms_requirement_answer(
        self,
        requirement_id,
        access_token=None,
        decision=None,
        comment=None,
        text_hash=None,
        **kw,
    ):
        requirement = self._qms_requirement_check(requirement_id, access_token)
        if (
            requirement.confirmation_state == "pending"
            and requirement._qms_confirmation_expired()
        ):
            return self._qms_render_requirement(requirement, access_token)
        try:
            requirement.with_user(request.env.user)._qms_portal_confirm(
                decision,
                comment,
                text_hash,
                ip=request.httprequest.remote_addr,
                access_token=access_token,
            )
        except AccessError as exc:
            raise Forbidden() from exc
        except (UserError, ValidationError) as exc:
            return self._qms_render_requirement(
                requirement, access_token, error=str(exc)
            )
        return request.redirect(
            requirement.get_portal_url(query_string=f"&message={decision}")
        )
