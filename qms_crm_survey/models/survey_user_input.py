# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

NPS_CATEGORIES = [
    ("promoter", "Promoter"),
    ("passive", "Passive"),
    ("detractor", "Detractor"),
]
TRIGGERS = [
    ("ticket_closed", "Ticket closed"),
    ("delivery_done", "Delivery done"),
    ("order_done", "Order delivered and invoiced"),
    ("relationship", "Relationship survey"),
    ("focus_group", "Focus group"),
    ("manual", "Manual"),
]
# a detractor is followed up when its recovery ticket is closed within this delay
CLOSED_LOOP_DAYS = 7


def nps_category(score):
    """NPS category of a 0-10 answer: promoter 9-10, passive 7-8, detractor 0-6."""
    if score is None or score is False:
        return False
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


def csat_satisfied(score):
    """A 1-5 CSAT answer is satisfied at 4 or 5."""
    return bool(score) and score >= 4


class SurveyUserInput(models.Model):
    _name = "survey.user_input"
    # completed scored answers are evidence of 9.1.2 (index, coverage, pack);
    # only them: no evidence rule reaches the survey app's other answers
    _inherit = ["survey.user_input", "qms.evidence.indexed"]
    _qms_default_clauses = ("9.1.2",)
    _qms_evidence_where_fields = ("state", "qms_has_score", "test_entry")

    @api.model
    def _qms_evidence_where(self, alias):
        return SQL(
            "%s = 'done' AND %s AND NOT coalesce(%s, FALSE)",
            SQL.identifier(alias, "state"),
            SQL.identifier(alias, "qms_has_score"),
            SQL.identifier(alias, "test_entry"),
        )

    # who answered is part of the evidence (9.1.2, 7.5.3): changes are tracked
    partner_id = fields.Many2one(tracking=True)
    email = fields.Char(tracking=True)

    # -- scores (ISO 9001 9.1.2), stored and indexed for the trends ---------
    qms_nps_score = fields.Integer(
        string="NPS Answer", compute="_compute_qms_scores", store=True, aggregator="avg"
    )
    qms_nps_category = fields.Selection(
        NPS_CATEGORIES,
        string="NPS Category",
        compute="_compute_qms_scores",
        store=True,
        index="btree_not_null",
    )
    qms_csat_score = fields.Integer(
        string="CSAT Answer",
        compute="_compute_qms_scores",
        store=True,
        aggregator="avg",
    )
    qms_csat_satisfied = fields.Boolean(
        string="Satisfied", compute="_compute_qms_scores", store=True
    )
    qms_ces_score = fields.Integer(
        string="CES Answer", compute="_compute_qms_scores", store=True, aggregator="avg"
    )
    qms_has_score = fields.Boolean(
        string="Has Satisfaction Score",
        compute="_compute_qms_scores",
        store=True,
        index=True,
    )
    qms_is_detractor = fields.Boolean(
        string="Needs Recovery",
        compute="_compute_qms_scores",
        store=True,
        help="NPS detractor (0-6) or CSAT of 2 or less: a service-recovery "
        "complaint is opened when the answer is submitted.",
    )
    # -- who and what the answer is about ----------------------------------
    qms_customer_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_qms_customer_id",
        store=True,
        index="btree_not_null",
    )
    qms_trigger = fields.Selection(
        TRIGGERS, string="Trigger", readonly=True, index="btree_not_null"
    )
    qms_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    qms_sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    qms_picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    qms_focus_group_id = fields.Many2one(
        "qms.focus.group", string="Focus Group", readonly=True, ondelete="set null"
    )
    # snapshot of the reporting dimensions when the customer was asked
    qms_team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_qms_dimensions", store=True
    )
    qms_user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_qms_dimensions",
        store=True,
    )
    qms_product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        compute="_compute_qms_dimensions",
        store=True,
    )
    qms_segment_id = fields.Many2one(
        "res.partner.category",
        string="Customer Segment",
        compute="_compute_qms_dimensions",
        store=True,
    )
    # -- closing the loop --------------------------------------------------
    qms_recovery_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Recovery Complaint",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    qms_followup_date = fields.Datetime(
        string="Followed up on",
        compute="_compute_qms_followup_date",
        store=True,
        help="First time the recovery complaint reached the customer: apology, "
        "resolution or closure (the complaint playbook's stamps).",
    )
    qms_closed_loop = fields.Boolean(
        string="Followed up in 7 days",
        compute="_compute_qms_closed_loop",
        store=True,
    )

    @api.depends(
        "user_input_line_ids.value_scale",
        "user_input_line_ids.skipped",
        "user_input_line_ids.qms_satisfaction_kind",
    )
    def _compute_qms_scores(self):
        for answer in self:
            scores = {}
            for line in answer.user_input_line_ids.sorted("id"):
                kind = line.qms_satisfaction_kind
                if kind and not line.skipped and kind not in scores:
                    scores[kind] = line.value_scale
            nps, csat = scores.get("nps"), scores.get("csat")
            answer.qms_nps_score = nps or 0
            answer.qms_nps_category = nps_category(nps)
            answer.qms_csat_score = csat or 0
            answer.qms_csat_satisfied = csat_satisfied(csat)
            answer.qms_ces_score = scores.get("ces") or 0
            answer.qms_has_score = bool(scores)
            answer.qms_is_detractor = answer.qms_nps_category == "detractor" or (
                csat is not None and csat <= 2
            )

    @api.depends("partner_id.commercial_partner_id")
    def _compute_qms_customer_id(self):
        for answer in self:
            answer.qms_customer_id = answer.partner_id.commercial_partner_id

    @api.depends("qms_ticket_id", "qms_sale_order_id", "qms_picking_id", "partner_id")
    def _compute_qms_dimensions(self):
        for answer in self:
            ticket, picking = answer.qms_ticket_id, answer.qms_picking_id
            order = (
                answer.qms_sale_order_id or ticket.qms_sale_order_id or picking.sale_id
            )
            customer = answer.partner_id.commercial_partner_id
            product = ticket.qms_product_id or picking.move_ids[:1].product_id
            if not product and order:
                product = order.order_line.filtered("product_id")[:1].product_id
            salesperson = order.user_id or customer.user_id
            answer.qms_team_id = order.team_id or salesperson.sale_team_id
            answer.qms_user_id = salesperson
            answer.qms_product_categ_id = product.categ_id
            answer.qms_segment_id = customer.category_id[:1]

    @api.depends(
        "qms_recovery_ticket_id.qms_apologised_date",
        "qms_recovery_ticket_id.qms_resolved_date",
        "qms_recovery_ticket_id.closed_date",
    )
    def _compute_qms_followup_date(self):
        for answer in self:
            ticket = answer.qms_recovery_ticket_id
            dates = [
                d
                for d in (
                    ticket.qms_apologised_date,
                    ticket.qms_resolved_date,
                    ticket.closed_date,
                )
                if d
            ]
            answer.qms_followup_date = min(dates) if dates else False

    @api.depends("qms_is_detractor", "end_datetime", "qms_followup_date")
    def _compute_qms_closed_loop(self):
        for answer in self:
            answer.qms_closed_loop = bool(
                answer.qms_is_detractor
                and answer.end_datetime
                and answer.qms_followup_date
                and answer.qms_followup_date
                <= answer.end_datetime + timedelta(days=CLOSED_LOOP_DAYS)
            )

    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_qms_scored_answer(self):
        if self.filtered(
            lambda a: a.state == "done" and a.qms_has_score and not a.test_entry
        ):
            raise UserError(
                _(
                    "Completed satisfaction answers are quality evidence (ISO 9001 "
                    "clauses 9.1.2 and 7.5.3) and are never deleted."
                )
            )

    def _mark_done(self):
        res = super()._mark_done()
        answers = self.filtered(lambda a: not a.test_entry)
        if answers:
            self.env["qms.survey.invitation"].sudo().search(
                [("user_input_id", "in", answers.ids), ("state", "!=", "answered")]
            ).write({"state": "answered"})
            answers._qms_recover_detractors()
        return res

    def _qms_recover_detractors(self):
        """Open (or join) one service-recovery complaint per detractor answer.

        Runs once per answer: an answer already linked to a recovery ticket is
        left alone, so re-submitting or re-running never opens a second one.
        """
        todo = self.filtered(
            lambda a: (
                a.qms_is_detractor
                and not a.qms_recovery_ticket_id
                and a.qms_customer_id
                and not a.test_entry
            )
        )
        tickets = self.env["helpdesk.ticket"]
        for answer in todo:
            tickets |= tickets.sudo()._qms_survey_recovery(answer)
        return tickets

    def action_qms_open_recovery(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.qms_recovery_ticket_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _qms_generate_demo(self, per_month=40):
        """A year of relationship-survey answers with a visible dip (months
        -7 to -5: a late-delivery crisis) and the recovery after it."""
        import random  # noqa: PLC0415

        survey = self.env.ref("qms_crm_survey.survey_qms_relationship")
        questions = {q.qms_satisfaction_kind: q for q in survey.question_ids}
        orders = self.env["sale.order"].search([("state", "=", "sale")], order="id")
        customers = orders.partner_id.commercial_partner_id.filtered("email")
        customers |= self.env["res.partner"].search(
            [("is_company", "=", True), ("email", "!=", False)], limit=8, order="id"
        )
        if len(questions) < 3:
            return self.browse()
        orders_by_customer = {
            customer: orders.filtered(
                lambda o, c=customer: o.partner_id.commercial_partner_id == c
            )
            for customer in customers
        }
        # target NPS per calendar month, oldest first
        targets = [32, 36, 38, 35, 12, -15, -22, -5, 18, 34, 42, 48]
        rng = random.Random(9001)
        triggers = ["order_done", "delivery_done", "ticket_closed", "relationship"]
        now = fields.Datetime.now()
        vals_list = []
        for age, target in zip(range(11, -1, -1), targets, strict=True):
            month = now.replace(day=1, hour=9, minute=0) - relativedelta(months=age)
            last_day = (now.day - 1) if age == 0 else 27
            promoters = (0.75 + target / 100) / 2
            detractors = (0.75 - target / 100) / 2
            for _i in range(per_month):
                draw = rng.random()
                if draw < promoters:
                    nps = rng.choice((9, 10))
                    csat, ces = rng.choice((4, 5, 5)), rng.randint(5, 7)
                elif draw < promoters + detractors:
                    nps = rng.randint(2, 6)
                    csat, ces = rng.choice((2, 3, 3)), rng.randint(2, 4)
                else:
                    nps = rng.choice((7, 8))
                    csat, ces = rng.choice((3, 4)), rng.randint(4, 6)
                when = month + timedelta(
                    days=rng.randint(0, max(last_day, 0)), hours=rng.randint(0, 8)
                )
                partner = customers[rng.randrange(len(customers))]
                order = orders_by_customer[partner][:1]
                vals_list.append(
                    {
                        "survey_id": survey.id,
                        "partner_id": partner.id,
                        "email": partner.email,
                        "state": "done",
                        "start_datetime": when - timedelta(minutes=3),
                        "end_datetime": when,
                        "qms_trigger": rng.choice(triggers),
                        "qms_sale_order_id": order.id,
                        "user_input_line_ids": [
                            Command.create(
                                {
                                    "question_id": questions[kind].id,
                                    "answer_type": "scale",
                                    "value_scale": value,
                                }
                            )
                            for kind, value in (
                                ("nps", nps),
                                ("csat", csat),
                                ("ces", ces),
                            )
                        ],
                    }
                )
        answers = self.create(vals_list)
        # a few invitations, one skipped by the fatigue rule, for the list
        Invitation = self.env["qms.survey.invitation"]
        nps = self.env.ref("qms_crm_survey.survey_qms_nps")
        for customer in customers[:3]:
            Invitation._qms_invite(nps, customer, trigger="order_done")
        Invitation._qms_invite(nps, customers[:1], trigger="relationship")
        return answers

    # Detractor answers left without follow-up raise the "negative feedback"
    # customer alert of qms_crm for the salesperson.
    #
    # An answer is a candidate when it is a detractor (NPS 0-6 or CSAT of 2 or
    # less), was submitted more than ``qms_crm.alert_feedback_days`` days ago, was
    # never followed up (no recovery complaint, or one that reached the customer
    # neither by an apology, a resolution nor its closure) and never raised an
    # alert before: each answer alerts once, even after the alert is done.
    qms_alert_date = fields.Datetime(
        string="Customer Alert Raised",
        readonly=True,
        copy=False,
        help="When this detractor answer left without follow-up raised a "
        "customer alert for the salesperson (once per answer).",
    )
