# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.qms_communication import CHANNELS, SOURCE_MODELS

# channel of a planned communication -> activity type
PLANNED_ACTIVITY = {
    "phone": "mail.mail_activity_data_call",
    "meeting": "mail.mail_activity_data_meeting",
}


class QmsCommunicationLog(models.TransientModel):
    """Staff log a communication with a customer (7.4) from a customer,
    an opportunity, an order or a ticket: done now or planned."""

    _name = "qms.communication.log"
    _description = "Log a Customer Communication"

    res_model = fields.Selection(SOURCE_MODELS, string="Document Model")
    res_id = fields.Integer(string="Document ID")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    topic_id = fields.Many2one("qms.communication.topic", required=True)
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    direction = fields.Selection(
        [("outbound", "To the Customer"), ("inbound", "From the Customer")],
        required=True,
        default="outbound",
    )
    name = fields.Char(string="Summary", required=True)
    body = fields.Html(string="Content")
    state = fields.Selection(
        [("done", "Done"), ("planned", "Planned")], required=True, default="done"
    )
    planned_date = fields.Date()
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )

    @api.model
    def _qms_open_for(self, record):
        partner = self.env["qms.communication.rule"]._qms_record_partner(record)
        if not partner:
            raise UserError(
                _(
                    "%s has no customer to log a communication with.",
                    record.display_name,
                )
            )
        commercial = partner.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Log a Communication"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": record._name,
                "default_res_id": record.id,
                "default_partner_id": commercial.id,
                "default_contact_id": partner.id if partner != commercial else False,
            },
        }

    def action_log(self):
        self.ensure_one()
        if self.state == "planned" and not self.planned_date:
            raise UserError(_("A planned communication needs a planned date."))
        source = None
        if self.res_model and self.res_id:
            source = self.env[self.res_model].browse(self.res_id).exists()
            source.check_access("read")
        vals = {
            "name": self.name,
            "body": self.body,
            "partner_id": self.partner_id.id,
            "contact_id": self.contact_id.id,
            "topic_id": self.topic_id.id,
            "channel": self.channel,
            "direction": self.direction,
            "state": self.state,
            "planned_date": self.planned_date,
            "user_id": self.user_id.id,
            "res_model": source._name if source else "res.partner",
            "res_id": source.id if source else self.partner_id.id,
        }
        if self.state == "planned":
            target = source or self.partner_id
            activity = target.activity_schedule(
                PLANNED_ACTIVITY.get(self.channel, "mail.mail_activity_data_todo"),
                date_deadline=self.planned_date,
                summary=self.name,
                note=self.body,
                user_id=self.user_id.id,
            )
            vals["activity_id"] = activity.id
        comm = self.env["qms.communication"].create(vals)
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.communication",
            "res_id": comm.id,
            "view_mode": "form",
        }
