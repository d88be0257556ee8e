# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    qms_waiting_customer = fields.Boolean(
        string="Waiting on Customer",
        help="Complaint targets are paused while a ticket is in this stage.",
    )
