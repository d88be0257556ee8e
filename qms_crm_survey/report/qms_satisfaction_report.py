# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.survey_user_input import NPS_CATEGORIES, TRIGGERS


class QmsSatisfactionReport(models.Model):
    """One row per satisfaction survey response (answered or not), with the
    scores as measures whose average is the management figure:

    * ``nps``: +100 promoter, 0 passive, -100 detractor -> avg = NPS;
    * ``csat_pct``: 100 satisfied (4-5), 0 otherwise -> avg = CSAT %;
    * ``response_pct``: 100 answered, 0 not -> avg = response rate;
    * ``closed_loop_pct``: 100 when a detractor was followed up within 7 days.
    """

    _name = "qms.satisfaction.report"
    _description = "Customer Satisfaction Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "survey_id"
    _depends = {
        "survey.user_input": [
            "survey_id",
            "state",
            "test_entry",
            "end_datetime",
            "create_date",
            "qms_customer_id",
            "qms_team_id",
            "qms_user_id",
            "qms_product_categ_id",
            "qms_segment_id",
            "qms_trigger",
            "qms_nps_category",
            "qms_nps_score",
            "qms_csat_score",
            "qms_csat_satisfied",
            "qms_ces_score",
            "qms_has_score",
            "qms_is_detractor",
            "qms_closed_loop",
        ],
        "survey.survey": ["qms_survey_kind"],
        "crm.team": ["company_id"],
    }

    user_input_id = fields.Many2one("survey.user_input", string="Answer", readonly=True)
    survey_id = fields.Many2one("survey.survey", readonly=True)
    date = fields.Date(readonly=True)
    answered_at = fields.Datetime(string="Answered On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    segment_id = fields.Many2one(
        "res.partner.category", string="Customer Segment", readonly=True
    )
    trigger = fields.Selection(TRIGGERS, readonly=True)
    answered = fields.Boolean(readonly=True)
    nps_category = fields.Selection(
        NPS_CATEGORIES, string="NPS Category", readonly=True
    )
    nps = fields.Float(string="NPS", aggregator="avg", readonly=True, digits=(5, 1))
    nps_score = fields.Float(string="NPS Answer", aggregator="avg", readonly=True)
    csat_score = fields.Float(string="CSAT Answer", aggregator="avg", readonly=True)
    csat_pct = fields.Float(
        string="CSAT %", aggregator="avg", readonly=True, digits=(5, 1)
    )
    ces_score = fields.Float(string="CES Mean", aggregator="avg", readonly=True)
    response_pct = fields.Float(
        string="Response Rate %", aggregator="avg", readonly=True, digits=(5, 1)
    )
    closed_loop_pct = fields.Float(
        string="Closed Loop %",
        aggregator="avg",
        readonly=True,
        digits=(5, 1),
        help="Share of detractors followed up within 7 days: apology, resolution "
        "or closure of their recovery complaint.",
    )
    promoter_count = fields.Integer(string="Promoters", readonly=True)
    detractor_count = fields.Integer(string="Detractors", readonly=True)
    response_count = fields.Integer(string="Responses", readonly=True)

    @api.depends("survey_id")
    def _compute_display_name(self):
        # salespeople read the satisfaction of their customers, not the surveys
        for row in self:
            row.display_name = row.survey_id.sudo().display_name

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE OR REPLACE VIEW %s AS (%s)""",
                SQL.identifier(self._table),
                self._qms_query(),
            )
        )

    def _qms_query(self):
        return SQL(
            """
            SELECT ui.id AS id,
                   ui.id AS user_input_id,
                   ui.survey_id,
                   COALESCE(ui.end_datetime, ui.create_date)::date AS date,
                   COALESCE(ui.end_datetime, ui.create_date) AS answered_at,
                   ui.qms_customer_id AS partner_id,
                   ui.qms_team_id AS team_id,
                   team.company_id AS company_id,
                   ui.qms_user_id AS user_id,
                   ui.qms_product_categ_id AS product_categ_id,
                   ui.qms_segment_id AS segment_id,
                   ui.qms_trigger AS trigger,
                   ui.state = 'done' AS answered,
                   ui.qms_nps_category AS nps_category,
                   CASE ui.qms_nps_category WHEN 'promoter' THEN 100.0
                        WHEN 'passive' THEN 0.0 WHEN 'detractor' THEN -100.0
                   END AS nps,
                   CASE WHEN ui.qms_nps_category IS NOT NULL
                        THEN ui.qms_nps_score END AS nps_score,
                   NULLIF(ui.qms_csat_score, 0) AS csat_score,
                   CASE WHEN ui.qms_csat_score > 0
                        THEN CASE WHEN ui.qms_csat_satisfied THEN 100.0 ELSE 0.0 END
                   END AS csat_pct,
                   NULLIF(ui.qms_ces_score, 0) AS ces_score,
                   CASE WHEN ui.state = 'done' THEN 100.0 ELSE 0.0 END AS response_pct,
                   CASE WHEN ui.qms_is_detractor
                        THEN CASE WHEN ui.qms_closed_loop THEN 100.0 ELSE 0.0 END
                   END AS closed_loop_pct,
                   (ui.qms_nps_category = 'promoter')::int AS promoter_count,
                   (ui.qms_nps_category = 'detractor')::int AS detractor_count,
                   (ui.state = 'done')::int AS response_count
              FROM survey_user_input ui
              JOIN survey_survey s ON s.id = ui.survey_id
              LEFT JOIN crm_team team ON team.id = ui.qms_team_id
             WHERE (s.qms_survey_kind IS NOT NULL OR ui.qms_has_score)
               AND NOT COALESCE(ui.test_entry, FALSE)
            """
        )
