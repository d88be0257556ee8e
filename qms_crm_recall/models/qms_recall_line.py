# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import re
import uuid
from collections import defaultdict
from datetime import timedelta

from odoo import Command, _, api, fields, models, modules
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import (
    qms_customer_act_actor,
)

from .ir_qweb import COMPILE_CACHE, COMPILE_CACHE_KEY
from .qms_recall_campaign import ACK_STATES, SENDING_STATES
from .res_config_settings import DEFAULT_NOTICE_BATCH

LINE_STATES = [
    ("to_notify", "To Notify"),
    ("notified", "Notified"),
    ("reminded", "Reminded"),
    ("escalated", "Escalated"),
    ("acknowledged", "Acknowledged"),
    ("returned", "Returned"),
    ("closed", "Closed"),
]
REMEDIES = [
    ("return", "Return the product"),
    ("repair", "Repair / correct on site"),
    ("replace", "Replace"),
    ("destroy", "Destroy (with proof)"),
]
# template fields rendered into a notice mail (as mail.template.send_mail_batch)
NOTICE_RENDERED_FIELDS = (
    "attachment_ids",
    "auto_delete",
    "body_html",
    "email_cc",
    "email_from",
    "email_to",
    "mail_server_id",
    "partner_to",
    "reply_to",
    "scheduled_date",
    "subject",
)
# a template expression that reads the line itself, not only its campaign
# (``object.campaign_id...``): such a field is rendered per line
PER_LINE_EXPRESSION = re.compile(r"\bobject\b(?!\s*\.\s*campaign_id\b)")
# states in which a customer may still acknowledge the notice
OPEN_STATES = ("notified", "reminded", "escalated")
# reminders before the escalation to a phone call
MAX_REMINDERS = 2
STATE_COLORS = {
    "to_notify": 0,
    "notified": 4,
    "reminded": 3,
    "escalated": 1,
    "acknowledged": 10,
    "returned": 10,
    "closed": 7,
}


