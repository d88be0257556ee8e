# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date, format_datetime

from .survey_user_input import NPS_CATEGORIES

PANEL_ANSWER_LIMIT = 5
FREE_TEXT_TYPES = ("char_box", "text_box")


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_survey_opt_out = fields.Boolean(
        string="No Satisfaction Surveys",
        tracking=True,
        help="The customer asked not to receive satisfaction surveys.",
    )
    qms_survey_input_ids = fields.One2many(
        "survey.user_input",
        "qms_customer_id",
        string="Satisfaction Answers",
        groups="base.group_user",
    )
    qms_nps_category = fields.Selection(
        NPS_CATEGORIES,
        string="Latest NPS Category",
        compute="_compute_qms_nps_category",
        store=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    qms_csat_avg_12m = fields.Float(
        string="CSAT Average (12 months)",
        compute="_compute_qms_satisfaction",
        digits=(4, 2),
        groups="base.group_user",
    )
    qms_last_surveyed_date = fields.Datetime(
        string="Last Surveyed",
        compute="_compute_qms_satisfaction",
        groups="base.group_user",
    )
    qms_survey_answer_count = fields.Integer(
        string="Satisfaction",
        compute="_compute_qms_satisfaction",
        groups="base.group_user",
    )
    qms_satisfaction_html = fields.Html(
        string="Satisfaction History",
        compute="_compute_qms_satisfaction_html",
        sanitize=False,
        groups="base.group_user",
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

    def _qms_satisfaction_visible(self):
        """The partners of self whose satisfaction the current user may see:
        all for quality staff, survey officers (they read the answers anyway)
        and "All Documents" salespeople, the customers they sell to for the
        others (as the satisfaction analysis rules)."""
        user = self.env.user
        if self.env.su or any(
            user.has_group(group)
            for group in (
                "sales_team.group_sale_salesman_all_leads",
                "qms_crm_evidence.group_qms_user",
                "survey.group_survey_user",
            )
        ):
            return self
        return self.filtered(
            lambda partner: (
                user in (partner.user_id | partner.commercial_partner_id.user_id)
            )
        )

    @api.depends_context("uid")
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
        visible = self._qms_satisfaction_visible()
        for partner in self:
            customer = partner.commercial_partner_id
            if partner not in visible:
                customer = customer.browse()
            partner.qms_csat_avg_12m = csat.get(customer, 0.0)
            partner.qms_survey_answer_count = counts.get(customer, 0)
            partner.qms_last_surveyed_date = last.get(customer, False)

    @api.depends_context("uid")
    def _compute_qms_satisfaction_html(self):
        """Satisfaction history for the customer 360 panel: the last answers."""
        labels = dict(NPS_CATEGORIES)
        visible = self._qms_satisfaction_visible()
        for partner in self:
            if partner not in visible:
                partner.qms_satisfaction_html = False
                continue
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
                    fields.Date.to_string(
                        fields.Datetime.context_timestamp(
                            self, answer.end_datetime
                        ).date()
                    )
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

    # Satisfaction history in the Customer 360 panel of qms_crm (9.1.2).
    #
    # Read in a fixed number of queries for all the customers of the batch, like
    # the rest of the panel. The figures are the ones shown on the customer form
    # (computed with sudo there too); links to the answers are shown only to users
    # who may open them.
    def _qms_customer_360_data(self):
        data = super()._qms_customer_360_data()
        if data:
            self._qms_360_satisfaction(data)
        return data

    def _qms_360_satisfaction(self, data):
        customers = (
            self.browse(list(data))
            .with_prefetch(list(data))
            ._qms_satisfaction_visible()
        )
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

    # Detractor answers left without follow-up raise the "negative feedback"
    # customer alert of qms_crm for the salesperson.
    #
    # An answer is a candidate when it is a detractor (NPS 0-6 or CSAT of 2 or
    # less), was submitted more than ``qms_crm.alert_feedback_days`` days ago, was
    # never followed up (no recovery complaint, or one that reached the customer
    # neither by an apology, a resolution nor its closure) and never raised an
    # alert before: each answer alerts once, even after the alert is done.
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

    # The person's satisfaction answers in the personal data hooks of qms_crm:
    # exported with the other sections, and anonymised on erasure.
    #
    # The answers stay (they are the 9.1.2 evidence and feed the trends); what
    # identifies the person goes: the email and nickname typed in the survey, and
    # every free-text answer, since a comment can hold anything (names, phone
    # numbers, health details...). Scores and choices are kept.
    def _qms_survey_answers_of(self, partners):
        """Answers of ``partners``: theirs, and anonymous ones given with
        one of their email addresses (sudo, archived surveys too)."""
        Answer = self.env["survey.user_input"].sudo().with_context(active_test=False)
        emails = [email for email in partners.mapped("email_normalized") if email]
        domain = [("partner_id", "in", partners.ids)]
        if emails:
            domain = [
                "|",
                *domain,
                "&",
                ("partner_id", "=", False),
                ("email", "in", emails),
            ]
        return Answer.search(domain)

    def _qms_personal_data_sections(self):
        sections = super()._qms_personal_data_sections()
        partners = self._qms_privacy_partners()
        answers = self._qms_survey_answers_of(partners)
        sections["survey_answers"] = (
            _("Survey Answers"),
            answers,
            [
                "survey_id",
                "partner_id",
                "email",
                "nickname",
                "state",
                "create_date",
                "end_datetime",
                "qms_trigger",
                "qms_nps_score",
                "qms_csat_score",
                "qms_ces_score",
            ],
        )
        sections["survey_answer_lines"] = (
            _("Survey Answer Lines"),
            answers.user_input_line_ids,
            [
                "user_input_id",
                "question_id",
                "answer_type",
                "skipped",
                "value_char_box",
                "value_text_box",
                "value_numerical_box",
                "value_scale",
                "value_date",
                "value_datetime",
                "suggested_answer_id",
                "matrix_row_id",
            ],
        )
        sections["survey_invitations"] = (
            _("Survey Invitations"),
            self.env["qms.survey.invitation"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)]),
            [
                "survey_id",
                "partner_id",
                "trigger",
                "state",
                "skip_reason",
                "sent_date",
                "reminder_date",
            ],
        )
        return sections

    @api.model
    def _qms_anonymise_related(self, partners):
        log = super()._qms_anonymise_related(partners)
        answers = self._qms_survey_answers_of(partners)
        if not answers:
            return log
        answers.write({"email": False, "nickname": False})
        lines = answers.user_input_line_ids
        marker = _("[anonymised]")
        free_text = 0
        for answer_type in FREE_TEXT_TYPES:
            typed = lines.filtered(
                lambda line, t=answer_type: line.answer_type == t and line[f"value_{t}"]
            )
            if typed:
                # a marker, not False: a line is either skipped or answered
                typed.write({f"value_{answer_type}": marker})
                free_text += len(typed)
        log.append(
            _(
                "%(count)s survey answer(s): email and nickname cleared, "
                "%(texts)s free-text answer(s) replaced by %(marker)s (scores "
                "and choices kept)",
                count=len(answers),
                texts=free_text,
                marker=marker,
            )
        )
        return log
