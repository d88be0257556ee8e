# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review, customer input (ISO 9001 9.3.2 c) 1), 5.1.2 c)).

A review covers a period. Preparing it computes every figure once, from the
reporting views and stored columns with ``_read_group`` (a fixed number of
queries, whatever the volume), and stores them as rows of
``qms.management.review.figure``: later changes to tickets, answers or orders
never alter a prepared review. Each figure carries the value of the same
figure in the previous review, so the record shows the trend.

Periods are whole days of one time zone, the one the review is prepared in
(``period_tz``): from the first day 00:00 to the day after the last there.
Every figure counts records by a moment (a UTC datetime) inside these
bounds, never by a day recorded in somebody else's time zone.

Sections are a hook: ``_qms_review_sections()`` lists them and each addon adds
its own (``qms_crm_survey``: satisfaction; ``qms_crm_recall``: recalls).
"""

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.dates import day_bounds

STATES = [
    ("draft", "Draft"),
    ("prepared", "Prepared"),
    ("approved", "Approved"),
]
UNITS = [
    ("count", "Count"),
    ("pct", "%"),
    ("hours", "Hours"),
    ("amount", "Amount"),
    ("score", "Score"),
    ("rate", "Per 100 Orders"),
]
BETTER = [("higher", "Higher is better"), ("lower", "Lower is better")]


def _last_quarter(today):
    start = today.replace(day=1) - relativedelta(months=(today.month - 1) % 3 + 3)
    return start, start + relativedelta(months=3, days=-1)


class QmsManagementReview(models.Model):
    _name = "qms.management.review"
    _description = "Management Review (Customer Input)"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.evidence.mixin"]
    _order = "date_to desc, id desc"

    # quality users may comment on reviews (default: write access needed)
    _mail_post_access = "read"
    _qms_default_clauses = ("9.3.2 c) 1)", "5.1.2 c)")
    _qms_partner_field = None

    name = fields.Char(
        required=True,
        tracking=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        tracking=True,
        default=lambda self: _last_quarter(fields.Date.context_today(self))[0],
    )
    date_to = fields.Date(
        string="Period End",
        required=True,
        tracking=True,
        default=lambda self: _last_quarter(fields.Date.context_today(self))[1],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        STATES, default="draft", required=True, tracking=True, copy=False, index=True
    )
    chair_id = fields.Many2one(
        "res.users",
        string="Chaired by",
        default=lambda self: self.env.user,
        tracking=True,
        help="Top manager who chairs the review and signs its record.",
    )
    participant_ids = fields.Many2many("res.users", string="Participants")
    prepared_date = fields.Datetime(readonly=True, copy=False)
    period_tz = fields.Char(
        string="Days Counted In",
        readonly=True,
        copy=False,
        help="Time zone of the user who prepared the review: the period runs "
        "from midnight of its first day to midnight after its last day there.",
    )
    prepared_uid = fields.Many2one(
        "res.users", string="Prepared by", readonly=True, copy=False
    )
    approved_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    approved_uid = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False, tracking=True
    )
    previous_id = fields.Many2one(
        "qms.management.review",
        string="Previous Review",
        readonly=True,
        copy=False,
        help="The review whose figures this one is compared with, and whose "
        "actions it follows up.",
    )
    figure_ids = fields.One2many(
        "qms.management.review.figure", "review_id", string="Figures", readonly=True
    )
    figure_count = fields.Integer(compute="_compute_figure_count")
    summary = fields.Html(
        string="Conclusions",
        help="Conclusions of top management on customer satisfaction and "
        "complaints: opportunities for improvement, changes, resources.",
    )
    action_ids = fields.Many2many(
        "mail.activity",
        compute="_compute_action_ids",
        context={"active_test": False},
        string="Decisions and Actions",
        help="Activities scheduled on this review, open and done.",
    )
    previous_action_ids = fields.Many2many(
        "mail.activity",
        compute="_compute_action_ids",
        context={"active_test": False},
        string="Actions of the Previous Review",
    )
    trend_html = fields.Html(
        string="Monthly Trend Chart",
        compute="_compute_trend_html",
        sanitize=False,
        help="The monthly figures of the review as bars.",
    )
    active = fields.Boolean(default=True, tracking=True)

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for review in self:
            if review.date_from and review.date_to:
                review.name = _(
                    "Management Review %(start)s – %(end)s",
                    start=review.date_from,
                    end=review.date_to,
                )
            elif not review.name:
                review.name = _("Management Review")

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for review in self:
            if review.date_from > review.date_to:
                raise ValidationError(_("The period must start before it ends."))

    def _compute_figure_count(self):
        groups = dict(
            self.env["qms.management.review.figure"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.figure_count = groups.get(review, 0)

    def _compute_action_ids(self):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        ids = set(self.ids) | set(self.previous_id.ids)
        activities = Activity.search(
            [("res_model", "=", self._name), ("res_id", "in", list(ids))],
            order="date_deadline, id",
        )
        by_review = {}
        for activity in activities:
            by_review.setdefault(activity.res_id, []).append(activity.id)
        for review in self:
            review.action_ids = Activity.browse(by_review.get(review.id, []))
            review.previous_action_ids = Activity.browse(
                by_review.get(review.previous_id.id, [])
            )

    def _qms_trend_series(self):
        """[(name, [(month label, value, formatted, width %, negative)])] of
        the monthly figures, for the charts of the form and of the PDF."""
        self.ensure_one()
        series = {}
        for figure in self.figure_ids.filtered("month").sorted(
            lambda f: (f.sequence, f.month)
        ):
            series.setdefault(figure.name, []).append(figure)
        result = []
        for name, points in series.items():
            top = max([abs(p.value) for p in points] + [1.0])
            result.append(
                (
                    name,
                    [
                        (
                            p.month.strftime("%Y-%m"),
                            p.value,
                            p._qms_format(p.value),
                            int(100 * abs(p.value) / top),
                            p.value < 0,
                        )
                        for p in sorted(points, key=lambda p: p.month)
                    ],
                )
            )
        return result

    @api.depends("figure_ids")
    def _compute_trend_html(self):
        for review in self:
            parts = []
            for name, points in review._qms_trend_series():
                rows = Markup("").join(
                    Markup(
                        "<tr><td class='pe-2 text-nowrap'>%s</td>"
                        "<td style='width: 70%%;'><div style='height: 12px; "
                        "width: %s%%; background-color: %s;'></div></td>"
                        "<td class='ps-2 text-end text-nowrap'>%s</td></tr>"
                    )
                    % (
                        month,
                        width,
                        "#d9534f" if negative else "#017e84",
                        formatted,
                    )
                    for month, _value, formatted, width, negative in points
                )
                parts.append(
                    Markup(
                        "<div class='col-lg-4 mb-3'><strong>%s</strong>"
                        "<table class='w-100'>%s</table></div>"
                    )
                    % (escape(name), rows)
                )
            review.trend_html = (
                Markup("<div class='row'>%s</div>") % Markup("").join(parts)
                if parts
                else False
            )

    def _qms_is_locked(self):
        self.ensure_one()
        return self.state == "approved"

    # ------------------------------------------------------------------
    # Period
    # ------------------------------------------------------------------
    def _qms_tz(self):
        """The time zone the review counts its days in: the one it was
        prepared in, else the user's."""
        self.ensure_one()
        return pytz.timezone(self.period_tz) if self.period_tz else self.env.tz

    def _qms_today(self):
        """Today in the review's time zone."""
        return fields.Date.context_today(self.with_context(tz=self._qms_tz().zone))

    def _qms_period(self):
        """(start, end) UTC datetimes: the whole days of the period in the
        review's time zone, end excluded."""
        self.ensure_one()
        return day_bounds(self._qms_tz(), self.date_from, self.date_to)

    def _qms_period_domain(self, field):
        """The period on a datetime field (UTC)."""
        start, end = self._qms_period()
        return [(field, ">=", start), (field, "<", end)]

    def _qms_company_domain(self, model, field="company_id"):
        if field in self.env[model]._fields:
            return [(field, "in", [self.company_id.id, False])]
        return []

    # ------------------------------------------------------------------
    # Sections (hook): each returns a list of figure dicts
    # ------------------------------------------------------------------
    def _qms_review_sections(self):
        """[(key, label, method)] in the order of the record. Addons append
        theirs: ``method()`` returns a list of dicts with keys ``code``,
        ``name``, ``value`` and optionally ``unit``, ``better``, ``month``,
        ``dimension``, ``note``."""
        return [
            ("complaints", _("Complaints"), self._qms_figures_complaints),
            ("cost", _("Cost of Poor Quality"), self._qms_figures_cost),
            ("requirements", _("Requirement Reviews"), self._qms_figures_requirements),
            ("changes", _("Requirement Changes"), self._qms_figures_changes),
            ("property", _("Customer Property"), self._qms_figures_property),
            (
                "communication",
                _("Customer Communication"),
                self._qms_figures_communication,
            ),
            ("alerts", _("Proactive Alerts"), self._qms_figures_alerts),
        ]

    def _qms_figures_complaints(self):
        Report = self.env["qms.complaint.report"].sudo()
        domain = [
            ("is_complaint", "=", True),
            *self._qms_period_domain("create_date"),
            *self._qms_company_domain("qms.complaint.report"),
        ]
        [(count, ack, resolution, breaches)] = Report._read_group(
            domain,
            [],
            [
                "__count",
                "ack_hours:avg",
                "resolution_hours:avg",
                "breach_count:sum",
            ],
        )
        [(orders,)] = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "sale"),
                    *self._qms_period_domain("date_order"),
                    ("company_id", "=", self.company_id.id),
                ],
                [],
                ["__count"],
            )
        )
        figures = [
            {
                "code": "complaints.count",
                "name": _("Complaints received"),
                "value": count,
                "better": "lower",
            },
            {
                "code": "complaints.orders",
                "name": _("Orders confirmed"),
                "value": orders,
            },
            {
                "code": "complaints.rate",
                "name": _("Complaints per 100 orders"),
                "value": round(100.0 * count / orders, 2) if orders else 0.0,
                "unit": "rate",
                "better": "lower",
            },
            {
                "code": "complaints.ack_hours",
                "name": _("Mean acknowledgement time"),
                "value": round(ack or 0.0, 2),
                "unit": "hours",
                "better": "lower",
            },
            {
                "code": "complaints.resolution_hours",
                "name": _("Mean resolution time"),
                "value": round(resolution or 0.0, 2),
                "unit": "hours",
                "better": "lower",
            },
            {
                "code": "complaints.breaches",
                "name": _("Missed acknowledgement and resolution targets"),
                "value": breaches or 0,
                "better": "lower",
            },
        ]
        kinds = dict(Report._fields["feedback_kind"]._description_selection(self.env))
        for kind, kind_count in Report._read_group(
            domain, ["feedback_kind"], ["__count"]
        ):
            figures.append(
                {
                    "code": f"complaints.kind.{kind}",
                    "name": _("By kind"),
                    "dimension": kinds.get(kind, kind),
                    "value": kind_count,
                    "better": "lower",
                }
            )
        for cause, cause_count in Report._read_group(
            domain, ["root_cause_id"], ["__count"]
        ):
            figures.append(
                {
                    "code": f"complaints.cause.{cause.id or 0}",
                    "name": _("By root cause"),
                    "dimension": cause.name or _("Not analysed yet"),
                    "value": cause_count,
                    "better": "lower",
                }
            )
        repeat = Report._read_group(
            [*domain, ("partner_id", "!=", False)],
            ["partner_id"],
            ["__count"],
            having=[("__count", ">=", 2)],
        )
        figures.append(
            {
                "code": "complaints.repeat",
                "name": _("Repeat complainers"),
                "value": len(repeat),
                "better": "lower",
                "note": ", ".join(partner.display_name for partner, _n in repeat[:20]),
            }
        )
        return figures

    def _qms_figures_cost(self):
        Line = self.env["qms.compensation.line"].sudo()
        domain = [
            *self._qms_period_domain("date"),
            ("company_id", "=", self.company_id.id),
        ]
        kinds = dict(Line._fields["kind"]._description_selection(self.env))
        groups = Line._read_group(domain, ["kind"], ["amount_company:sum", "__count"])
        figures = [
            {
                "code": "cost.total",
                "name": _("Compensation granted"),
                "value": sum(amount for _k, amount, _c in groups),
                "unit": "amount",
                "better": "lower",
            },
            {
                "code": "cost.count",
                "name": _("Compensation lines"),
                "value": sum(count for _k, _a, count in groups),
                "better": "lower",
            },
        ]
        for kind, amount, _count in groups:
            figures.append(
                {
                    "code": f"cost.kind.{kind}",
                    "name": _("By kind"),
                    "dimension": kinds.get(kind, kind),
                    "value": amount,
                    "unit": "amount",
                    "better": "lower",
                }
            )
        return figures

    def _qms_figures_requirements(self):
        Order = self.env["sale.order"].sudo()
        groups = dict(
            Order._read_group(
                [
                    ("state", "=", "sale"),
                    *self._qms_period_domain("date_order"),
                    ("company_id", "=", self.company_id.id),
                ],
                ["qms_confirmed_without_review"],
                ["__count"],
            )
        )
        overrides = Order.search_read(
            [
                *self._qms_period_domain("qms_override_date"),
                ("company_id", "=", self.company_id.id),
            ],
            ["name", "qms_override_reason", "qms_override_user_id"],
            order="qms_override_date",
        )
        reviews = dict(
            self.env["qms.requirement.review"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    *self._qms_period_domain("review_date"),
                    ("company_id", "=", self.company_id.id),
                ],
                ["state"],
                ["__count"],
            )
        )
        figures = [
            {
                "code": "requirements.without_review",
                "name": _("Orders confirmed without approved review (target 0)"),
                "value": groups.get(True, 0),
                "better": "lower",
            },
            {
                "code": "requirements.overrides",
                "name": _("Review gate overrides"),
                "value": len(overrides),
                "better": "lower",
            },
            {
                "code": "requirements.approved",
                "name": _("Reviews approved"),
                "value": reviews.get("approved", 0),
            },
            {
                "code": "requirements.rejected",
                "name": _("Reviews rejected"),
                "value": reviews.get("rejected", 0),
            },
        ]
        for order in overrides:
            figures.append(
                {
                    "code": f"requirements.override.{order['id']}",
                    "name": _("Override"),
                    "dimension": order["name"],
                    "value": 1,
                    "note": "%s — %s"
                    % (
                        (order["qms_override_user_id"] or (0, ""))[1],
                        order["qms_override_reason"] or "",
                    ),
                }
            )
        return figures

    def _qms_figures_changes(self):
        period = self._qms_period_domain("change_date")
        [(changes,)] = (
            self.env["qms.requirement.version"]
            .sudo()
            ._read_group([*period, ("number", ">", 1)], [], ["__count"])
        )
        acks = {
            state: (count, delay)
            for state, count, delay in self.env["qms.requirement.ack"]
            .sudo()
            ._read_group(
                [("version_id", "any", [*period, ("number", ">", 1)])],
                ["state"],
                ["__count", "delay_hours:avg"],
            )
        }
        return [
            {
                "code": "changes.count",
                "name": _("Requirement changes"),
                "value": changes,
            },
            {
                "code": "changes.ack_done",
                "name": _("Acknowledgements given"),
                "value": acks.get("done", (0, 0))[0],
            },
            {
                "code": "changes.ack_pending",
                "name": _("Acknowledgements still pending"),
                "value": acks.get("pending", (0, 0))[0],
                "better": "lower",
            },
            {
                "code": "changes.ack_delay",
                "name": _("Mean acknowledgement delay"),
                "value": round(acks.get("done", (0, 0))[1] or 0.0, 2),
                "unit": "hours",
                "better": "lower",
            },
        ]

    def _qms_figures_property(self):
        Incident = (
            self.env["qms.property.incident"].sudo().with_context(active_test=False)
        )
        domain = [
            *self._qms_period_domain("detected_at"),
            *self._qms_company_domain("qms.property.incident"),
        ]
        kinds = dict(Incident._fields["kind"]._description_selection(self.env))
        groups = Incident._read_group(domain, ["kind"], ["__count"])
        [(personal,)] = Incident._read_group(
            [*domain, ("is_personal_data", "=", True)], [], ["__count"]
        )
        figures = [
            {
                "code": "property.incidents",
                "name": _("Property incidents"),
                "value": sum(count for _k, count in groups),
                "better": "lower",
            },
            {
                "code": "property.personal_data",
                "name": _("Of which on personal data"),
                "value": personal,
                "better": "lower",
            },
        ]
        for kind, count in groups:
            figures.append(
                {
                    "code": f"property.kind.{kind}",
                    "name": _("By kind"),
                    "dimension": kinds.get(kind, kind),
                    "value": count,
                    "better": "lower",
                }
            )
        return figures

    def _qms_figures_communication(self):
        Comm = self.env["qms.communication"].sudo().with_context(active_test=False)
        base = [("rule_id", "!=", False), ("company_id", "=", self.company_id.id)]
        executed = Comm._read_group(
            [*base, ("state", "=", "done"), *self._qms_period_domain("done_date")],
            ["rule_id"],
            ["__count"],
        )
        # deadlines are days: overdue when their day is over in the review's
        # time zone (also for a section added after the preparation)
        today = self._qms_today()
        overdue = Comm._read_group(
            [
                *base,
                ("state", "=", "planned"),
                ("planned_date", "<=", self.date_to),
                ("planned_date", "<", today),
            ],
            ["rule_id"],
            ["__count"],
        )
        figures = [
            {
                "code": "communication.executed",
                "name": _("Rule communications executed"),
                "value": sum(count for _r, count in executed),
                "better": "higher",
            },
            {
                "code": "communication.overdue",
                "name": _("Rule communications overdue"),
                "value": sum(count for _r, count in overdue),
                "better": "lower",
            },
        ]
        per_rule = {}
        for rule, count in executed:
            per_rule.setdefault(rule, [0, 0])[0] = count
        for rule, count in overdue:
            per_rule.setdefault(rule, [0, 0])[1] = count
        for rule, (done, late) in sorted(per_rule.items(), key=lambda i: i[0].id):
            figures.append(
                {
                    "code": f"communication.rule.{rule.id}",
                    "name": _("Executed"),
                    "dimension": rule.name,
                    "value": done,
                    "better": "higher",
                }
            )
            figures.append(
                {
                    "code": f"communication.rule_overdue.{rule.id}",
                    "name": _("Overdue"),
                    "dimension": rule.name,
                    "value": late,
                    "better": "lower",
                }
            )
        return figures

    def _qms_figures_alerts(self):
        Activity = self.env["mail.activity"].sudo().with_context(active_test=False)
        kinds = dict(
            Activity._fields["qms_alert_kind"]._description_selection(self.env)
        )
        groups = Activity._read_group(
            [("qms_alert_kind", "!=", False), *self._qms_period_domain("create_date")],
            ["qms_alert_kind", "active"],
            ["__count"],
        )
        raised = sum(count for _k, _a, count in groups)
        followed = sum(count for _k, active, count in groups if not active)
        figures = [
            {
                "code": "alerts.raised",
                "name": _("Customer alerts raised"),
                "value": raised,
            },
            {
                "code": "alerts.followed",
                "name": _("Alerts followed up"),
                "value": followed,
                "better": "higher",
            },
            {
                "code": "alerts.followed_pct",
                "name": _("Alerts followed up (%)"),
                "value": round(100.0 * followed / raised, 1) if raised else 0.0,
                "unit": "pct",
                "better": "higher",
            },
        ]
        per_kind = {}
        for kind, active, count in groups:
            per_kind.setdefault(kind, [0, 0])[0 if active else 1] += count
        for kind, (still_open, done) in sorted(per_kind.items()):
            figures.append(
                {
                    "code": f"alerts.kind.{kind}",
                    "name": _("Raised"),
                    "dimension": kinds.get(kind, kind),
                    "value": still_open + done,
                }
            )
        return figures

    # ------------------------------------------------------------------
    # Preparing (freezing) and approving
    # ------------------------------------------------------------------
    def _qms_find_previous(self):
        self.ensure_one()
        return self.search(
            [
                ("id", "!=", self.id),
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("prepared", "approved")),
                ("date_to", "<", self.date_from),
            ],
            order="date_to desc, id desc",
            limit=1,
        )

    def _qms_compute_figures(self, sections=None):
        """Figure values of the sections (all by default) as create vals."""
        self.ensure_one()
        self.env.flush_all()
        previous = {fig.code: fig.value for fig in self.previous_id.figure_ids}
        vals_list = []
        for key, label, method in self._qms_review_sections():
            if sections is not None and key not in sections:
                continue
            for figure in method():
                code = figure["code"]
                vals_list.append(
                    {
                        "review_id": self.id,
                        "sequence": len(vals_list) + 1,
                        "section": key,
                        "section_label": label,
                        "code": code,
                        "name": figure["name"],
                        "dimension": figure.get("dimension") or False,
                        "month": figure.get("month") or False,
                        "unit": figure.get("unit") or "count",
                        "better": figure.get("better") or False,
                        "value": figure["value"] or 0.0,
                        "has_previous": code in previous,
                        "previous_value": previous.get(code, 0.0),
                        "note": figure.get("note") or False,
                    }
                )
        return vals_list

    def action_prepare(self):
        """Compute and freeze the figures of the period."""
        for review in self:
            if review.state != "draft":
                raise UserError(
                    _(
                        "%(review)s is already prepared: its figures are frozen. "
                        "Create a new review to look at the data again.",
                        review=review.display_name,
                    )
                )
            review.previous_id = review._qms_find_previous()
            review.period_tz = self.env.tz.zone
            self.env["qms.management.review.figure"].create(
                review._qms_compute_figures()
            )
            review.write(
                {
                    "state": "prepared",
                    "prepared_date": fields.Datetime.now(),
                    "prepared_uid": self.env.user.id,
                }
            )
        return True

    def _qms_add_missing_sections(self):
        """Add the figures of sections that have none yet (an addon installed
        after the review was prepared). Existing figures never change."""
        for review in self.filtered(lambda r: r.state != "draft"):
            present = set(review.figure_ids.mapped("section"))
            missing = [
                key
                for key, _l, _m in review._qms_review_sections()
                if key not in present
            ]
            if missing:
                vals_list = review._qms_compute_figures(missing)
                offset = len(review.figure_ids)
                for vals in vals_list:
                    vals["sequence"] += offset
                self.env["qms.management.review.figure"].sudo().create(vals_list)

    def action_approve(self):
        for review in self:
            if review.state != "prepared":
                raise UserError(
                    _(
                        "Only a prepared review can be approved: prepare "
                        "%(review)s first.",
                        review=review.display_name,
                    )
                )
        self.write(
            {
                "state": "approved",
                "approved_date": fields.Datetime.now(),
                "approved_uid": self.env.user.id,
            }
        )
        return True

    def action_open_figures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm.qms_management_review_figure_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"search_default_group_section": 1}
        action["display_name"] = _("Figures of %s", self.display_name)
        return action

    def action_open_trend(self):
        """Graph of the monthly figures (satisfaction trend)."""
        action = self.action_open_figures()
        action["domain"] = [("review_id", "=", self.id), ("month", "!=", False)]
        action["view_mode"] = "graph,pivot,list"
        action["views"] = [
            (
                self.env.ref("qms_crm.qms_management_review_figure_view_graph").id,
                "graph",
            ),
            (False, "pivot"),
            (False, "list"),
        ]
        action["context"] = {}
        action["display_name"] = _("Monthly trend of %s", self.display_name)
        return action

    def _qms_report_sections(self):
        """[(label, figures)] in record order, for the printed record."""
        self.ensure_one()
        sections = []
        for figure in self.figure_ids.sorted("sequence"):
            if not sections or sections[-1][0] != figure.section_label:
                sections.append((figure.section_label, []))
            sections[-1][1].append(figure)
        return sections
