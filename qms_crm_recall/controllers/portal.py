# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.qms_recall_campaign import SENDING_STATES
from ..models.qms_recall_line import OPEN_STATES, REMEDIES

MAX_PROOF_FILES = 5
MAX_PROOF_BYTES = 10 * 1024 * 1024


class QmsRecallPortal(CustomerPortal):
    """Recall notices acknowledged by token: GET shows the notice, POST
    (CSRF) records the answer."""

    def _qms_recall_line_check(self, line_id, access_token):
        """The line, sudoed; 403 for a wrong token, 404 when the campaign is
        no longer open (closed or archived) or the line never was sent."""
        try:
            line = self._document_check_access("qms.recall.line", line_id, access_token)
        except MissingError as exc:
            raise NotFound() from exc
        except AccessError as exc:
            raise Forbidden() from exc
        campaign = line.campaign_id
        if (
            campaign.state not in SENDING_STATES
            or not campaign.active
            or line.state == "to_notify"
        ):
            raise NotFound()
        return line

    def _qms_recall_render(
        self, line, access_token, error=None, message=None, values=None
    ):
        page = {
            "line": line,
            "campaign": line.campaign_id,
            "page_name": "qms_recall_line",
            "remedies": REMEDIES,
            "can_answer": line.state in OPEN_STATES,
            "error": error,
            "message": message if message == "acknowledged" else None,
            "form": values or {},
            "access_token": access_token,
        }
        return request.render(
            "qms_crm_recall.portal_qms_recall_line_page",
            page,
            status=400 if error else 200,
        )

    @http.route(
        "/my/recall/<int:line_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_qms_recall_line(self, line_id, access_token=None, message=None, **kw):
        line = self._qms_recall_line_check(line_id, access_token)
        return self._qms_recall_render(line, access_token, message=message)

    @http.route(
        "/my/recall/<int:line_id>/ack",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_qms_recall_ack(
        self, line_id, access_token=None, qty_on_hand=None, remedy=None, note=None, **kw
    ):
        line = self._qms_recall_line_check(line_id, access_token)
        values = {"qty_on_hand": qty_on_hand, "remedy": remedy, "note": note}
        files = request.httprequest.files.getlist("proof")[:MAX_PROOF_FILES]
        proofs = []
        for upload in files:
            content = upload.read(MAX_PROOF_BYTES + 1)
            if len(content) > MAX_PROOF_BYTES:
                return self._qms_recall_render(
                    line,
                    access_token,
                    error=_("A proof file may not be larger than 10 MB."),
                    values=values,
                )
            proofs.append((upload.filename, content))
        try:
            line.with_user(request.env.user)._qms_portal_acknowledge(
                qty_on_hand,
                remedy=remedy,
                note=note,
                proofs=proofs,
                ip=request.httprequest.remote_addr,
                access_token=access_token,
            )
        except AccessError as exc:
            raise Forbidden() from exc
        except (UserError, ValidationError) as exc:
            return self._qms_recall_render(
                line, access_token, error=str(exc), values=values
            )
        return request.redirect(
            line.get_portal_url(query_string="&message=acknowledged")
        )
