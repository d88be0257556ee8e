# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qms_nonconformity_ids = fields.Many2many(
        "mgmtsystem.nonconformity",
        "qms_nonconformity_ticket_rel",
        "ticket_id",
        "nonconformity_id",
        string="Nonconformities",
        readonly=True,
    )
    qms_nonconformity_count = fields.Integer(compute="_compute_qms_nonconformity_count")

    def _compute_qms_nonconformity_count(self):
        for ticket in self:
            ticket.qms_nonconformity_count = len(ticket.qms_nonconformity_ids)

    def action_qms_raise_nonconformity(self):
        """Raise a nonconformity with a corrective action from this complaint."""
        self.ensure_one()
        if not self.qms_is_complaint:
            raise UserError(_("Only a complaint raises a nonconformity."))
        description = "\n".join(
            filter(None, [self.name, html2plaintext(self.description or "")])
        )
        nc = self.env["mgmtsystem.nonconformity"]._qms_raise(
            "complaint",
            _("Complaint %(ref)s: %(name)s", ref=self.number, name=self.name),
            description,
            tickets=self,
            root_cause=self.qms_root_cause_id,
            product=self.qms_product_id,
        )
        return nc._qms_open_form()

    def action_qms_view_nonconformities(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Nonconformities"),
            "res_model": "mgmtsystem.nonconformity",
            "view_mode": "list,form",
            "domain": [("id", "in", self.qms_nonconformity_ids.ids)],
        }
