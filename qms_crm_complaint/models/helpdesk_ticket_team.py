# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    qms_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Complaint targets are counted in the working hours of this "
        "calendar (the company's calendar when empty).",
    )
    qms_manager_id = fields.Many2one(
        "res.users",
        string="Escalation Manager",
        domain=[("share", "=", False)],
        help="Gets the escalation activity of a complaint's second missed target "
        "(the first goes to the team leader).",
    )
    qms_target_ids = fields.One2many(
        "qms.complaint.target", "team_id", string="Complaint Targets"
    )

    def _qms_calendar(self):
        self.ensure_one()
        return (
            self.qms_calendar_id
            or self.company_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        )
