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

Sections are a hook: this framework has none of its own;
``_qms_review_sections()`` lists them and each addon adds the sections of the
records it owns (``qms_crm_requirement``: reviews and changes;
``qms_crm_communication``: communication; ``qms_crm_complaint``: complaints and
cost of poor quality; ``qms_crm_property``: property;
``qms_crm_customer_insight``: alerts; ``qms_crm_survey``: satisfaction;
``qms_crm_recall``: recalls).
"""

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.dates import day_bounds
from .qms_evidence_mixin import QMS_TRUSTED, qms_lock

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
    # prepared and approved with their buttons only
    _qms_action_fields = frozenset(
        {
            "state",
            "prepared_date",
            "prepared_uid",
            "period_tz",
            "approved_date",
            "approved_uid",
        }
    )
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
        return []

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
        qms_lock(self)
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
            review._qms_action_write({"period_tz": self.env.tz.zone})
            self.env["qms.management.review.figure"].with_context(
                qms_action=QMS_TRUSTED
            ).create(review._qms_compute_figures())
            review._qms_action_write(
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
        qms_lock(self)
        for review in self:
            if review.state != "prepared":
                raise UserError(
                    _(
                        "Only a prepared review can be approved: prepare "
                        "%(review)s first.",
                        review=review.display_name,
                    )
                )
        self._qms_action_write(
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
            "qms_crm_evidence.qms_management_review_figure_action"
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
                self.env.ref(
                    "qms_crm_evidence.qms_management_review_figure_view_graph"
                ).id,
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
