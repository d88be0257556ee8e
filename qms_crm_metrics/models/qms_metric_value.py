# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError

from .qms_metric import DIMENSIONS, METRIC_SPECS, METRICS

UNITS = [
    ("pct", "%"),
    ("rate", "Per 100 Orders"),
    ("hours", "Hours"),
    ("score", "Score"),
]
DIMENSION_FIELDS = {
    "segment": "segment_id",
    "abc": "abc_class",
    "team": "team_id",
    "user": "user_id",
    "categ": "categ_id",
    "product": "product_id",
}


class QmsMetricValue(models.Model):
    """One metric of one month for the company or one value of a dimension:
    the rows of the monthly dashboard (graph and pivot), written by the
    monthly job from ``qms.metric`` and never edited."""

    _name = "qms.metric.value"
    _description = "Customer Metric by Month"
    _order = "month desc, metric, dimension, id"

    month = fields.Date(required=True, index=True, readonly=True)
    metric = fields.Selection(METRICS, required=True, index=True, readonly=True)
    unit = fields.Selection(UNITS, readonly=True)
    better = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        string="Direction",
        readonly=True,
    )
    dimension = fields.Selection(
        DIMENSIONS, required=True, default="company", index=True, readonly=True
    )
    segment_id = fields.Many2one(
        "res.partner.category", string="Customer Segment", readonly=True
    )
    abc_class = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C")], string="ABC Class", readonly=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    value = fields.Float(digits=(16, 2), aggregator="avg", readonly=True)
    numerator = fields.Float(digits=(16, 2), readonly=True)
    denominator = fields.Float(digits=(16, 2), readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    period_tz = fields.Char(string="Days Counted In", readonly=True)

    def init(self):
        # OTIF reads the deliveries done in a period
        tools.create_index(
            self.env.cr,
            "qms_metrics_picking_date_done_idx",
            "stock_picking",
            ["date_done"],
            where="state = 'done'",
        )

    @api.model
    def _qms_refresh(self, months=1, company=None, today=None):
        """(Re)compute the last ``months`` whole months before ``today`` (in
        the company's time zone) for the company and every dimension."""
        company = company or self.env.company
        Metric = self.env["qms.metric"]
        tz = Metric._qms_company_tz(company)
        today = today or fields.Date.context_today(self.with_context(tz=tz.zone))
        first = today.replace(day=1)
        starts = [first - relativedelta(months=n) for n in range(months, 0, -1)]
        self.sudo().search(
            [("company_id", "=", company.id), ("month", "in", starts)]
        ).unlink()
        vals_list = []
        for start in starts:
            end = start + relativedelta(months=1, days=-1)
            for dimension, _label in DIMENSIONS:
                raw = Metric._qms_raw(start, end, tz, company, dimension)
                for key, codes in Metric._qms_values(raw).items():
                    for code, (value, num, den) in codes.items():
                        if value is None:
                            continue
                        vals = {
                            "month": start,
                            "metric": code,
                            "unit": METRIC_SPECS[code][1],
                            "better": METRIC_SPECS[code][2],
                            "dimension": dimension,
                            "value": value,
                            "numerator": num,
                            "denominator": den,
                            "company_id": company.id,
                            "period_tz": tz.zone,
                        }
                        if dimension in DIMENSION_FIELDS:
                            vals[DIMENSION_FIELDS[dimension]] = key or False
                        vals_list.append(vals)
        return self.sudo().create(vals_list)

    @api.model
    def _cron_refresh(self):
        """Monthly: the month that just ended, for every company."""
        for company in self.env["res.company"].search([("active", "=", True)]):
            self.with_company(company)._qms_refresh(months=1, company=company)

    @api.model
    def action_qms_recompute_year(self):
        if not self.env.user.has_group("qms_crm_evidence.group_qms_manager"):
            raise AccessError(
                _("Only Quality CRM managers recompute the customer metrics.")
            )
        self._qms_refresh(months=12)
        # the dashboard with the new figures (a page reload would restart
        # whatever the user was doing)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_metrics.qms_metric_value_action"
        )
