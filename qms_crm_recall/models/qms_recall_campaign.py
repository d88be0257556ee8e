# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Why over 600 lines: one model (qms.recall.campaign): scope (set-based SQL),
# notification in batches, effectiveness and exports of one campaign life cycle.
import base64
import csv
import io
import logging
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QmsEvidenceMixin
from odoo.addons.qms_crm_evidence.tools.dates import day_bounds

from .res_config_settings import DEFAULT_REMIND_DAYS

_logger = logging.getLogger(__name__)

KINDS = [
    ("recall", "Recall"),
    ("field_safety", "Field Safety Notice / Correction"),
    ("nonconforming", "Nonconforming Output Notice"),
    ("advisory", "Advisory"),
]
HAZARD_CLASSES = [
    ("class_1", "Class I - serious harm likely"),
    ("class_2", "Class II - temporary or reversible harm"),
    ("class_3", "Class III - harm unlikely"),
    ("none", "No safety hazard (quality only)"),
]
STATES = [
    ("draft", "Draft"),
    ("scoped", "Scoped"),
    ("notifying", "Notifying"),
    ("monitoring", "Monitoring"),
    ("closed", "Closed"),
]
# line states that mean "the customer has been told"
NOTIFIED_STATES = (
    "notified",
    "reminded",
    "escalated",
    "acknowledged",
    "returned",
    "closed",
)
# line states that mean "the customer has answered"
ACK_STATES = ("acknowledged", "returned", "closed")
# campaign states in which notices and reminders go out
SENDING_STATES = ("notifying", "monitoring")
# first key of the advisory lock taken while a campaign's letter is rendered
LETTER_LOCK = 74201
# name of the index the scope query stands on (see readme/DESCRIPTION.md)
LOT_INDEX = "qms_recall_stock_move_line_lot_id_idx"
CSV_COLUMNS = (
    "campaign",
    "customer",
    "contact",
    "contact_email",
    "delivery",
    "delivery_date",
    "sale_order",
    "product",
    "lot",
    "quantity",
    "state",
    "notified_date",
    "acknowledged_date",
    "quantity_on_hand",
    "remedy",
    "quantity_returned",
    "quantity_corrected",
)


