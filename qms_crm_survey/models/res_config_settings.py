# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# settings switches -> the seeded communication rules that send the surveys
SURVEY_RULES = {
    "qms_survey_auto_ticket_closed": "qms_communication_rule_survey_ticket_closed",
    "qms_survey_auto_delivery_done": "qms_communication_rule_survey_delivery_done",
    "qms_survey_auto_order_done": "qms_communication_rule_survey_order_done",
    "qms_survey_auto_relationship": "qms_communication_rule_survey_relationship",
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
    qms_survey_auto_ticket_closed = fields.Boolean(string="Ask when a ticket is closed")
    qms_survey_auto_delivery_done = fields.Boolean(string="Ask when a delivery is done")
    qms_survey_auto_order_done = fields.Boolean(
        string="Ask when an order is delivered and invoiced"
    )
    qms_survey_auto_relationship = fields.Boolean(
        string="Send the yearly relationship survey"
    )

    @api.model
    def _qms_survey_rules(self):
        Rule = self.env["qms.communication.rule"].sudo().with_context(active_test=False)
        rules = {}
        for field, xmlid in SURVEY_RULES.items():
            rule = self.env.ref(f"qms_crm_survey.{xmlid}", raise_if_not_found=False)
            if rule:
                rules[field] = Rule.browse(rule.id)
        return rules

    @api.model
    def get_values(self):
        res = super().get_values()
        for field, rule in self._qms_survey_rules().items():
            res[field] = rule.active
        return res

    def set_values(self):
        res = super().set_values()
        for field, rule in self._qms_survey_rules().items():
            if rule.active != self[field]:
                rule.active = self[field]
        return res

    def action_qms_survey_rules(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm_communication.qms_communication_rule_action"
        )
        action["domain"] = [("action_kind", "=", "survey")]
        action["context"] = {"active_test": False}
        return action
