# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # >>> COMM: communication rules (issue 4a)
    # <<< COMM
    # >>> CPL: complaints (issue 4b)
    # <<< CPL
    # >>> C360: customer 360, alerts, ABC (issue 4c)
    # <<< C360
    # >>> PROP: property, personal data (issue 5)
    # <<< PROP
