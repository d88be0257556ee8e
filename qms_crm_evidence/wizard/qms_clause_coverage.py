# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..models.qms_clause import COVERAGE_DAYS
from ..tools.dates import day_bounds


class QmsClauseCoverage(models.TransientModel):
    _name = "qms.clause.coverage"
    _description = "Clause Coverage Period"

    date_from = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self) - timedelta(days=COVERAGE_DAYS)
        ),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period must start before it ends."))

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_evidence.qms_clause_coverage_list_action"
        )
        # whole days in the user's time zone, stored as UTC like every datetime;
        # the coverage period includes its end (datetimes are whole seconds)
        date_from, end = day_bounds(self.env.tz, self.date_from, self.date_to)
        date_to = end - timedelta(seconds=1)
        action["context"] = {
            "qms_date_from": fields.Datetime.to_string(date_from),
            "qms_date_to": fields.Datetime.to_string(date_to),
        }
        action["display_name"] = _(
            "Clause Coverage %(start)s – %(end)s",
            start=self.date_from,
            end=self.date_to,
        )
        return action
