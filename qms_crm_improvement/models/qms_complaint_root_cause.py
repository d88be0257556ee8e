# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError


class QmsComplaintRootCause(models.Model):
    _inherit = "qms.complaint.root.cause"

    def action_qms_raise_nonconformity(self):
        """Raise a nonconformity for this root cause, linked to its complaints
        received in the pattern window (Settings)."""
        self.ensure_one()
        days = self.env["qms.complaint.pattern"]._qms_settings()[1]
        tickets = self.env["helpdesk.ticket"].search(
            [
                ("qms_is_complaint", "=", True),
                ("qms_root_cause_id", "=", self.id),
                (
                    "qms_received_date",
                    ">=",
                    fields.Datetime.now() - timedelta(days=days),
                ),
            ]
        )
        if not tickets:
            raise UserError(
                _(
                    "No complaint with root cause %(cause)s in the last %(days)s days.",
                    cause=self.name,
                    days=days,
                )
            )
        nc = self.env["mgmtsystem.nonconformity"]._qms_raise(
            "root_cause",
            _("Root cause: %s", self.name),
            _(
                "%(count)s complaints in the last %(days)s days have the root "
                "cause %(cause)s.",
                count=len(tickets),
                days=days,
                cause=self.name,
            ),
            tickets=tickets,
            root_cause=self,
        )
        return nc._qms_open_form()
