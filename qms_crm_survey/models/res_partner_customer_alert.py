# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Detractor answers left without follow-up raise the "negative feedback"
customer alert of qms_crm for the salesperson.

An answer is a candidate when it is a detractor (NPS 0-6 or CSAT of 2 or
less), was submitted more than ``qms_crm.alert_feedback_days`` days ago, was
never followed up (no recovery complaint, or one that reached the customer
neither by an apology, a resolution nor its closure) and never raised an
alert before: each answer alerts once, even after the alert is done.
"""

from odoo import api, fields, models
from odoo.tools import SQL, format_date


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    qms_alert_date = fields.Datetime(
        string="Customer Alert Raised",
        readonly=True,
        copy=False,
        help="When this detractor answer left without follow-up raised a "
        "customer alert for the salesperson (once per answer).",
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _qms_detractor_candidates(self, limit):
        """[{partner_id, user_id, reason, qms_answer_ids}], one per customer."""
        days = self._qms_feedback_days()
        since = fields.Datetime.subtract(fields.Datetime.now(), days=days)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT ui.qms_customer_id, c.user_id,
                          array_agg(ui.id ORDER BY ui.end_datetime, ui.id),
                          array_agg(ui.end_datetime ORDER BY ui.end_datetime, ui.id)
                     FROM survey_user_input ui
                     JOIN res_partner c ON c.id = ui.qms_customer_id AND c.active
                    WHERE ui.state = 'done'
                      AND ui.qms_is_detractor
                      AND NOT COALESCE(ui.test_entry, FALSE)
                      AND ui.end_datetime < %s
                      AND ui.qms_followup_date IS NULL
                      AND ui.qms_alert_date IS NULL
                      AND %s
                 GROUP BY ui.qms_customer_id, c.user_id
                 ORDER BY ui.qms_customer_id
                    LIMIT %s""",
                since,
                self._qms_open_alert_sql("feedback", SQL("ui.qms_customer_id")),
                limit,
            )
        )
        return [
            {
                "partner_id": cid,
                "user_id": user_id,
                "qms_answer_ids": answer_ids,
                "reason": self.env._(
                    "%(count)s detractor answer(s) (last on %(date)s) without "
                    "follow-up for more than %(days)s days.",
                    count=len(answer_ids),
                    date=format_date(self.env, max(dates)),
                    days=days,
                ),
            }
            for cid, user_id, answer_ids, dates in self.env.cr.fetchall()
        ]

    @api.model
    def _qms_negative_feedback_candidates(self, limit):
        """Complaints (qms_crm) and detractor answers, one entry per customer."""
        merged = {}
        for cand in super()._qms_negative_feedback_candidates(limit):
            merged[cand["partner_id"]] = dict(cand)
        for cand in self._qms_detractor_candidates(limit):
            entry = merged.get(cand["partner_id"])
            if entry is None:
                merged[cand["partner_id"]] = cand
            else:
                entry["reason"] = f"{entry['reason']} {cand['reason']}"
                entry["qms_answer_ids"] = cand["qms_answer_ids"]
                entry["user_id"] = entry["user_id"] or cand["user_id"]
        result = [merged[cid] for cid in sorted(merged)]
        return result if limit is None else result[:limit]

    @api.model
    def _qms_create_alerts(self, kind, candidates):
        activities = super()._qms_create_alerts(kind, candidates)
        answer_ids = [
            answer_id
            for cand in candidates
            for answer_id in cand.get("qms_answer_ids") or ()
        ]
        if answer_ids:
            self.env["survey.user_input"].sudo().browse(answer_ids).write(
                {"qms_alert_date": fields.Datetime.now()}
            )
        return activities
