# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Quality objectives (ISO 9001 6.2): a customer metric, a scope, a target
and a direction, measured every period (monthly, quarterly, yearly) from the
same engine as the management review and the dashboard, kept as a history of
results per period."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.qms_crm_metrics.models.qms_metric import (
    DIMENSIONS,
    METRIC_SPECS,
    METRICS,
)

PERIODICITIES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
]
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("missed", "Missed"),
    ("no_data", "No Data"),
]
# worst first, for the roll-up
STATUS_RANK = {"missed": 0, "at_risk": 1, "on_track": 2, "no_data": 3}
STATUS_COLORS = {"on_track": 10, "at_risk": 2, "missed": 1, "no_data": 0}
SCOPE_FIELDS = {
    "segment": "segment_id",
    "abc": "abc_class",
    "team": "team_id",
    "user": "scope_user_id",
    "categ": "categ_id",
    "product": "product_id",
}


def period_of(day, periodicity):
    """(first day, last day) of the period of ``periodicity`` holding ``day``."""
    months = PERIOD_MONTHS[periodicity]
    start = day.replace(day=1, month=((day.month - 1) // months) * months + 1)
    return start, start + relativedelta(months=months, days=-1)


def objective_status(actual, target, direction, band):
    """on_track when the actual meets the target, at_risk when it misses it
    by no more than ``band`` (in the metric's unit), missed beyond."""
    if actual is None:
        return "no_data"
    gap = actual - target if direction == "higher" else target - actual
    if gap >= 0:
        return "on_track"
    if gap >= -abs(band or 0.0):
        return "at_risk"
    return "missed"


class QmsQualityObjective(models.Model):
    _name = "qms.quality.objective"
    _description = "Quality Objective"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.evidence.mixin"]
    _order = "parent_path, sequence, id"
    _parent_store = True
    _qms_default_clauses = ("6.2", "9.1.3")
    _qms_partner_field = None

    name = fields.Char(required=True, tracking=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Html(help="Why this objective, how it will be achieved.")
    metric = fields.Selection(METRICS, required=True, tracking=True)
    unit = fields.Char(compute="_compute_unit")
    scope = fields.Selection(
        DIMENSIONS,
        required=True,
        default="company",
        tracking=True,
        help="What the metric is measured on: the whole company or one "
        "customer segment, ABC class, sales team, salesperson, product "
        "category or product.",
    )
    segment_id = fields.Many2one(
        "res.partner.category", string="Customer Segment", tracking=True
    )
    abc_class = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C")], string="ABC Class", tracking=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", tracking=True)
    scope_user_id = fields.Many2one("res.users", string="Salesperson", tracking=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", tracking=True
    )
    product_id = fields.Many2one("product.product", string="Product", tracking=True)
    target = fields.Float(required=True, tracking=True, digits=(16, 2))
    direction = fields.Selection(
        [("higher", "At least the target"), ("lower", "At most the target")],
        compute="_compute_direction",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        tracking=True,
    )
    risk_band = fields.Float(
        string="At-Risk Band",
        default=5.0,
        digits=(16, 2),
        tracking=True,
        help="How far (in the metric's unit) the actual may miss the target "
        "and still count as at risk rather than missed.",
    )
    periodicity = fields.Selection(
        PERIODICITIES, required=True, default="monthly", tracking=True
    )
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Who is accountable: gets an activity when a period closes at "
        "risk or missed.",
    )
    parent_id = fields.Many2one(
        "qms.quality.objective",
        string="Delegated from",
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "qms.quality.objective", "parent_id", string="Delegated Objectives"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    result_ids = fields.One2many(
        "qms.quality.objective.result", "objective_id", string="Results"
    )
    last_result_id = fields.Many2one(
        "qms.quality.objective.result",
        compute="_compute_last_result",
        string="Latest Result",
    )
    actual = fields.Float(
        compute="_compute_last_result", digits=(16, 2), string="Latest Actual"
    )
    status = fields.Selection(
        STATUSES,
        compute="_compute_last_result",
        search="_search_status",
        string="Status",
    )
    rollup_status = fields.Selection(
        STATUSES,
        compute="_compute_rollup_status",
        string="Status with Delegated",
        help="The worst status of this objective and of the objectives "
        "delegated from it.",
    )
    color = fields.Integer(compute="_compute_last_result")
    active = fields.Boolean(default=True, tracking=True)

    @api.depends("metric")
    def _compute_unit(self):
        units = {"pct": "%", "rate": _("per 100 orders"), "hours": _("hours")}
        for objective in self:
            spec = METRIC_SPECS.get(objective.metric)
            objective.unit = units.get(spec[1], "") if spec else ""

    @api.depends("metric")
    def _compute_direction(self):
        for objective in self:
            spec = METRIC_SPECS.get(objective.metric)
            if spec and not objective.direction:
                objective.direction = spec[2]
            elif not objective.direction:
                objective.direction = "higher"

    @api.depends("result_ids.status", "result_ids.period_start")
    def _compute_last_result(self):
        """The latest result of every objective in one query."""
        Result = self.env["qms.quality.objective.result"]
        ids = [oid for oid in self.ids if oid]
        last = {}
        if ids:
            Result.flush_model(["objective_id", "period_start"])
            self.env.cr.execute(
                """SELECT DISTINCT ON (objective_id) objective_id, id
                     FROM qms_quality_objective_result
                    WHERE objective_id = ANY(%s)
                    ORDER BY objective_id, period_start DESC, id DESC""",
                [ids],
            )
            last = dict(self.env.cr.fetchall())
        for objective in self:
            result = Result.browse(last.get(objective.id, []))
            objective.last_result_id = result
            objective.actual = result.actual
            objective.status = result.status or "no_data"
            objective.color = STATUS_COLORS[objective.status]

    def _search_status(self, operator, value):
        if operator not in ("=", "in"):
            return NotImplemented
        values = [value] if operator == "=" else list(value)
        self.env.cr.execute(
            """SELECT DISTINCT ON (objective_id) objective_id, status
                 FROM qms_quality_objective_result
                ORDER BY objective_id, period_start DESC, id DESC"""
        )
        last = dict(self.env.cr.fetchall())
        ids = [oid for oid, status in last.items() if status in values]
        if "no_data" in values:
            ids += (
                self.with_context(active_test=False)
                .search([("id", "not in", list(last))])
                .ids
            )
        return [("id", "in", ids)]

    def _compute_rollup_status(self):
        for objective in self:
            family = self.search([("id", "child_of", objective.id)])
            statuses = [s for s in family.mapped("status") if s != "no_data"]
            objective.rollup_status = (
                min(statuses, key=STATUS_RANK.get) if statuses else "no_data"
            )

    @api.constrains(
        "scope",
        "segment_id",
        "abc_class",
        "team_id",
        "scope_user_id",
        "categ_id",
        "product_id",
    )
    def _check_scope(self):
        for objective in self:
            fname = SCOPE_FIELDS.get(objective.scope)
            if fname and not objective[fname]:
                raise ValidationError(
                    _(
                        "Objective %(name)s is scoped by %(scope)s: choose which one.",
                        name=objective.name,
                        scope=dict(
                            self._fields["scope"]._description_selection(self.env)
                        )[objective.scope],
                    )
                )

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(_("An objective cannot be delegated from itself."))

    # ------------------------------------------------------------------
    # Measuring
    # ------------------------------------------------------------------
    def _qms_scope_key(self):
        self.ensure_one()
        fname = SCOPE_FIELDS.get(self.scope)
        if not fname:
            return 0
        value = self[fname]
        return value if isinstance(value, str) else value.id

    def _qms_today(self, company):
        tz = self.env["qms.metric"]._qms_company_tz(company)
        return tz, fields.Date.context_today(self.with_context(tz=tz.zone))

    def _qms_measure(self, periods):
        """Create or update the results of ``periods``: {objective: [(start,
        end, closed)]}. One engine call per company, period and scope kind,
        whatever the number of objectives."""
        Metric = self.env["qms.metric"].sudo()
        Result = self.env["qms.quality.objective.result"].sudo()
        batches = defaultdict(lambda: self.browse())
        for objective, spans in periods.items():
            for start, end, closed in spans:
                batches[
                    (objective.company_id, start, end, closed, objective.scope)
                ] |= objective
        existing = {
            (r.objective_id.id, r.period_start): r
            for r in Result.search([("objective_id", "in", self.ids)])
        }
        created = Result.browse()
        for (company, start, end, closed, scope), objectives in batches.items():
            tz = Metric._qms_company_tz(company)
            values = Metric._qms_compute(
                start,
                end,
                tz,
                company,
                scope,
                metrics=list(set(objectives.mapped("metric"))),
            )
            for objective in objectives:
                actual = values.get(objective._qms_scope_key(), {}).get(
                    objective.metric
                )
                vals = {
                    "objective_id": objective.id,
                    "period_start": start,
                    "period_end": end,
                    "actual": actual or 0.0,
                    "has_data": actual is not None,
                    "target": objective.target,
                    "direction": objective.direction,
                    "status": objective_status(
                        actual,
                        objective.target,
                        objective.direction,
                        objective.risk_band,
                    ),
                    "closed": closed,
                    "period_tz": tz.zone,
                    "measured_on": fields.Datetime.now(),
                }
                result = existing.get((objective.id, start))
                if result and result.closed:
                    continue  # a closed period is never measured again
                if result:
                    result.write(vals)
                else:
                    result = Result.create(vals)
                if closed:
                    created |= result
        created._qms_notify_owner()
        return created

    def _qms_due_periods(self, today, history=0):
        """The current period (running) and the closed ones without a closed
        result: the last one, or the last ``history`` ones."""
        self.ensure_one()
        current = period_of(today, self.periodicity)
        months = PERIOD_MONTHS[self.periodicity]
        closed_done = set(self.result_ids.filtered("closed").mapped("period_start"))
        spans = [(current[0], current[1], False)]
        for n in range(1, max(history, 1) + 1):
            start = current[0] - relativedelta(months=months * n)
            if start in closed_done:
                continue
            spans.append((start, start + relativedelta(months=months, days=-1), True))
        return spans

    def action_qms_measure(self, history=0):
        """Measure the running period and close the periods that ended."""
        periods = {}
        for objective in self:
            _tz, today = self._qms_today(objective.company_id)
            periods[objective] = objective._qms_due_periods(today, history)
        return self._qms_measure(periods)

    def action_qms_measure_history(self):
        """Fill the results of the last twelve months."""
        for objective in self:
            objective.action_qms_measure(
                history=12 // PERIOD_MONTHS[objective.periodicity]
            )
        return True

    @api.model
    def _cron_qms_measure(self):
        """Daily: the running periods, and the periods that just closed."""
        self.search([("active", "=", True)]).action_qms_measure()

    def action_open_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_objective.qms_quality_objective_result_action"
        )
        action["domain"] = [("objective_id", "child_of", self.id)]
        action["context"] = {"search_default_group_objective": 1}
        return action
