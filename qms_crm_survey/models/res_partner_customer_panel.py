# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Satisfaction history in the Customer 360 panel of qms_crm (9.1.2).

Read in a fixed number of queries for all the customers of the batch, like
the rest of the panel. The figures are the ones shown on the customer form
(computed with sudo there too); links to the answers are shown only to users
who may open them.
"""

from collections import defaultdict

from odoo import models
from odoo.tools import format_date, format_datetime

from .survey_user_input import NPS_CATEGORIES

PANEL_ANSWER_LIMIT = 5


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _qms_customer_360_data(self):
        data = super()._qms_customer_360_data()
        if data:
            self._qms_360_satisfaction(data)
        return data

    def _qms_360_satisfaction(self, data):
        customers = self.browse(list(data)).with_prefetch(list(data))
        # qms_nps_category is stored; the others come from one batched compute
        customers.fetch(["qms_nps_category"])
        nps_labels = dict(NPS_CATEGORIES)
        Answer = self.env["survey.user_input"]
        can_open = Answer.has_access("read")
        answers = Answer.sudo().search(
            [
                ("qms_customer_id", "in", customers.ids),
                ("state", "=", "done"),
                ("qms_has_score", "=", True),
            ],
            order="end_datetime desc, id desc",
            limit=50 * len(customers),
        )
        # one query for the survey titles of all the answers
        answers.survey_id.mapped("display_name")
        per_customer = defaultdict(list)
        for answer in answers:
            rows = per_customer[answer.qms_customer_id.id]
            if len(rows) >= PANEL_ANSWER_LIMIT:
                continue
            rows.append(
                {
                    "record": answer,
                    "url": can_open and f"/odoo/survey.user_input/{answer.id}",
                    "survey": answer.survey_id.display_name,
                    "date": answer.end_datetime
                    and format_date(self.env, answer.end_datetime),
                    "nps": answer.qms_nps_category
                    and {
                        "score": answer.qms_nps_score,
                        "category": answer.qms_nps_category,
                        "label": nps_labels[answer.qms_nps_category],
                    },
                    "csat": answer.qms_csat_score,
                    "ces": answer.qms_ces_score,
                    "detractor": answer.qms_is_detractor,
                }
            )
        for customer in customers:
            last = customer.qms_last_surveyed_date
            data[customer.id]["satisfaction"] = {
                "nps_category": customer.qms_nps_category,
                "nps_label": nps_labels.get(customer.qms_nps_category, ""),
                "csat_avg": customer.qms_csat_avg_12m,
                "last_surveyed": last and format_datetime(self.env, last),
                "answer_count": customer.qms_survey_answer_count,
                "answers": per_customer.get(customer.id, []),
            }
