# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class QmsPropertyPortal(CustomerPortal):
    """Owners see the property we hold for them and acknowledge incident
    notices (ISO 9001 8.5.3)."""

    def _qms_portal_record(self, model, record_id, access_token):
        """The record, sudoed, or 404/403: never a server error."""
        try:
            record = self._document_check_access(model, record_id, access_token)
        except MissingError as exc:
            raise NotFound() from exc
        except AccessError as exc:
            raise Forbidden() from exc
        if not record.active:
            raise NotFound()
        return record

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qms_property_count" in counters:
            Property = request.env["qms.property"]
            values["qms_property_count"] = (
                Property.search_count([]) if Property.has_access("read") else 0
            )
        if "qms_property_incident_count" in counters:
            Incident = request.env["qms.property.incident"]
            values["qms_property_incident_count"] = (
                Incident.search_count([("state", "=", "notified")])
                if Incident.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/qms/property", "/my/qms/property/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_qms_property(self, page=1, **kw):
        Property = request.env["qms.property"]
        if not Property.has_access("read"):
            raise Forbidden()
        count = Property.search_count([])
        pager = portal_pager(
            url="/my/qms/property", total=count, page=page, step=self._items_per_page
        )
        items = Property.search(
            [], order="id desc", limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_qms_property_history"] = items.ids[:100]
        return request.render(
            "qms_crm_property.portal_my_qms_property",
            {
                "items": items.sudo(),
                "page_name": "qms_property_list",
                "pager": pager,
                "default_url": "/my/qms/property",
            },
        )

    @http.route(
        "/my/qms/property/<int:property_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_qms_property(self, property_id, access_token=None, **kw):
        item = self._qms_portal_record("qms.property", property_id, access_token)
        values = self._get_page_view_values(
            item,
            access_token,
            {
                "item": item,
                "incidents": item.incident_ids.filtered("active"),
                "page_name": "qms_property",
            },
            "my_qms_property_history",
            False,
        )
        return request.render("qms_crm_property.portal_qms_property_page", values)

    @http.route(
        "/my/qms/property/incident/<int:incident_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_qms_property_incident(
        self, incident_id, access_token=None, message=None, **kw
    ):
        incident = self._qms_portal_record(
            "qms.property.incident", incident_id, access_token
        )
        return self._qms_render_incident(incident, access_token, message=message)

    def _qms_render_incident(self, incident, access_token, message=None, error=None):
        values = self._get_page_view_values(
            incident,
            access_token,
            {
                "incident": incident,
                "page_name": "qms_property_incident",
                "message": message if message == "acknowledged" else None,
                "error": error,
                "can_acknowledge": incident.state in ("to_notify", "notified"),
            },
            "my_qms_property_incident_history",
            False,
        )
        return request.render(
            "qms_crm_property.portal_qms_property_incident_page",
            values,
            status=400 if error else 200,
        )

    @http.route(
        "/my/qms/property/incident/<int:incident_id>/acknowledge",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_qms_property_incident_acknowledge(
        self, incident_id, access_token=None, comment=None, **kw
    ):
        incident = self._qms_portal_record(
            "qms.property.incident", incident_id, access_token
        )
        comment = (comment or "").strip()[:10000] or None
        try:
            incident.with_user(request.env.user).sudo()._qms_portal_acknowledge(
                access_token=access_token,
                comment=comment,
                ip=request.httprequest.remote_addr,
            )
        except AccessError as exc:
            raise Forbidden() from exc
        except UserError as exc:
            return self._qms_render_incident(incident, access_token, error=str(exc))
        return request.redirect(
            incident.get_portal_url(query_string="&message=acknowledged")
        )
