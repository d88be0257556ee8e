# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qms_reopen_count = fields.Integer(
        string="Times Reopened",
        default=0,
        readonly=True,
        copy=False,
        help="How often the complaint went from a closed stage back to an open "
        "one: a reopened complaint was not resolved at the first contact.",
    )
    qms_rejection_count = fields.Integer(
        string="Resolutions Rejected",
        default=0,
        readonly=True,
        copy=False,
        help="How often the customer rejected the resolution: each rejection is "
        "an answer counted by the recovery-success rate.",
    )

    qms_rejected_date = fields.Datetime(
        string="Last Rejected on",
        readonly=True,
        copy=False,
        help="When the customer last rejected the resolution.",
    )

    def write(self, vals):
        reopened = self.env["helpdesk.ticket"]
        if "stage_id" in vals:
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage and not stage.closed:
                reopened = self.filtered(lambda t: t.stage_id.closed)
        res = super().write(vals)
        for ticket in reopened:
            ticket.sudo().qms_reopen_count = ticket.qms_reopen_count + 1
        return res

    def _qms_customer_reject(self, reason, author=None):
        res = super()._qms_customer_reject(reason, author=author)
        self.sudo().write(
            {
                "qms_rejection_count": self.qms_rejection_count + 1,
                "qms_rejected_date": fields.Datetime.now(),
            }
        )
        return res
