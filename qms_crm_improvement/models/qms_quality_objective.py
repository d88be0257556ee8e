# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


class QmsQualityObjective(models.Model):
    _inherit = "qms.quality.objective"

    nonconformity_ids = fields.One2many(
        "mgmtsystem.nonconformity", "qms_objective_id", string="Nonconformities"
    )

    def action_qms_raise_nonconformity(self):
        """Raise a nonconformity from a missed objective (or one at risk)."""
        self.ensure_one()
        result = self.result_ids.filtered("closed")[:1]
        if result.status not in ("missed", "at_risk"):
            raise UserError(
                _(
                    "%(name)s was not missed in its last closed period: no "
                    "nonconformity to raise.",
                    name=self.name,
                )
            )
        nc = self.env["mgmtsystem.nonconformity"]._qms_raise(
            "objective",
            _("Objective not achieved: %s", self.name),
            _(
                "Period %(start)s – %(end)s: actual %(actual).2f against the "
                "target %(target).2f.",
                start=result.period_start,
                end=result.period_end,
                actual=result.actual,
                target=result.target,
            ),
            objective=self,
            product=self.product_id,
            responsible=self.owner_id,
        )
        return nc._qms_open_form()