class QmsRecallCampaign(models.Model):
    """A recall, field safety notice, nonconforming-output notice or advisory
    to the customers who received affected products or services (ISO 9001
    8.2.1 e, 8.7.1 c)."""

    _name = "qms.recall.campaign"
    _description = "Recall Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.evidence.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "title"]
    _qms_default_clauses = ("8.2.1 e)", "8.7.1 c)")
    _qms_action_fields = frozenset({"state", "scope_date", "closed_date"})
    _qms_partner_field = None
    _qms_unlocked_fields = (
        frozenset({"message_ids", "activity_user_id"})
        | QmsEvidenceMixin._qms_unlocked_fields
    )

    name = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    title = fields.Char(required=True, tracking=True, translate=True)
    kind = fields.Selection(KINDS, required=True, default="recall", tracking=True)
    reason = fields.Text(
        required=True,
        tracking=True,
        translate=True,
        help="What is wrong with the product or service and why customers "
        "are told. Printed on the notice letter.",
    )
    instructions = fields.Text(
        string="What Customers Must Do",
        translate=True,
        help="Printed on the notice letter and in the email.",
    )
    hazard_class = fields.Selection(
        HAZARD_CLASSES,
        string="Hazard / Severity Class",
        required=True,
        default="class_2",
        tracking=True,
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        tracking=True,
        help="Affected products. Goods whose lots are listed below are limited "
        "to those lots; other goods are scoped by delivery date range; "
        "services by the sale or invoice date range.",
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Lots / Serial Numbers",
        domain="[('product_id', 'in', product_ids)]",
    )
    date_from = fields.Date(
        string="From",
        tracking=True,
        help="First delivery (or sale/invoice, for services) date in scope.",
    )
    date_to = fields.Date(string="To", tracking=True)
    regulator_ref = fields.Char(string="Regulator Reference", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        required=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
        group_expand=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    remind_days = fields.Integer(
        string="Remind After (days)",
        default=lambda self: self._default_remind_days(),
        help="Days without acknowledgement before a reminder; the second "
        "reminder is followed by a phone-call activity.",
    )
    scope_date = fields.Datetime(string="Last Scoped On", readonly=True, copy=False)
    line_ids = fields.One2many(
        "qms.recall.line", "campaign_id", string="Customers Affected", copy=False
    )
    line_count = fields.Integer(compute="_compute_effectiveness", string="Lines")
    partner_count = fields.Integer(compute="_compute_effectiveness", string="Customers")
    to_notify_count = fields.Integer(
        compute="_compute_effectiveness", string="Waiting for Notice"
    )
    notice_progress = fields.Float(
        compute="_compute_effectiveness",
        string="Notices Generated (%)",
        help="Lines whose notice has been generated, of all lines: the "
        "progress of the sending started by Start Notifying, which runs in "
        "the background.",
    )
    mail_outgoing_count = fields.Integer(
        compute="_compute_mail_outgoing_count",
        string="Notices Waiting for the Mail Server",
        help="Notice and reminder mails of the campaign queued but not yet "
        "taken by the mail server; they are delivered in the background.",
    )
    notified_pct = fields.Float(
        compute="_compute_effectiveness",
        string="Customers Notified (%)",
        help="Customers all of whose lines have been notified.",
    )
    ack_pct = fields.Float(
        compute="_compute_effectiveness",
        string="Customers Acknowledged (%)",
        help="Customers who acknowledged every notice they received.",
    )
    qty_delivered = fields.Float(
        compute="_compute_effectiveness", string="Quantity Affected"
    )
    qty_recovered = fields.Float(
        compute="_compute_effectiveness", string="Quantity Returned or Corrected"
    )
    qty_pct = fields.Float(
        compute="_compute_effectiveness",
        string="Quantity Returned or Corrected (%)",
    )
    effectiveness_checked = fields.Boolean(
        string="Effectiveness Checked",
        tracking=True,
        copy=False,
        help="The responsible verified that the campaign reached its goal "
        "(notified, acknowledged, products returned or corrected).",
    )
    closing_note = fields.Text(
        string="Effectiveness Check Note", tracking=True, copy=False
    )
    closed_date = fields.Datetime(readonly=True, copy=False, tracking=True)

    _remind_days_positive = models.Constraint(
        "CHECK (remind_days > 0)",
        "Reminder delay must be at least one day.",
    )

    # ------------------------------------------------------------------
    # Index the scope query stands on
    # ------------------------------------------------------------------
    @api.model
    def _default_remind_days(self):
        """Settings › Quality CRM › Recalls (default 7 days)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm_recall.remind_days", DEFAULT_REMIND_DAYS)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_REMIND_DAYS

    def init(self):
        res = super().init()
        # Odoo 19 has no index on stock_move_line.lot_id: finding the
        # deliveries of a lot then scans every move line (about 25x slower on
        # a million move lines). Documented in readme/DESCRIPTION.md.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON stock_move_line (lot_id) "
                "WHERE lot_id IS NOT NULL",
                SQL.identifier(LOT_INDEX),
            )
        )
        return res

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends(
        "line_ids.state",
        "line_ids.quantity",
        "line_ids.qty_returned",
        "line_ids.qty_corrected",
    )
    def _compute_effectiveness(self):
        stats = {c.id: {} for c in self}
        if self.ids:
            groups = self.env["qms.recall.line"]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id", "partner_id", "state"],
                ["__count", "quantity:sum", "qty_returned:sum", "qty_corrected:sum"],
            )
            for campaign, partner, state, count, qty, ret, corr in groups:
                per_partner = stats[campaign.id].setdefault(partner.id, [])
                per_partner.append((state, count, qty, ret, corr))
        for campaign in self:
            partners = stats.get(campaign.id) or {}
            lines = [row for rows in partners.values() for row in rows]
            n_partners = len(partners)
            notified = sum(
                1
                for rows in partners.values()
                if all(row[0] in NOTIFIED_STATES for row in rows)
            )
            acked = sum(
                1
                for rows in partners.values()
                if all(row[0] in ACK_STATES for row in rows)
            )
            qty = sum(row[2] for row in lines)
            recovered = sum(min(row[2], row[3] + row[4]) for row in lines)
            campaign.line_count = sum(row[1] for row in lines)
            campaign.partner_count = n_partners
            campaign.to_notify_count = sum(
                row[1] for row in lines if row[0] == "to_notify"
            )
            campaign.notice_progress = (
                100.0
                * (campaign.line_count - campaign.to_notify_count)
                / campaign.line_count
                if campaign.line_count
                else 0
            )
            campaign.notified_pct = 100.0 * notified / n_partners if n_partners else 0
            campaign.ack_pct = 100.0 * acked / n_partners if n_partners else 0
            campaign.qty_delivered = qty
            campaign.qty_recovered = recovered
            campaign.qty_pct = 100.0 * recovered / qty if qty else 0

    def _compute_mail_outgoing_count(self):
        """Mails of the campaign's lines still in the queue: one query for
        all campaigns (mail_message is indexed on model, res_id)."""
        counts = {}
        if self.ids:
            self.env["mail.mail"].flush_model(["state", "mail_message_id"])
            self.env["mail.message"].flush_model(["model", "res_id"])
            self.env["qms.recall.line"].flush_model(["campaign_id"])
            self.env.cr.execute(
                SQL(
                    """SELECT l.campaign_id, count(*)
                         FROM mail_mail m
                         JOIN mail_message msg ON msg.id = m.mail_message_id
                         JOIN qms_recall_line l ON l.id = msg.res_id
                        WHERE msg.model = 'qms.recall.line'
                          AND m.state = 'outgoing'
                          AND l.campaign_id = ANY(%s)
                        GROUP BY l.campaign_id""",
                    self.ids,
                )
            )
            counts = dict(self.env.cr.fetchall())
        for campaign in self:
            campaign.mail_outgoing_count = counts.get(campaign.id, 0)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for campaign in self:
            if (
                campaign.date_from
                and campaign.date_to
                and campaign.date_from > campaign.date_to
            ):
                raise ValidationError(
                    _("The start of the date range must not be after its end.")
                )

    @api.constrains("lot_ids", "product_ids")
    def _check_lots_products(self):
        for campaign in self:
            stray = campaign.lot_ids.filtered(
                lambda lot, c=campaign: lot.product_id not in c.product_ids
            )
            if stray:
                raise ValidationError(
                    _(
                        "Lots %(lots)s are of products that are not in the "
                        "campaign. Add their products first.",
                        lots=", ".join(stray.mapped("name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "qms.recall.campaign"
                ) or _("New")
        return super().create(vals_list)

    def _qms_is_locked(self):
        self.ensure_one()
        return self.state == "closed"

    @api.depends("name", "title")
    def _compute_display_name(self):
        for campaign in self:
            campaign.display_name = (
                f"{campaign.name} {campaign.title}" if campaign.title else campaign.name
            )

    # ------------------------------------------------------------------
    # Scope: who received what, when
    # ------------------------------------------------------------------
    def _scope_lot_ids(self):
        """Lots whose deliveries are in scope: the campaign's lots and what
        was made from them (``stock.lot._qms_recall_downstream_lot_ids``,
        which the mrp bridge extends)."""
        self.ensure_one()
        if not self.lot_ids:
            return set()
        return self.env["stock.lot"]._qms_recall_downstream_lot_ids(
            set(self.lot_ids.ids)
        )

    def _scope_date_sql(self, column, dates=False):
        """The From/To condition on ``column``: a date column compares days,
        a datetime column (UTC) the whole days in the user's time zone."""
        self.ensure_one()
        if not (self.date_from or self.date_to):
            return SQL("TRUE")
        conditions = []
        if dates:
            if self.date_from:
                conditions.append(SQL("%s >= %s", column, self.date_from))
            if self.date_to:
                conditions.append(SQL("%s <= %s", column, self.date_to))
            return SQL(" AND ").join(conditions)
        start, end = day_bounds(
            self.env.tz,
            self.date_from or self.date_to,
            self.date_to or self.date_from,
        )
        if self.date_from:
            conditions.append(SQL("%s >= %s", column, start))
        if self.date_to:
            conditions.append(SQL("%s < %s", column, end))
        return SQL(" AND ").join(conditions)

    def _scope_delivery_rows(self, lot_ids=None):
        """Done deliveries to customer locations of the lots in scope and of
        the goods without lots listed, grouped per delivery and lot.

        One query; the lot branch uses the index on stock_move_line.lot_id.
        Returns a list of dicts (picking_id, partner_id, contact_id, lot_id,
        product_id, quantity, delivery_date)."""
        self.ensure_one()
        if lot_ids is None:
            lot_ids = self._scope_lot_ids()
        goods = self.product_ids.filtered(lambda p: p.type != "service")
        no_lot_products = goods - self.lot_ids.product_id
        branches = []
        date_cond = self._scope_date_sql(SQL("sml.date"))
        if lot_ids:
            branches.append(
                SQL(
                    "SELECT sml.id, sml.picking_id, sml.location_dest_id, sml.lot_id, "
                    "sml.product_id, sml.quantity_product_uom, sml.date "
                    "FROM stock_move_line sml "
                    "WHERE sml.lot_id = ANY(%s) AND sml.state = 'done' AND %s",
                    sorted(lot_ids),
                    date_cond,
                )
            )
        if no_lot_products:
            branches.append(
                SQL(
                    "SELECT sml.id, sml.picking_id, sml.location_dest_id, sml.lot_id, "
                    "sml.product_id, sml.quantity_product_uom, sml.date "
                    "FROM stock_move_line sml "
                    "WHERE sml.product_id = ANY(%s) AND sml.state = 'done' "
                    "AND sml.picking_id IS NOT NULL AND %s",
                    no_lot_products.ids,
                    date_cond,
                )
            )
        if not branches:
            return []
        # Aggregate per delivery, lot and product first, then look up the
        # delivery's customer and contact once per group rather than once per
        # move line (a delivery has a single customer).
        query = SQL(
            """
            SELECT p.id, p.partner_id,
                   COALESCE(cp.qms_recall_contact_id, p.partner_id, cp.id),
                   cp.id, g.lot_id, g.product_id, g.quantity, g.date
              FROM (
                    SELECT m.picking_id, m.lot_id, m.product_id,
                           SUM(m.quantity_product_uom) AS quantity,
                           MAX(m.date) AS date
                      FROM (%(branches)s) m
                      JOIN stock_location dest ON dest.id = m.location_dest_id
                     WHERE dest.usage = 'customer'
                     GROUP BY m.picking_id, m.lot_id, m.product_id
                   ) g
              JOIN stock_picking p ON p.id = g.picking_id
              JOIN res_partner dp ON dp.id = p.partner_id
              JOIN res_partner cp ON cp.id = dp.commercial_partner_id
             WHERE p.company_id = %(company)s
            """,
            # UNION: a move line found by both branches counts once
            branches=(
                branches[0] if len(branches) == 1 else SQL(" UNION ").join(branches)
            ),
            company=self.company_id.id,
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        return [
            {
                "picking_id": picking,
                "delivery_partner_id": delivery_partner,
                "contact_id": contact,
                "partner_id": partner,
                "lot_id": lot,
                "product_id": product,
                "quantity": qty,
                "delivery_date": date,
            }
            for (
                picking,
                delivery_partner,
                contact,
                partner,
                lot,
                product,
                qty,
                date,
            ) in self.env.cr.fetchall()
        ]

    def _scope_service_rows(self):
        """Customers whose confirmed sale lines or posted invoice lines (not
        coming from a sale line) for the affected services fall in the date
        range."""
        self.ensure_one()
        services = self.product_ids.filtered(lambda p: p.type == "service")
        if not services:
            return []
        query = SQL(
            """
            SELECT so.partner_shipping_id, cp.id,
                   COALESCE(cp.qms_recall_contact_id, so.partner_shipping_id, cp.id),
                   sol.id, NULL::integer, sol.product_id,
                   sol.product_uom_qty, so.date_order
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner sp ON sp.id = so.partner_id
              JOIN res_partner cp ON cp.id = sp.commercial_partner_id
             WHERE sol.product_id = ANY(%(services)s) AND so.state = 'sale'
               AND so.company_id = %(company)s AND %(so_date)s
            UNION ALL
            SELECT am.partner_shipping_id, cp.id,
                   COALESCE(cp.qms_recall_contact_id, am.partner_shipping_id, cp.id),
                   NULL::integer, aml.id, aml.product_id,
                   aml.quantity, am.invoice_date
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN res_partner ip ON ip.id = am.partner_id
              JOIN res_partner cp ON cp.id = ip.commercial_partner_id
             WHERE aml.product_id = ANY(%(services)s) AND am.state = 'posted'
               AND am.move_type = 'out_invoice' AND aml.display_type = 'product'
               AND am.company_id = %(company)s AND %(inv_date)s
               AND NOT EXISTS (SELECT 1 FROM sale_order_line_invoice_rel rel
                                WHERE rel.invoice_line_id = aml.id)
            """,
            services=services.ids,
            company=self.company_id.id,
            so_date=self._scope_date_sql(SQL("so.date_order")),
            inv_date=self._scope_date_sql(SQL("am.invoice_date"), dates=True),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        return [
            {
                "delivery_partner_id": delivery_partner,
                "partner_id": partner,
                "contact_id": contact,
                "sale_line_id": sale_line,
                "invoice_line_id": invoice_line,
                "product_id": product,
                "quantity": qty,
                "delivery_date": date,
            }
            for (
                delivery_partner,
                partner,
                contact,
                sale_line,
                invoice_line,
                product,
                qty,
                date,
            ) in self.env.cr.fetchall()
        ]

    @staticmethod
    def _scope_key(row):
        return (
            row.get("partner_id") or 0,
            row.get("picking_id") or 0,
            row.get("lot_id") or 0,
            row.get("product_id") or 0,
            row.get("sale_line_id") or 0,
            row.get("invoice_line_id") or 0,
        )

    def _scope(self):
        """Add a line for every customer x delivery x lot (or service sale)
        in scope that has none yet. Existing lines, notified or not, are
        never changed nor removed. Returns the new lines."""
        Line = self.env["qms.recall.line"]
        new_lines = Line
        for campaign in self:
            if campaign.state == "closed":
                raise UserError(
                    _(
                        "Campaign %s is closed: it cannot be scoped again.",
                        campaign.name,
                    )
                )
            if not campaign.product_ids:
                raise UserError(
                    _(
                        "Campaign %s has no products: add the affected products first.",
                        campaign.name,
                    )
                )
            rows = campaign._scope_delivery_rows() + campaign._scope_service_rows()
            self.env.cr.execute(
                SQL(
                    "SELECT partner_id, COALESCE(picking_id, 0), COALESCE(lot_id, 0), "
                    "product_id, COALESCE(sale_line_id, 0), "
                    "COALESCE(invoice_line_id, 0) FROM qms_recall_line "
                    "WHERE campaign_id = %s",
                    campaign.id,
                )
            )
            existing = set(self.env.cr.fetchall())
            vals_list = []
            for row in rows:
                key = self._scope_key(row)
                if key in existing:
                    continue
                existing.add(key)
                vals_list.append(
                    dict(
                        row,
                        campaign_id=campaign.id,
                        access_token=str(uuid.uuid4()),
                    )
                )
            created = Line.with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True
            ).create(vals_list)
            new_lines |= created
            campaign._qms_action_write(
                {
                    "scope_date": fields.Datetime.now(),
                    "state": "scoped" if campaign.state == "draft" else campaign.state,
                }
            )
            campaign.message_post(
                body=_(
                    "Scope run: %(new)s new line(s) added, %(total)s in all.",
                    new=len(created),
                    total=len(existing),
                )
            )
        return new_lines

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_scope(self):
        self._scope()
        return True

    def action_start_notifying(self):
        for campaign in self:
            if campaign.state not in ("scoped", "monitoring"):
                raise UserError(_("Scope campaign %s before notifying.", campaign.name))
            if not campaign.line_ids:
                raise UserError(
                    _(
                        "Campaign %s has no customers in scope: nobody to notify.",
                        campaign.name,
                    )
                )
        self._qms_action_write({"state": "notifying"})
        self.env["qms.recall.line"]._qms_notices_schedule()
        return True

    def action_monitor(self):
        for campaign in self:
            if campaign.state != "notifying":
                raise UserError(
                    _("Only a campaign being notified can move to monitoring.")
                )
            if campaign.to_notify_count:
                raise UserError(
                    _(
                        "%(count)s line(s) of %(name)s still wait for their notice.",
                        count=campaign.to_notify_count,
                        name=campaign.name,
                    )
                )
        self._qms_action_write({"state": "monitoring"})
        return True

    def action_close(self):
        for campaign in self:
            if campaign.state != "monitoring":
                raise UserError(_("Only a campaign in monitoring can be closed."))
            if (
                not campaign.effectiveness_checked
                or not (campaign.closing_note or "").strip()
            ):
                raise UserError(
                    _(
                        "Check the effectiveness of %s and write a note on it "
                        "before closing.",
                        campaign.name,
                    )
                )
            if campaign.to_notify_count:
                raise UserError(
                    _("Some customers of %s have not been notified yet.", campaign.name)
                )
        self._qms_action_write(
            {"state": "closed", "closed_date": fields.Datetime.now()}
        )
        return True

    def action_reset_draft(self):
        for campaign in self:
            if campaign.state != "scoped" or campaign.line_ids.filtered(
                lambda line: line.state != "to_notify"
            ):
                raise UserError(
                    _(
                        "Only a scoped campaign nobody was notified of can go "
                        "back to draft."
                    )
                )
        self._qms_action_write({"state": "draft"})
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_recall.action_qms_recall_line"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def action_view_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_recall.action_qms_recall_report"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_group_notified": 1}
        return action

    # ------------------------------------------------------------------
    # Notice letter (one PDF per campaign and language)
    # ------------------------------------------------------------------
    def _notice_letter(self, lang):
        """The PDF notice letter of the campaign in the language, rendered
        once and kept as an attachment of the campaign."""
        self.ensure_one()
        lang = lang or "en_US"
        name = f"{self.name}-{lang}.pdf".replace("/", "-")
        Attachment = self.env["ir.attachment"].sudo()
        domain = [
            ("res_model", "=", self._name),
            ("res_id", "=", self.id),
            ("name", "=", name),
        ]
        letter = Attachment.search(domain, limit=1)
        if letter:
            return letter
        # two senders (the cron and a job, jobs on several nodes) reaching a
        # campaign's first notices at the same moment: the second waits for
        # the first one's letter instead of rendering another (the senders
        # read in READ COMMITTED: the search again sees it)
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [LETTER_LOCK, self.id]
        )
        letter = Attachment.search(domain, limit=1)
        if letter:
            return letter
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            .sudo()
            ._render_qweb_pdf("qms_crm_recall.action_report_recall_notice", self.ids)
        )
        return Attachment.create(
            {
                "name": name,
                "datas": base64.b64encode(pdf),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )

    # ------------------------------------------------------------------
    # Exports for regulators
    # ------------------------------------------------------------------
    def _export_rows(self):
        """One dict per line, in the order of CSV_COLUMNS."""
        lines = self.env["qms.recall.line"].search(
            [("campaign_id", "in", self.ids)], order="campaign_id, partner_id, id"
        )
        state_labels = dict(lines._fields["state"]._description_selection(self.env))
        remedy_labels = dict(lines._fields["remedy"]._description_selection(self.env))
        return [
            {
                "campaign": line.campaign_id.name,
                "customer": line.partner_id.display_name,
                "contact": line.contact_id.display_name,
                "contact_email": line.contact_id.email or "",
                "delivery": line.picking_id.name or "",
                "delivery_date": fields.Datetime.to_string(line.delivery_date) or "",
                "sale_order": line.sale_line_id.order_id.name
                or line.invoice_line_id.move_id.name
                or "",
                "product": line.product_id.display_name,
                "lot": line.lot_id.name or "",
                "quantity": line.quantity,
                "state": state_labels.get(line.state, line.state),
                "notified_date": fields.Datetime.to_string(line.notified_date) or "",
                "acknowledged_date": fields.Datetime.to_string(line.ack_date) or "",
                "quantity_on_hand": line.ack_qty_on_hand if line.ack_date else "",
                "remedy": remedy_labels.get(line.remedy, "") if line.remedy else "",
                "quantity_returned": line.qty_returned,
                "quantity_corrected": line.qty_corrected,
            }
            for line in lines
        ]

    def _export_headers(self):
        return [
            _("Campaign"),
            _("Customer"),
            _("Contact"),
            _("Contact Email"),
            _("Delivery"),
            _("Delivery Date"),
            _("Sale Order / Invoice"),
            _("Product"),
            _("Lot / Serial"),
            _("Quantity"),
            _("State"),
            _("Notified On"),
            _("Acknowledged On"),
            _("Quantity on Hand"),
            _("Remedy"),
            _("Quantity Returned"),
            _("Quantity Corrected"),
        ]

    def _export_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self._export_headers())
        for row in self._export_rows():
            writer.writerow([row[col] for col in CSV_COLUMNS])
        return buffer.getvalue().encode("utf-8-sig")

    def action_export_csv(self):
        self.ensure_one()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name}-customers.csv".replace("/", "-"),
                    "raw": self._export_csv(),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "text/csv",
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
