# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import binascii

from werkzeug.exceptions import Forbidden, NotFound

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# acts the customer sees: sent for signature, signed or refused
VISIBLE_STATES = ("sent", "signed", "refused")


class QmsAcceptancePortal(CustomerPortal):
    def _qms_act_check(self, act_id, access_token):
        """The act, sudoed, or 404/403: never a server error."""
        try:
            act = self._document_check_access(
                "qms.acceptance.act", act_id, access_token
            )
        except MissingError as exc:
            raise NotFound() from exc
        except AccessError as exc:
            raise Forbidden() from exc
        if act.state not in VISIBLE_STATES:
            raise NotFound()
        return act

    def _qms_act_via_token(self, act):
        """True when the act was reached by its token: the user may not read
        it otherwise (``_document_check_access`` checked the token then)."""
        return not act.with_user(request.env.user).has_access("read")

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qms_acceptance_count" in counters:
            Act = request.env["qms.acceptance.act"]
            values["qms_acceptance_count"] = (
                Act.search_count([("state", "in", VISIBLE_STATES)])
                if Act.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/qms/acceptance", "/my/qms/acceptance/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_qms_acceptance(self, page=1, **kw):
        Act = request.env["qms.acceptance.act"]
        if not Act.has_access("read"):
            raise Forbidden()
        domain = [("state", "in", VISIBLE_STATES)]
        pager = portal_pager(
            url="/my/qms/acceptance",
            total=Act.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        acts = Act.search(
            domain, order="id desc", limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_qms_acceptance_history"] = acts.ids[:100]
        return request.render(
            "qms_crm_process.portal_my_qms_acceptance",
            {
                "acts": acts.sudo(),
                "page_name": "qms_acceptance",
                "pager": pager,
                "default_url": "/my/qms/acceptance",
            },
        )

    @http.route(
        "/my/qms/acceptance/<int:act_id>", type="http", auth="public", website=True
    )
    def portal_qms_acceptance(self, act_id, access_token=None, message=None, **kw):
        act = self._qms_act_check(act_id, access_token)
        return self._qms_render_act(act, access_token, message=message)

    def _qms_render_act(self, act, access_token, message=None, error=None):
        values = self._get_page_view_values(
            act,
            access_token,
            {
                "act": act,
                "page_name": "qms_acceptance_act",
                "message": message if message in ("signed", "refused") else None,
                "error": error,
                "can_sign": act.state == "sent"
                and (request.env.user.share or request.env.user._is_public()),
            },
            "my_qms_acceptance_history",
            False,
        )
        return request.render(
            "qms_crm_process.portal_qms_acceptance_page",
            values,
            status=400 if error else 200,
        )

    @http.route(
        "/my/qms/acceptance/<int:act_id>/sign",
        type="jsonrpc",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_qms_acceptance_sign(
        self, act_id, access_token=None, name=None, signature=None
    ):
        """The signature widget (portal.signature_form) posts here."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            act = self._qms_act_check(act_id, access_token)
            act._qms_customer_sign(
                signature,
                name,
                "sign",
                user=request.env.user,
                ip=request.httprequest.remote_addr,
                via_token=self._qms_act_via_token(act),
            )
        except (NotFound, Forbidden, AccessError):
            return {"error": _("This acceptance act cannot be signed here.")}
        except (UserError, ValidationError) as exc:
            return {"error": str(exc)}
        except (TypeError, binascii.Error):
            return {"error": _("Invalid signature data.")}
        return {
            "force_refresh": True,
            "redirect_url": act.get_portal_url(query_string="&message=signed"),
        }

    @http.route(
        "/my/qms/acceptance/<int:act_id>/refuse",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_qms_acceptance_refuse(
        self, act_id, access_token=None, comment=None, **kw
    ):
        act = self._qms_act_check(act_id, access_token)
        try:
            act._qms_customer_sign(
                None,
                None,
                "refuse",
                comment=comment,
                user=request.env.user,
                ip=request.httprequest.remote_addr,
                via_token=self._qms_act_via_token(act),
            )
        except AccessError as exc:
            raise Forbidden() from exc
        except (UserError, ValidationError) as exc:
            return self._qms_render_act(act, access_token, error=str(exc))
        return request.redirect(act.get_portal_url(query_string="&message=refused"))
