# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

AUTOMATIONS = {
    "qms_survey_auto_ticket_closed": "automation_qms_survey_ticket_closed",
    "qms_survey_auto_delivery_done": "automation_qms_survey_delivery_done",
    "qms_survey_auto_order_done": "automation_qms_survey_order_done",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_survey_fatigue_days = fields.Integer(
        string="Survey at most every (days)",
        config_parameter="qms_crm_survey.fatigue_days",
        default=30,
    )
    qms_survey_reminder_days = fields.Integer(
        string="Remind after (days)",
        config_parameter="qms_crm_survey.reminder_days",
        default=5,
    )
    qms_survey_ticket_closed_id = fields.Many2one(
        "survey.survey",
        string="Survey when a ticket is closed",
        config_parameter="qms_crm_survey.survey_ticket_closed_id",
    )
    qms_survey_delivery_done_id = fields.Many2one(
        "survey.survey",
        string="Survey when a delivery is done",
        config_parameter="qms_crm_survey.survey_delivery_done_id",
    )
    qms_survey_order_done_id = fields.Many2one(
        "survey.survey",
        string="Survey when an order is delivered and invoiced",
        config_parameter="qms_crm_survey.survey_order_done_id",
    )
    qms_survey_relationship_id = fields.Many2one(
        "survey.survey",
        string="Yearly relationship survey",
        config_parameter="qms_crm_survey.survey_relationship_id",
    )
    qms_survey_relationship_category_id = fields.Many2one(
        "res.partner.category",
        string="Relationship survey segment",
        config_parameter="qms_crm_survey.relationship_category_id",
        help="Customers with this tag get the yearly relationship survey; "
        "empty: every customer company.",
    )
    qms_survey_auto_ticket_closed = fields.Boolean(string="Ask when a ticket is closed")
    qms_survey_auto_delivery_done = fields.Boolean(string="Ask when a delivery is done")
    qms_survey_auto_order_done = fields.Boolean(
        string="Ask when an order is delivered and invoiced"
    )
    qms_survey_auto_relationship = fields.Boolean(
        string="Send the yearly relationship survey"
    )

    @api.model
    def _qms_survey_switches(self):
        switches = {
            field: self.env.ref(f"qms_crm_survey.{xmlid}", raise_if_not_found=False)
            for field, xmlid in AUTOMATIONS.items()
        }
        switches["qms_survey_auto_relationship"] = self.env.ref(
            "qms_crm_survey.ir_cron_qms_relationship_surveys",
            raise_if_not_found=False,
        )
        return {field: rec.sudo() for field, rec in switches.items() if rec}

    @api.model
    def get_values(self):
        res = super().get_values()
        for field, record in self._qms_survey_switches().items():
            res[field] = record.with_context(active_test=False).active
        return res

    def set_values(self):
        res = super().set_values()
        for field, record in self._qms_survey_switches().items():
            if record.active != self[field]:
                record.active = self[field]
        return res
