# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_open_ticket_count = fields.Integer(
        compute="_compute_qms_ticket_counts",
        string="Open Tickets",
        groups="base.group_user",
    )
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_ticket_counts",
        string="Open Complaints",
        groups="base.group_user",
    )

    def _compute_qms_ticket_counts(self):
        counts = defaultdict(int)
        complaints = defaultdict(int)
        Ticket = self.env["helpdesk.ticket"]
        if Ticket.has_access("read") and self.commercial_partner_id.ids:
            for partner, kind, count in Ticket._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("closed", "=", False),
                ],
                ["commercial_partner_id", "qms_feedback_kind"],
                ["__count"],
            ):
                counts[partner.id] += count
                if kind == "complaint":
                    complaints[partner.id] += count
        for partner in self:
            cid = partner.commercial_partner_id.id
            partner.qms_open_ticket_count = counts[cid]
            partner.qms_complaint_count = complaints[cid]

    def action_qms_view_open_tickets(self):
        return self._qms_ticket_action([])

    def action_qms_view_complaints(self):
        return self._qms_ticket_action([("qms_feedback_kind", "=", "complaint")])

    def _qms_ticket_action(self, domain):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("closed", "=", False),
            *domain,
        ]
        action["context"] = {"default_partner_id": self.id}
        return action