class QmsRecallLine(models.Model):
    """One customer x delivery x lot (or service sale) of a recall campaign,
    with its own notification state: sending is idempotent per line."""

    _name = "qms.recall.line"
    _description = "Recall Campaign Line"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.evidence.mixin",
    ]
    _qms_default_clauses = ("8.2.1 e)", "8.7.1 c)")
    _order = "campaign_id desc, partner_id, id"
    _mail_post_access = "read"
    # the notices sent and the customer's answer (7.5.3): written by the
    # notice jobs, the portal answer and the buttons only
    _qms_action_fields = frozenset(
        {
            "state",
            "notified_date",
            "last_notice_date",
            "reminder_count",
            "ack_date",
            "ack_qty_on_hand",
            "ack_note",
            "ack_ip",
            "ack_portal_user_id",
            "ack_via",
            "proof_attachment_ids",
            "qty_returned",
            "qty_corrected",
        }
    )

    campaign_id = fields.Many2one(
        "qms.recall.campaign",
        required=True,
        # campaigns are never deleted (evidence): only uninstalling the addon
        # removes them, and their lines with them
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    campaign_state = fields.Selection(
        related="campaign_id.state", string="Campaign State"
    )
    company_id = fields.Many2one(
        related="campaign_id.company_id", store=True, index=True
    )
    state = fields.Selection(
        LINE_STATES,
        default="to_notify",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    delivery_partner_id = fields.Many2one(
        "res.partner", string="Delivery Address", readonly=True
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact to Notify",
        required=True,
        tracking=True,
        help="The customer's safety/recall contact if set, else the delivery "
        "address, else the customer.",
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", readonly=True, index="btree_not_null"
    )
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sale Line", readonly=True, index="btree_not_null"
    )
    invoice_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", readonly=True
    )
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, readonly=True, index=True
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot / Serial", readonly=True, index="btree_not_null"
    )
    quantity = fields.Float(
        string="Quantity Delivered", digits="Product Unit", readonly=True
    )
    delivery_date = fields.Datetime(readonly=True)
    notified_date = fields.Datetime(
        string="Notified On", readonly=True, copy=False, tracking=True
    )
    last_notice_date = fields.Datetime(
        string="Last Notice On", readonly=True, copy=False
    )
    reminder_count = fields.Integer(string="Reminders Sent", readonly=True, copy=False)
    # the customer's answer is evidence (7.5.3): any later change is tracked
    ack_date = fields.Datetime(
        string="Acknowledged On", readonly=True, copy=False, tracking=True
    )
    ack_qty_on_hand = fields.Float(
        string="Quantity Still on Hand",
        digits="Product Unit",
        readonly=True,
        copy=False,
        tracking=True,
    )
    remedy = fields.Selection(REMEDIES, tracking=True, copy=False)
    ack_note = fields.Text(
        string="Customer Note", readonly=True, copy=False, tracking=True
    )
    ack_ip = fields.Char(string="Acknowledged From", readonly=True, copy=False)
    ack_portal_user_id = fields.Many2one(
        "res.users",
        string="Acknowledged by Portal User",
        readonly=True,
        copy=False,
        help="Portal user who answered; empty when the answer came through "
        "the emailed link.",
    )
    ack_via = fields.Selection(
        [("portal", "Customer's portal account"), ("token", "Emailed link")],
        string="Answered through",
        readonly=True,
        copy=False,
    )
    proof_attachment_ids = fields.Many2many(
        "ir.attachment", string="Proof of Destruction", copy=False
    )
    return_picking_ids = fields.One2many(
        "stock.picking", "qms_recall_line_id", string="Returns", readonly=True
    )
    qty_returned = fields.Float(
        string="Quantity Returned", digits="Product Unit", readonly=True, copy=False
    )
    qty_corrected = fields.Float(
        string="Quantity Corrected",
        digits="Product Unit",
        readonly=True,
        copy=False,
        help="Quantity repaired, replaced or destroyed, confirmed by quality staff.",
    )
    color = fields.Integer(compute="_compute_color")

    _unique_scope = models.UniqueIndex(
        "(campaign_id, partner_id, COALESCE(picking_id, 0), COALESCE(lot_id, 0), "
        "product_id, COALESCE(sale_line_id, 0), COALESCE(invoice_line_id, 0))",
        "A customer appears once per delivery and lot in a campaign.",
    )
    _quantities_positive = models.Constraint(
        "CHECK (ack_qty_on_hand >= 0 AND qty_returned >= 0 AND qty_corrected >= 0)",
        "Quantities cannot be negative.",
    )

    @api.depends("state")
    def _compute_color(self):
        for line in self:
            line.color = STATE_COLORS.get(line.state, 0)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for line in self:
            line.access_url = f"/my/recall/{line.id}"
        return res

    @api.depends("campaign_id", "partner_id", "lot_id", "picking_id")
    def _compute_display_name(self):
        for line in self:
            parts = [line.campaign_id.name, line.partner_id.display_name]
            # salespeople read the notices of their customers, not stock
            if line.picking_id:
                parts.append(line.picking_id.sudo().name)
            if line.lot_id:
                parts.append(line.lot_id.sudo().name)
            line.display_name = " / ".join(p for p in parts if p)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        raise UserError(
            _(
                "Recall lines are quality evidence (ISO 9001 clause 7.5.3) and are "
                "never deleted."
            )
        )

    def _target_qty(self):
        """Quantity to recover: what the customer still holds once they
        answered, else what was delivered."""
        self.ensure_one()
        return self.ack_qty_on_hand if self.ack_date else self.quantity

    # ------------------------------------------------------------------
    # Notices: batched, idempotent, resumable
    # ------------------------------------------------------------------
    @api.model
    def _notice_domain(self):
        return [
            ("state", "=", "to_notify"),
            ("campaign_id.state", "in", SENDING_STATES),
            ("campaign_id.active", "=", True),
        ]

    @api.model
    def _qms_notice_batch_size(self):
        """Notices per batch: Settings › Quality CRM › Recalls (default 50)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm_recall.notice_batch", DEFAULT_NOTICE_BATCH)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_NOTICE_BATCH

    @api.model
    def _qms_lock_notice_batch(self, domain, batch_size):
        """The next lines due for their notice, locked for this transaction.

        ``FOR UPDATE SKIP LOCKED``: a second sender running at the same time
        (another cron worker, a job on another node) takes the next lines
        instead of the same ones, and a line whose notice another sender
        stamped meanwhile no longer matches (in READ COMMITTED, see
        ``_cron_send_notices``)."""
        self.env.flush_all()
        query = self._search(domain, limit=batch_size, order="campaign_id, id")
        self.env.cr.execute(
            SQL(
                "%s FOR UPDATE OF %s SKIP LOCKED",
                query.select(),
                SQL.identifier(self._table),
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _qms_notices_schedule(self):
        """Have the due notices sent now: the notice cron is triggered;
        ``qms_crm_recall_queue_job`` enqueues jobs as well."""
        self.env.ref("qms_crm_recall.ir_cron_qms_recall_send_notices").sudo()._trigger()
        return True

    @api.model
    def _cron_send_notices(
        self, batch_size=None, letters=True, commit=None, max_batches=None
    ):
        """Send the notices still due, one batch at a time.

        Each batch is one transaction: its lines are locked (skipped by any
        other sender), the mail.mail records of its lines and the lines'
        "notified" stamps are written together, then committed (``commit``:
        by default in the scheduler; otherwise each batch is a savepoint). A
        crash rolls back the batch it happened in, mails and stamps alike, so
        a rerun sends every line of it once: nothing twice, nobody missed.
        Two senders running at once share the lines: each line's notice is
        queued exactly once. The queued mails are delivered at once by the
        mail delivery of ``qms_crm_communication`` (batches until the queue is
        empty), not by Odoo's hourly queue run.

        ``letters=False`` queues the notices without their PDF letter (see
        ``_send_notices``); ``max_batches`` stops after that many batches (a
        job sends one batch and enqueues the next)."""
        if not batch_size:
            batch_size = self._qms_notice_batch_size()
        domain = self._notice_domain()
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        if commit is None:
            commit = in_cron and not modules.module.current_test
        Mail = self.env["mail.mail"]
        done = 0
        while True:
            if commit:
                # a fresh READ COMMITTED transaction per batch: rows another
                # sender committed meanwhile are read as they are now
                self.env.cr.commit()  # pylint: disable=invalid-commit
                self.env.cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            lines = self._qms_lock_notice_batch(domain, batch_size)
            if not lines:
                break
            with self.env.cr.savepoint():
                lines._send_notices(letters=letters)
                self.env.flush_all()
            done += len(lines)
            Mail._qms_delivery_schedule()
            if max_batches and done >= max_batches * batch_size:
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                break
            if in_cron:
                left = self.env["ir.cron"]._commit_progress(
                    len(lines), remaining=self.search_count(domain)
                )
                if not left:
                    break
            elif commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    def _send_notices(self, reminder=False, letters=True):
        """Queue the notice (or reminder) mail of every line of self with the
        campaign's PDF letter attached, and stamp the lines, in the current
        transaction.

        Set-based (``_qms_notice_mail_values``): lines are grouped per
        campaign and language; per group the letter is rendered once (one
        attachment shared by every mail), every template field that reads
        only the campaign (subject, sender...) is rendered once, the body is
        compiled once and executed per line (it carries the line's product,
        lot, delivery and portal link), and the mails are created in one
        batch, each with its message in the line's chatter.

        ``letters=False`` leaves the PDF letter out. It exists for data loaded
        at install time, when no HTTP server runs for wkhtmltopdf to fetch the
        report's assets from (the demo data of ``qms_crm_recall_mrp``). It is
        an argument of private methods, which no RPC client can call, and no
        context key: a client cannot send notices without their letter."""
        if not self:
            return self.env["mail.mail"]
        template = self.env.ref(
            "qms_crm_recall.mail_template_recall_reminder"
            if reminder
            else "qms_crm_recall.mail_template_recall_notice"
        ).with_context(**{COMPILE_CACHE_KEY: COMPILE_CACHE})
        self.check_access("read")
        self._qms_ensure_tokens()
        if template.report_template_ids or template.email_layout_xmlid:
            # a template edited to attach a report per line or to wrap the
            # body in a layout: Odoo's own batch sender does both
            mails = self._qms_send_notices_core(template, letters)
        else:
            vals_list = self._qms_notice_mail_values(template, letters)
            mails = (
                self.env["mail.mail"]
                .sudo()
                .with_context(mail_create_nolog=True, mail_notrack=True)
                .create(vals_list)
            )
        now = fields.Datetime.now()
        # the stamps are the record of the notice; a tracking message per line
        # on top would cost as much as the notice itself
        lines = self.with_context(tracking_disable=True)
        if reminder:
            for count in set(lines.mapped("reminder_count")):
                lines.filtered(
                    lambda line, c=count: line.reminder_count == c
                )._qms_action_write(
                    {
                        "state": "reminded",
                        "reminder_count": count + 1,
                        "last_notice_date": now,
                    }
                )
        else:
            lines._qms_action_write(
                {"state": "notified", "notified_date": now, "last_notice_date": now}
            )
        return mails

    def _qms_ensure_tokens(self):
        """Give every line of self its portal token in one statement (the
        mail's link carries it); ``portal.mixin._portal_ensure_token`` would
        write them one by one while the body is rendered."""
        missing = self.filtered(lambda line: not line.access_token)
        if missing:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET access_token = gen_random_uuid()::text "
                    "WHERE id = ANY(%s) AND access_token IS NULL",
                    SQL.identifier(self._table),
                    missing.ids,
                )
            )
            missing.invalidate_recordset(["access_token", "access_url"])

    def _qms_notice_groups(self, template):
        """{(campaign, lang): line ids}: the language is the template's
        (``lang`` field, rendered per line), the letter's too."""
        langs = template._render_lang(self.ids)
        groups = defaultdict(list)
        for line in self:
            lang = langs.get(line.id) or "en_US"
            groups[(line.campaign_id, lang)].append(line.id)
        return groups

    def _qms_notice_mail_values(self, template, letters):
        """The values of the notice mails of the lines of self, one dict per
        line, rendered per campaign and language (see ``_send_notices``)."""
        values_list = []
        for (campaign, lang), ids in self._qms_notice_groups(template).items():
            tpl = template.with_context(lang=lang)
            shared, per_line = [], []
            for field in NOTICE_RENDERED_FIELDS:
                source = tpl[field]
                dynamic = isinstance(source, str) and PER_LINE_EXPRESSION.search(source)
                (per_line if dynamic else shared).append(field)
            rendered = {res_id: {} for res_id in ids}
            if shared:
                # the same for every line of the campaign: rendered once
                once = tpl._generate_template(ids[:1], shared)[ids[0]]
                for res_id in ids:
                    rendered[res_id].update(once)
            if per_line:
                for res_id, vals in tpl._generate_template(ids, per_line).items():
                    rendered[res_id].update(vals)
            lines = self.browse(ids)
            email_from = rendered[ids[0]].get("email_from")
            reply_to = lines.sudo()._notify_get_reply_to(default=email_from)
            letter_ids = [campaign._notice_letter(lang).id] if letters else []
            for res_id in ids:
                vals = rendered[res_id]
                partner_ids = set(vals.pop("partner_ids", None) or [])
                vals.pop("attachments", None)
                mail_vals = {
                    key: value
                    for key, value in vals.items()
                    if key not in ("attachment_ids", "res_id", "model")
                }
                if not mail_vals.get("email_from"):
                    mail_vals.pop("email_from", None)
                if not mail_vals.get("reply_to"):
                    mail_vals["reply_to"] = reply_to.get(res_id) or email_from
                mail_vals.update(
                    {
                        "model": self._name,
                        "res_id": res_id,
                        "body": vals.get("body_html"),
                        "recipient_ids": [Command.link(pid) for pid in partner_ids],
                        "attachment_ids": [
                            Command.link(aid)
                            for aid in (vals.get("attachment_ids") or []) + letter_ids
                        ],
                    }
                )
                values_list.append(mail_vals)
        return values_list

    def _qms_send_notices_core(self, template, letters):
        """Odoo's ``send_mail_batch`` per campaign and language."""
        mails = self.env["mail.mail"]
        for (campaign, lang), ids in self._qms_notice_groups(template).items():
            values = {}
            if letters:
                letter = campaign._notice_letter(lang)
                values["attachment_ids"] = [Command.link(letter.id)]
            mails |= template.sudo().send_mail_batch(ids, email_values=values)
        return mails

    @api.model
    def _cron_send_reminders(self, batch_size=200):
        """Remind the customers who did not acknowledge within the
        campaign's delay; after the second reminder, plan a phone call."""
        now = fields.Datetime.now()
        campaigns = self.env["qms.recall.campaign"].search(
            [("state", "in", SENDING_STATES)]
        )
        sent = 0
        for campaign in campaigns:
            cutoff = now - timedelta(days=campaign.remind_days)
            base = [
                ("campaign_id", "=", campaign.id),
                ("last_notice_date", "<=", cutoff),
            ]
            to_remind = self.search(
                base
                + [
                    ("state", "in", ("notified", "reminded")),
                    ("reminder_count", "<", MAX_REMINDERS),
                ],
                limit=batch_size,
            )
            to_escalate = self.search(
                base
                + [("state", "=", "reminded"), ("reminder_count", ">=", MAX_REMINDERS)],
                limit=batch_size,
            )
            with self.env.cr.savepoint():
                to_remind._send_notices(reminder=True)
                to_escalate._escalate()
            sent += len(to_remind)
            if self.env.context.get("ir_cron_progress_id"):
                self.env["ir.cron"]._commit_progress(len(to_remind) + len(to_escalate))
        if sent:
            self.env["mail.mail"]._qms_delivery_schedule()
        return sent

    def _escalate(self):
        """Plan a phone call to the contact for each unacknowledged line."""
        for line in self:
            line.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(line),
                summary=_(
                    "Call %(contact)s about recall %(campaign)s",
                    contact=line.contact_id.display_name,
                    campaign=line.campaign_id.name,
                ),
                note=_(
                    "No acknowledgement after %(count)s reminders. Phone: %(phone)s",
                    count=line.reminder_count,
                    phone=line.contact_id.phone or line.partner_id.phone or "-",
                ),
                user_id=line.campaign_id.user_id.id,
            )
        self._qms_action_write({"state": "escalated"})

    # ------------------------------------------------------------------
    # Acknowledgement (portal)
    # ------------------------------------------------------------------
    def _qms_check_open(self):
        self.ensure_one()
        if self.campaign_id.state not in SENDING_STATES or not self.campaign_id.active:
            raise UserError(_("This notice is no longer open for answers."))

    def _qms_portal_acknowledge(
        self,
        qty_on_hand,
        remedy=None,
        note=None,
        proofs=None,
        ip=None,
        access_token=None,
    ):
        """The customer answers the notice on the portal: accepted from a
        portal user of the customer or the holder of the emailed link only,
        never from a staff session (AccessError)."""
        self.ensure_one()
        actor = qms_customer_act_actor(self, self.sudo().partner_id, access_token)
        return self.sudo()._qms_acknowledge(
            qty_on_hand,
            remedy=remedy,
            note=note,
            proofs=proofs,
            ip=ip,
            portal_user=actor["user"],
            via=actor["via"],
        )

    def _qms_acknowledge(
        self,
        qty_on_hand,
        remedy=None,
        note=None,
        proofs=None,
        ip=None,
        portal_user=None,
        via=None,
    ):
        """Record the customer's answer: receipt confirmed, quantity still on
        hand, chosen remedy (proof files for destruction)."""
        self.ensure_one()
        self._qms_check_open()
        if self.state not in OPEN_STATES:
            raise UserError(_("This notice has already been acknowledged."))
        try:
            qty = float(str(qty_on_hand).strip().replace(",", "."))
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                _("Enter the quantity you still hold as a number.")
            ) from exc
        if qty != qty or qty in (float("inf"), float("-inf")):  # NaN / inf
            raise ValidationError(_("Enter the quantity you still hold as a number."))
        if qty < 0:
            raise ValidationError(_("The quantity still on hand cannot be negative."))
        if float_compare(qty, self.quantity, precision_digits=6) > 0:
            raise ValidationError(
                _(
                    "You cannot hold more than was delivered to you (%(qty)s).",
                    qty=self.quantity,
                )
            )
        remedy = remedy or False
        if remedy and remedy not in dict(REMEDIES):
            raise ValidationError(_("Choose one of the remedies offered."))
        if qty > 0 and not remedy:
            raise ValidationError(
                _("Choose what to do with the products you still hold.")
            )
        proofs = [p for p in (proofs or []) if p and p[1]]
        if remedy == "destroy" and qty > 0 and not proofs:
            raise ValidationError(
                _("Attach a proof (photo or certificate) of the destruction.")
            )
        attachments = self.env["ir.attachment"].sudo()
        if proofs:
            attachments = attachments.create(
                [
                    {
                        "name": name or _("Proof"),
                        "datas": base64.b64encode(content),
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, content in proofs
                ]
            )
        self.sudo().write(
            {
                "state": "acknowledged",
                "ack_date": fields.Datetime.now(),
                "ack_qty_on_hand": qty,
                "remedy": remedy,
                "ack_note": (note or "").strip()[:4000] or False,
                "ack_ip": ip,
                "ack_portal_user_id": portal_user.id if portal_user else False,
                "ack_via": via,
                "proof_attachment_ids": [Command.link(a.id) for a in attachments],
            }
        )
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        ).action_feedback(feedback=_("The customer acknowledged on the portal."))
        self.sudo().message_post(
            body=_(
                "Acknowledged by the customer: %(qty)s still on hand, "
                "remedy: %(remedy)s.",
                qty=qty,
                remedy=dict(REMEDIES).get(remedy, "-"),
            ),
            attachment_ids=attachments.ids,
        )
        return True

    # ------------------------------------------------------------------
    # Returns and corrections
    # ------------------------------------------------------------------
    def action_create_return(self):
        """Create an Odoo return of the delivery for this lot and quantity,
        linked to the line."""
        self.ensure_one()
        self._qms_check_open()
        if not self.picking_id:
            raise UserError(
                _("Only delivered goods can be returned: this line has no delivery.")
            )
        if self.state not in (*OPEN_STATES, "acknowledged"):
            raise UserError(_("This line is already settled."))
        open_returns = self.return_picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if open_returns:
            raise UserError(
                _("Return %s is already waiting to be received.", open_returns[0].name)
            )
        qty = self._target_qty() - self.qty_returned
        if qty <= 0:
            raise UserError(_("Nothing left to return on this line."))
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.picking_id.id, active_model="stock.picking")
            .create({"picking_id": self.picking_id.id})
        )
        moves = wizard.product_return_moves
        target = moves.filtered(
            lambda m: (
                m.product_id == self.product_id
                and (not self.lot_id or self.lot_id in m.move_id.move_line_ids.lot_id)
            )
        )[:1]
        if not target:
            raise UserError(
                _(
                    "The delivery has no move of %s left to return.",
                    self.product_id.display_name,
                )
            )
        moves.write({"quantity": 0})
        target.quantity = qty
        picking = wizard._create_return()
        picking.qms_recall_line_id = self
        if self.lot_id:
            move = picking.move_ids.filtered(lambda m: m.product_id == self.product_id)[
                :1
            ]
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                move._prepare_move_line_vals(quantity=qty)
                | {"lot_id": self.lot_id.id, "quantity": qty}
            )
        self.message_post(body=_("Return %s created.", picking.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": picking.id,
            "view_mode": "form",
        }

    def _qms_reconcile_returns(self):
        """Received quantities of the done returns of each line (of its lot)
        reconcile it; a line is returned once it got back what the customer
        held."""
        for line in self:
            move_lines = line.return_picking_ids.filtered(
                lambda p: p.state == "done"
            ).move_line_ids.filtered(
                lambda ml, ln=line: (
                    ml.product_id == ln.product_id
                    and (not ln.lot_id or ml.lot_id == ln.lot_id)
                )
            )
            received = sum(move_lines.mapped("quantity_product_uom"))
            vals = {"qty_returned": received}
            target = line._target_qty()
            if (
                line.state not in ("returned", "closed")
                and target > 0
                and float_compare(received, target, precision_digits=6) >= 0
            ):
                vals["state"] = "returned"
            line.sudo().write(vals)
            line.message_post(body=_("%(qty)s received back in all.", qty=received))

    def action_mark_corrected(self):
        """Quality staff confirm that the customer's held quantity was
        repaired, replaced or destroyed."""
        for line in self:
            if line.state != "acknowledged":
                raise UserError(_("Only acknowledged lines can be marked corrected."))
            if line.remedy not in ("repair", "replace", "destroy"):
                raise UserError(
                    _("Returns are reconciled by the return receipt, not by hand.")
                )
            if line.remedy == "destroy" and not line.proof_attachment_ids:
                raise UserError(_("A destruction needs a proof attached first."))
            line._qms_action_write(
                {
                    "qty_corrected": max(line.ack_qty_on_hand - line.qty_returned, 0),
                    "state": "closed",
                }
            )
        return True

    def action_close_line(self):
        for line in self:
            if line.state not in ACK_STATES:
                raise UserError(
                    _("Close a line only after the customer acknowledged it.")
                )
        self._qms_action_write({"state": "closed"})
        return True

    def action_rotate_token(self):
        """Invalidate the portal link sent to the customer (e.g. a wrong
        recipient); the next notice carries the new one."""
        for line in self:
            line.access_token = str(uuid.uuid4())
        return True

    def action_renotify(self):
        """Send the notice again to a corrected contact."""
        for line in self:
            if line.state not in OPEN_STATES:
                raise UserError(
                    _("Only lines waiting for an answer can be notified again.")
                )
        self._qms_action_write({"state": "to_notify"})
        self._qms_notices_schedule()
        return True
