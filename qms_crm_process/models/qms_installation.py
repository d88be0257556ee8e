# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class QmsInstallation(models.Model):
    """An installation or service visit for an order (ISO 9001 8.5.1): when,
    by whom, its checklist and photos, done on time or not, and the
    customer's acceptance act."""

    _name = "qms.installation"
    _description = "Installation / Service Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date desc, id desc"

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default=lambda self: _("New")
    )
    kind = fields.Selection(
        [("installation", "Installation"), ("service", "Service Visit")],
        required=True,
        default="installation",
        tracking=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Order", index=True, tracking=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    address_id = fields.Many2one(
        "res.partner",
        string="Address",
        help="Where the visit takes place (the order's delivery address).",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team")
    installer_id = fields.Many2one(
        "res.users",
        string="Installer",
        domain=[("share", "=", False)],
        tracking=True,
    )
    crew_ids = fields.Many2many(
        "res.users", string="Crew", domain=[("share", "=", False)]
    )
    planned_date = fields.Datetime(required=True, tracking=True)
    done_date = fields.Datetime(readonly=True, tracking=True, copy=False)
    on_time = fields.Boolean(
        compute="_compute_on_time",
        store=True,
        help="Done on or before the planned day (in the team's time zone).",
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        default="planned",
        required=True,
        tracking=True,
        readonly=True,
    )
    check_ids = fields.One2many(
        "qms.installation.check", "installation_id", string="Checklist", copy=True
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        "qms_installation_photo_rel",
        string="Photos",
    )
    act_ids = fields.One2many(
        "qms.acceptance.act", "installation_id", string="Acceptance Acts"
    )
    act_state = fields.Selection(
        related="act_ids.state", string="Acceptance", readonly=True
    )
    maintenance_plan_id = fields.Many2one(
        "qms.maintenance.plan", string="Maintenance Plan", index="btree_not_null"
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    note = fields.Html()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "qms.installation"
                ) or _("New")
            if vals.get("sale_order_id") and not vals.get("partner_id"):
                order = self.env["sale.order"].browse(vals["sale_order_id"])
                vals["partner_id"] = order.partner_id.id
                vals.setdefault("address_id", order.partner_shipping_id.id)
                vals.setdefault("team_id", order.team_id.id)
        return super().create(vals_list)

    @api.depends("planned_date", "done_date", "team_id")
    def _compute_on_time(self):
        for visit in self:
            if not (visit.done_date and visit.planned_date):
                visit.on_time = False
                continue
            tz = pytz.timezone(
                (visit.team_id and visit.team_id._qms_process_calendar().tz)
                or self.env.user.tz
                or "UTC"
            )
            planned_day = pytz.utc.localize(visit.planned_date).astimezone(tz).date()
            end = tz.localize(
                datetime.combine(planned_day + timedelta(days=1), time.min)
            )
            visit.on_time = pytz.utc.localize(visit.done_date) < end.astimezone(
                pytz.utc
            )

    def action_done(self):
        for visit in self:
            if visit.state != "planned":
                raise UserError(_("%s is not planned.", visit.name))
            open_checks = visit.check_ids.filtered(lambda c: not c.done)
            if open_checks:
                raise UserError(
                    _(
                        "%(visit)s: tick the checklist first (%(items)s).",
                        visit=visit.name,
                        items=", ".join(open_checks.mapped("name")),
                    )
                )
        self.write({"state": "done", "done_date": fields.Datetime.now()})
        return True

    def action_cancel(self):
        self.filtered(lambda v: v.state == "planned").write({"state": "cancel"})
        return True

    def action_new_act(self):
        """Create the acceptance act with one line per requirement of the
        order (or one line for the order as a whole)."""
        self.ensure_one()
        act = self.act_ids.filtered(lambda a: a.state != "refused")[:1]
        if not act:
            act = self.env["qms.acceptance.act"].create(
                {
                    "installation_id": self.id,
                    "line_ids": [Command.create(v) for v in self._qms_act_lines()],
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.acceptance.act",
            "res_id": act.id,
            "view_mode": "form",
        }

    def _qms_act_lines(self):
        self.ensure_one()
        order = self.sale_order_id
        # every accepted requirement of the order, also those of customers the
        # installer does not sell to: the act is built from the order
        requirements = self.env["qms.requirement"].sudo()
        if order:
            requirements = requirements.search(
                [
                    ("order_id", "=", order.id),
                    ("state", "=", "accepted"),
                ]
            )
        if requirements:
            return [
                {"requirement_id": req.id, "name": req.name} for req in requirements
            ]
        lines = [
            {"name": line.name} for line in order.order_line if not line.display_type
        ]
        return lines or [{"name": _("Work done as agreed")}]
