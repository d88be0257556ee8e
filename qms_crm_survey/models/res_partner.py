# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models

from .survey_user_input import NPS_CATEGORIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_survey_opt_out = fields.Boolean(
        string="No Satisfaction Surveys",
        tracking=True,
        help="The customer asked not to receive satisfaction surveys.",
    )
    qms_survey_input_ids = fields.One2many(
        "survey.user_input", "qms_customer_id", string="Satisfaction Answers"
    )
    qms_nps_category = fields.Selection(
        NPS_CATEGORIES,
        string="Latest NPS Category",
        compute="_compute_qms_nps_category",
        store=True,
        index="btree_not_null",
    )
    qms_csat_avg_12m = fields.Float(
        string="CSAT Average (12 months)",
        compute="_compute_qms_satisfaction",
        digits=(4, 2),
    )
    qms_last_surveyed_date = fields.Datetime(
        string="Last Surveyed", compute="_compute_qms_satisfaction"
    )
    qms_survey_answer_count = fields.Integer(
        string="Satisfaction", compute="_compute_qms_satisfaction"
    )
    qms_satisfaction_html = fields.Html(
        string="Satisfaction History",
        compute="_compute_qms_satisfaction_html",
        sanitize=False,
    )

    @api.depends(
        "qms_survey_input_ids.qms_nps_category",
        "qms_survey_input_ids.end_datetime",
    )
    def _compute_qms_nps_category(self):
        rows = (
            self.env["survey.user_input"]
            .sudo()
            .search_read(
                [
                    ("qms_customer_id", "in", self.ids),
                    ("state", "=", "done"),
                    ("qms_nps_category", "!=", False),
                ],
                ["qms_customer_id", "qms_nps_category"],
                order="end_datetime desc, id desc",
            )
        )
        latest = {}
        for row in rows:
            latest.setdefault(row["qms_customer_id"][0], row["qms_nps_category"])
        for partner in self:
            partner.qms_nps_category = latest.get(partner.id, False)

    def _compute_qms_satisfaction(self):
        customers = self.commercial_partner_id
        Answer = self.env["survey.user_input"].sudo()
        since = fields.Datetime.now() - timedelta(days=365)
        csat = dict(
            Answer._read_group(
                [
                    ("qms_customer_id", "in", customers.ids),
                    ("state", "=", "done"),
                    ("qms_csat_score", ">", 0),
                    ("end_datetime", ">=", since),
                ],
                ["qms_customer_id"],
                ["qms_csat_score:avg"],
            )
        )
        counts = dict(
            Answer._read_group(
                [("qms_customer_id", "in", customers.ids), ("state", "=", "done")],
                ["qms_customer_id"],
                ["__count"],
            )
        )
        last = dict(
            self.env["qms.survey.invitation"]
            .sudo()
            ._read_group(
                [("customer_id", "in", customers.ids), ("state", "!=", "skipped")],
                ["customer_id"],
                ["sent_date:max"],
            )
        )
        for partner in self:
            customer = partner.commercial_partner_id
            partner.qms_csat_avg_12m = csat.get(customer, 0.0)
            partner.qms_survey_answer_count = counts.get(customer, 0)
            partner.qms_last_surveyed_date = last.get(customer, False)

    def _compute_qms_satisfaction_html(self):
        """Satisfaction history for the customer 360 panel: the last answers."""
        labels = dict(NPS_CATEGORIES)
        for partner in self:
            answers = (
                self.env["survey.user_input"]
                .sudo()
                .search(
                    [
                        ("qms_customer_id", "=", partner.commercial_partner_id.id),
                        ("state", "=", "done"),
                        ("qms_has_score", "=", True),
                    ],
                    order="end_datetime desc, id desc",
                    limit=10,
                )
            )
            if not answers:
                partner.qms_satisfaction_html = Markup("<p>%s</p>") % _(
                    "No satisfaction answers yet."
                )
                continue
            head = Markup("").join(
                Markup("<th>%s</th>") % label
                for label in (_("Date"), _("Survey"), _("NPS"), _("CSAT"), _("CES"))
            )
            rows = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                )
                % (
                    fields.Date.to_string(answer.end_datetime.date())
                    if answer.end_datetime
                    else "",
                    answer.survey_id.display_name,
                    f"{answer.qms_nps_score} ({labels[answer.qms_nps_category]})"
                    if answer.qms_nps_category
                    else "",
                    answer.qms_csat_score or "",
                    answer.qms_ces_score or "",
                )
                for answer in answers
            )
            partner.qms_satisfaction_html = Markup(
                '<table class="table table-sm o_qms_satisfaction_history">'
                "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
            ) % (head, rows)

    def action_qms_view_satisfaction(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "qms_crm_survey.action_qms_survey_answers"
        )
        action["domain"] = [("qms_customer_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_filter_done": 1}
        return action
