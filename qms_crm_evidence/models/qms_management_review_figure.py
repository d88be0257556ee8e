# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .qms_evidence_mixin import qms_trusted
from .qms_management_review import BETTER, UNITS


class QmsManagementReviewFigure(models.Model):
    """One frozen figure of a management review: written once when the review
    is prepared, never changed afterwards."""

    _name = "qms.management.review.figure"
    _description = "Management Review Figure"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one(
        "qms.management.review",
        string="Review",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    currency_id = fields.Many2one(related="review_id.currency_id")
    review_date_to = fields.Date(
        related="review_id.date_to", store=True, string="Review Period End"
    )
    sequence = fields.Integer(default=10)
    section = fields.Char(required=True, index=True, string="Section Key")
    section_label = fields.Char(string="Section", required=True)
    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Figure", required=True)
    dimension = fields.Char(string="Detail")
    month = fields.Date(help="Month of a monthly trend figure.")
    unit = fields.Selection(UNITS, default="count", required=True)
    better = fields.Selection(BETTER, string="Direction")
    value = fields.Float(digits=(16, 2), aggregator="sum")
    has_previous = fields.Boolean(string="In Previous Review")
    previous_value = fields.Float(
        string="Previous Review", digits=(16, 2), aggregator="sum"
    )
    delta = fields.Float(
        string="Change", compute="_compute_delta", store=True, digits=(16, 2)
    )
    trend = fields.Selection(
        [("better", "Better"), ("worse", "Worse"), ("same", "Unchanged")],
        compute="_compute_delta",
        store=True,
    )
    note = fields.Text()

    @api.depends("value", "previous_value", "has_previous", "better")
    def _compute_delta(self):
        for figure in self:
            figure.delta = (
                figure.value - figure.previous_value if figure.has_previous else 0.0
            )
            if not figure.has_previous:
                figure.trend = False
            elif not figure.delta:
                figure.trend = "same"
            elif not figure.better:
                figure.trend = False
            elif (figure.delta > 0) == (figure.better == "higher"):
                figure.trend = "better"
            else:
                figure.trend = "worse"

    @api.depends("name", "dimension", "month")
    def _compute_display_name(self):
        for figure in self:
            parts = [figure.name]
            if figure.dimension:
                parts.append(figure.dimension)
            if figure.month:
                parts.append(figure.month.strftime("%Y-%m"))
            figure.display_name = " / ".join(p for p in parts if p)

    @api.model_create_multi
    def create(self, vals_list):
        # figures are computed by 'Prepare' (and frozen): never added by hand
        if not (
            self.env.su
            or qms_trusted(self.env, "qms_action")
            or qms_trusted(self.env, "qms_correction")
        ):
            raise UserError(
                _(
                    "Management review figures are computed when the review is "
                    "prepared: they cannot be added by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        # access rights first: a user without write access gets the access
        # error, not the business rule
        self.check_access("write")
        if not qms_trusted(self.env, "qms_correction"):
            raise UserError(
                _(
                    "Management review figures are frozen when the review is "
                    "prepared and cannot be changed."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        raise UserError(
            _(
                "Management review figures are frozen when the review is "
                "prepared and cannot be deleted."
            )
        )

    def _qms_format(self, value):
        """Printable value in the figure's unit."""
        self.ensure_one()
        if self.unit == "amount":
            return (
                self.currency_id.format(value) if self.currency_id else "%.2f" % value
            )
        if self.unit == "pct":
            return "%.1f %%" % value
        if self.unit == "hours":
            return _("%(hours).1f h", hours=value)
        if self.unit in ("score", "rate"):
            return "%.2f" % value
        return "%d" % round(value)
