# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket import SEVERITIES


class QmsComplaintTarget(models.Model):
    """How fast a team acknowledges and resolves a complaint of a severity,
    in working hours of the team's calendar (time waiting on the customer
    does not count)."""

    _name = "qms.complaint.target"
    _description = "Complaint Response Target"
    _order = "team_id, severity desc, id"

    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Team",
        index=True,
        ondelete="cascade",
        help="Leave empty for the target of teams that have none of their own.",
    )
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    ack_hours = fields.Float(
        string="Acknowledge within (working hours)", required=True, default=8.0
    )
    resolution_hours = fields.Float(
        string="Resolve within (working hours)", required=True, default=40.0
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    active = fields.Boolean(default=True)

    _team_severity_uniq = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (team_id, severity, company_id)",
        "There is already a target for this team and severity.",
    )

    @api.constrains("ack_hours", "resolution_hours")
    def _check_hours(self):
        for target in self:
            if target.ack_hours <= 0 or target.resolution_hours <= 0:
                raise ValidationError(
                    _("Target times must be positive numbers of working hours.")
                )
            if target.resolution_hours < target.ack_hours:
                raise ValidationError(
                    _(
                        "The resolution time cannot be shorter than the "
                        "acknowledgement time."
                    )
                )

    @api.depends("team_id", "severity")
    def _compute_display_name(self):
        labels = dict(self._fields["severity"]._description_selection(self.env))
        for target in self:
            target.display_name = "%s / %s" % (
                target.team_id.display_name or _("All teams"),
                labels.get(target.severity, ""),
            )
