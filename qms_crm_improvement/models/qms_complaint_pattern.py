# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Proactive pattern alert: complaints about one product, or with one root
cause, above a threshold in a rolling window (Settings) make an alert with an
activity for the quality manager; never two open alerts for one pattern (a
partial unique index), the open one is updated instead."""

from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

KINDS = [("product", "Product"), ("root_cause", "Root Cause")]


class QmsComplaintPattern(models.Model):
    _name = "qms.complaint.pattern"
    _description = "Complaint Pattern Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state, last_count desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(KINDS, required=True, readonly=True)
    product_id = fields.Many2one("product.product", readonly=True, index=True)
    root_cause_id = fields.Many2one(
        "qms.complaint.root.cause", string="Root Cause", readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    first_count = fields.Integer(string="Complaints When Raised", readonly=True)
    last_count = fields.Integer(
        string="Complaints in Window", readonly=True, tracking=True
    )
    window_days = fields.Integer(readonly=True)
    threshold = fields.Integer(readonly=True)
    detected_date = fields.Datetime(readonly=True)
    last_check_date = fields.Datetime(readonly=True)
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "qms_complaint_pattern_ticket_rel",
        "pattern_id",
        "ticket_id",
        string="Complaints",
        readonly=True,
    )
    nonconformity_id = fields.Many2one(
        "mgmtsystem.nonconformity", readonly=True, copy=False
    )

    def init(self):
        tools.create_index(
            self.env.cr,
            "qms_complaint_pattern_open_uniq",
            self._table,
            [
                "company_id",
                "kind",
                "COALESCE(product_id, 0)",
                "COALESCE(root_cause_id, 0)",
            ],
            where="state = 'open'",
            unique=True,
        )

    @api.depends("kind", "product_id", "root_cause_id")
    def _compute_name(self):
        for pattern in self:
            subject = (
                pattern.product_id.display_name
                if pattern.kind == "product"
                else pattern.root_cause_id.name
            )
            pattern.name = _("Complaints: %s", subject or "")

    @api.model
    def _qms_settings(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        threshold = int(get("qms_crm.pattern_threshold", 5) or 5)
        days = int(get("qms_crm.pattern_days", 30) or 30)
        user = self.env["res.users"].browse(int(get("qms_crm.pattern_user_id", 0) or 0))
        return threshold, days, user.exists()

    @api.model
    def _qms_detect(self, now=None):
        """One grouped query per kind over the window; create or update the
        open alerts. Returns the alerts created."""
        threshold, days, user = self._qms_settings()
        now = now or fields.Datetime.now()
        self.env.flush_all()
        since = now - timedelta(days=days)
        created = self.browse()
        for kind, column in (
            ("product", "qms_product_id"),
            ("root_cause", "qms_root_cause_id"),
        ):
            self.env.cr.execute(
                SQL(
                    """SELECT company_id, %(col)s, array_agg(id ORDER BY id)
                         FROM helpdesk_ticket
                        WHERE qms_is_complaint AND %(col)s IS NOT NULL
                          AND COALESCE(qms_received_date, create_date) >= %(since)s
                          AND COALESCE(qms_received_date, create_date) <= %(now)s
                        GROUP BY company_id, %(col)s
                       HAVING count(*) >= %(threshold)s""",
                    col=SQL.identifier(column),
                    since=since,
                    now=now,
                    threshold=threshold,
                )
            )
            rows = self.env.cr.fetchall()
            field = "product_id" if kind == "product" else "root_cause_id"
            open_alerts = {
                (a.company_id.id, a[field].id): a
                for a in self.sudo().search(
                    [("state", "=", "open"), ("kind", "=", kind)]
                )
            }
            for company_id, key, ticket_ids in rows:
                vals = {
                    "last_count": len(ticket_ids),
                    "last_check_date": now,
                    "ticket_ids": [(6, 0, ticket_ids)],
                }
                alert = open_alerts.get((company_id, key))
                if alert:
                    alert.write(vals)
                    continue
                alert = self.sudo().create(
                    dict(
                        vals,
                        kind=kind,
                        company_id=company_id,
                        first_count=len(ticket_ids),
                        window_days=days,
                        threshold=threshold,
                        detected_date=now,
                        **{field: key},
                    )
                )
                created |= alert
        created._qms_alert_manager(user)
        return created

    def _qms_alert_manager(self, user):
        for alert in self:
            responsible = user or self.env.ref("base.user_admin")
            alert.activity_schedule(
                "qms_crm_improvement.mail_activity_type_pattern_alert",
                summary=alert.name,
                note=_(
                    "%(count)s complaints in %(days)s days (threshold %(threshold)s). "
                    "Analyse them and raise a nonconformity if needed.",
                    count=alert.last_count,
                    days=alert.window_days,
                    threshold=alert.threshold,
                ),
                user_id=responsible.id,
            )

    @api.model
    def _cron_qms_detect(self):
        self._qms_detect()

    def action_qms_raise_nonconformity(self):
        self.ensure_one()
        if self.nonconformity_id:
            raise UserError(_("A nonconformity was already raised for %s.", self.name))
        nc = self.env["mgmtsystem.nonconformity"]._qms_raise(
            "pattern",
            self.name,
            _(
                "%(count)s complaints in %(days)s days (threshold %(threshold)s).",
                count=self.last_count,
                days=self.window_days,
                threshold=self.threshold,
            ),
            tickets=self.ticket_ids,
            root_cause=self.root_cause_id,
            product=self.product_id,
            pattern=self,
        )
        self.nonconformity_id = nc
        return nc._qms_open_form()

    def action_qms_close(self):
        """Close the alert: the next detection may open a new one."""
        self.write({"state": "closed"})
        self.activity_ids.action_feedback(feedback=_("Pattern alert closed."))
        return True
