# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .qms_quality_objective import STATUS_COLORS, STATUSES


class QmsQualityObjectiveResult(models.Model):
    """The actual of an objective for one period, measured by the engine.
    A running period is measured again every day; once the period closed,
    its result is final and never changes (9.1.3 evidence)."""

    _name = "qms.quality.objective.result"
    _description = "Quality Objective Result"
    _order = "period_start desc, id desc"
    _rec_name = "objective_id"

    objective_id = fields.Many2one(
        "qms.quality.objective",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="objective_id.company_id", store=True, index=True
    )
    owner_id = fields.Many2one(related="objective_id.owner_id", store=True)
    metric = fields.Selection(related="objective_id.metric", store=True)
    period_start = fields.Date(required=True, readonly=True, index=True)
    period_end = fields.Date(required=True, readonly=True)
    period_tz = fields.Char(string="Days Counted In", readonly=True)
    actual = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    has_data = fields.Boolean(readonly=True)
    target = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    direction = fields.Selection(
        [("higher", "At least the target"), ("lower", "At most the target")],
        readonly=True,
    )
    status = fields.Selection(STATUSES, readonly=True, index=True)
    achieved = fields.Boolean(compute="_compute_achieved", store=True)
    color = fields.Integer(compute="_compute_color")
    closed = fields.Boolean(
        string="Period Closed",
        readonly=True,
        help="The period ended: this result is final.",
    )
    measured_on = fields.Datetime(readonly=True)

    _objective_period_uniq = models.Constraint(
        "UNIQUE(objective_id, period_start)",
        "An objective has one result per period.",
    )

    @api.depends("status")
    def _compute_achieved(self):
        for result in self:
            result.achieved = result.status == "on_track"

    def _compute_color(self):
        for result in self:
            result.color = STATUS_COLORS.get(result.status or "no_data", 0)

    @api.depends("objective_id", "period_start", "period_end")
    def _compute_display_name(self):
        for result in self:
            result.display_name = (
                f"{result.objective_id.name} "
                f"{result.period_start} – {result.period_end}"
            )

    def write(self, vals):
        # access rights first: who may not write is told so, not why
        self.check_access("write")
        if not self.env.su and any(result.closed for result in self):
            raise UserError(
                _("The result of a closed period is final and cannot be changed.")
            )
        return super().write(vals)

    def _qms_notify_owner(self):
        """An activity for the owner of each objective whose period closed at
        risk or missed."""
        statuses = dict(self._fields["status"]._description_selection(self.env))
        for result in self.filtered(lambda r: r.status in ("at_risk", "missed")):
            objective = result.objective_id
            objective.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_(
                    "Objective %(status)s: %(name)s",
                    status=statuses[result.status],
                    name=objective.name,
                ),
                note=_(
                    "Period %(start)s – %(end)s: actual %(actual).2f, target "
                    "%(target).2f. Analyse the causes and plan actions.",
                    start=result.period_start,
                    end=result.period_end,
                    actual=result.actual,
                    target=result.target,
                ),
                user_id=objective.owner_id.id,
            )
