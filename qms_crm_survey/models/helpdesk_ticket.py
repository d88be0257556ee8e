# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import _, api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qms_survey_input_ids = fields.One2many(
        "survey.user_input",
        "qms_recovery_ticket_id",
        string="Survey Answers to Recover",
    )
    qms_survey_input_count = fields.Integer(
        string="Survey Answers", compute="_compute_qms_survey_input_count"
    )

    @api.depends("qms_survey_input_ids")
    def _compute_qms_survey_input_count(self):
        counts = dict(
            self.env["survey.user_input"]._read_group(
                [("qms_recovery_ticket_id", "in", self.ids)],
                ["qms_recovery_ticket_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.qms_survey_input_count = counts.get(ticket, 0)

    @api.model
    def _qms_survey_answer_summary(self, answer):
        """(summary, html description) of a detractor survey answer."""
        parts = []
        if answer.qms_nps_category:
            parts.append(_("NPS %(score)s", score=answer.qms_nps_score))
        if answer.qms_csat_score:
            parts.append(_("CSAT %(score)s", score=answer.qms_csat_score))
        summary = _(
            "Service recovery: %(scores)s from %(customer)s",
            scores=", ".join(parts),
            customer=answer.qms_customer_id.display_name,
        )
        rows = Markup("").join(
            Markup("<li><b>%s</b>: %s</li>")
            % (line.question_id.title, line.display_name or "")
            for line in answer.user_input_line_ids
            if not line.skipped
        )
        description = Markup("<p>%s</p><ul>%s</ul>") % (
            _(
                "Detractor answer to the survey %(survey)s:",
                survey=answer.survey_id.display_name,
            ),
            rows,
        )
        return summary, description

    @api.model
    def _qms_survey_recovery(self, answer):
        """Service recovery for a detractor answer through the complaints
        playbook of qms_crm: a new complaint, or the answer added to the
        customer's open one. Links the answer to the ticket; returns it."""
        summary, description = self._qms_survey_answer_summary(answer)
        ticket, created = self._qms_open_recovery(
            answer.partner_id,
            summary,
            description,
            severity="high",
            channel="web_form",
            qms_sale_order_id=answer.qms_sale_order_id.id
            or answer.qms_ticket_id.qms_sale_order_id.id,
            qms_picking_id=answer.qms_picking_id.id,
            qms_product_id=answer.qms_ticket_id.qms_product_id.id,
        )
        answer.qms_recovery_ticket_id = ticket
        answer.message_post(
            body=Markup("%s %s")
            % (
                _("Service recovery complaint opened:")
                if created
                else _("Added to the open complaint:"),
                escape(ticket.display_name),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return ticket

    def action_qms_view_survey_inputs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm_survey.action_qms_survey_answers"
        )
        action["domain"] = [("qms_recovery_ticket_id", "=", self.id)]
        return action
