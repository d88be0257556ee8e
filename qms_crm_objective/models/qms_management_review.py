# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review section: every quality objective with its target, its
actual, the trend against its previous period and whether it was achieved
(6.2, 9.3.2 c 1). Frozen with the review like every figure."""

from odoo import _, models

from odoo.addons.qms_crm_metrics.models.qms_metric import METRIC_SPECS


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return super()._qms_review_sections() + [
            ("objectives", _("Quality Objectives"), self._qms_figures_objectives),
        ]

    def _qms_figures_objectives(self):
        """The last closed result of each objective in the period of the
        review (two queries)."""
        Result = self.env["qms.quality.objective.result"].sudo()
        results = Result.search(
            [
                ("company_id", "=", self.company_id.id),
                ("closed", "=", True),
                ("period_end", ">=", self.date_from),
                ("period_end", "<=", self.date_to),
                ("objective_id.active", "=", True),
            ],
            order="objective_id, period_start desc",
        )
        latest = {}
        for result in results:
            latest.setdefault(result.objective_id, result)
        previous = {
            r.objective_id: r
            for r in Result.search(
                [
                    ("objective_id", "in", [o.id for o in latest]),
                    ("closed", "=", True),
                    ("period_end", "<", self.date_from),
                ],
                order="period_start asc",
            )
        }
        statuses = dict(Result._fields["status"]._description_selection(self.env))
        figures = []
        for objective, result in sorted(
            latest.items(), key=lambda item: item[0].parent_path or ""
        ):
            before = previous.get(objective)
            spec = METRIC_SPECS[objective.metric]
            if before and before.has_data and result.has_data:
                trend = result.actual - before.actual
                if objective.direction == "lower":
                    trend = -trend
                trend_text = (
                    _("better than the period before")
                    if trend > 0
                    else _("worse than the period before")
                    if trend < 0
                    else _("unchanged")
                )
            else:
                trend_text = _("no earlier period")
            figures.append(
                {
                    "code": f"objectives.{objective.id}",
                    "name": objective.name,
                    "dimension": _(
                        "%(start)s – %(end)s",
                        start=result.period_start,
                        end=result.period_end,
                    ),
                    "value": round(result.actual, 2) if result.has_data else 0.0,
                    "unit": spec[1],
                    "better": objective.direction,
                    "note": _(
                        "Target %(target).2f; status %(status)s; achieved: "
                        "%(achieved)s; trend: %(trend)s; owner %(owner)s",
                        target=result.target,
                        status=statuses.get(result.status, ""),
                        achieved=_("yes") if result.achieved else _("no"),
                        trend=trend_text,
                        owner=objective.owner_id.name,
                    ),
                }
            )
        return figures
