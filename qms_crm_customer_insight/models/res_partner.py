# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Why over 600 lines: the four capabilities of this addon (Customer 360, ABC,
# alerts, duplicates) all live on res.partner; one model, one file.
"""Customer extensions of contacts.

Customer 360 panel (ISO 9001 8.2.1 b): what the customer has open with us.

Nothing is copied: every figure is read on display from sale, stock, account
and helpdesk, through the ORM with the user's rights (records he cannot read
are left out), in a fixed number of queries whatever the number of orders.

Proactive customer alerts, ABC classification and duplicate warning.

Alerts (daily cron, batched): an activity of type "Customer Alert" for the
customer's salesperson, at most one open alert per customer and kind.

- rhythm: at least ``MIN_RHYTHM_ORDERS`` confirmed orders (counted per order
  day) and more days since the last one than twice the median interval
  between them.
- feedback: an open complaint ticket older than ``qms_crm.alert_feedback_days``
  days (default 3) with no activity planned on it and no reply from us (a
  message posted to the customer by an internal user) since it was opened.
  ``_qms_negative_feedback_candidates`` is the one method to extend (the
  survey addon adds detractor answers there).

ABC (daily cron): confirmed sales orders of the last 12 months, untaxed, in
company currency, per commercial partner and per company (a company-dependent
class: each company ranks its own customers in its own currency). Customers
sorted by revenue; a customer is A while the revenue of the customers strictly
above him is below 80 % of the total, B below 95 %, C otherwise. Equal
revenues are never split (a tie group takes the class of where it starts).
Customers without revenue (none, or zero/negative after credit) get no class:
they are not customers of the period, and putting them in C would hide the
real small customers.
"""

import re
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, email_normalize, format_amount, format_date, format_datetime

MIN_RHYTHM_ORDERS = 3
DEFAULT_FEEDBACK_DAYS = 3
ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]
ABC_LIMITS = (0.80, 0.95)
PHONE_DIGITS = 9  # compare the last 9 digits: ignores country/trunk prefixes
MIN_PHONE_DIGITS = 7


def _vat_key(vat):
    return re.sub(r"[^0-9A-Za-z]", "", vat or "").upper()


def _phone_key(phone):
    digits = re.sub(r"\D", "", phone or "")
    return digits[-PHONE_DIGITS:] if len(digits) >= MIN_PHONE_DIGITS else ""


# orders shown per customer; the rest is reached through the link to the list
PANEL_ORDER_LIMIT = 20
PANEL_TICKET_LIMIT = 10
PAID_STATES = ("paid", "in_payment", "reversed")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "qms.customer.panel.mixin"]

    def _qms_panel_customer(self):
        self.ensure_one()
        return self

    # ------------------------------------------------------------------
    # Figures (one batch for all customers in self)
    # ------------------------------------------------------------------
    @api.model
    def _qms_open_order_domain(self, customers):
        """Quotations, and confirmed orders not yet fully delivered or
        invoiced; orders with an unpaid invoice are added by the caller."""
        return [
            ("partner_id", "child_of", customers.ids),
            "|",
            ("state", "in", ("draft", "sent")),
            "&",
            ("state", "=", "sale"),
            "|",
            ("delivery_status", "in", ("pending", "started", "partial")),
            ("invoice_status", "in", ("to invoice", "upselling")),
        ]

    def _qms_customer_360_data(self):
        """{commercial partner id: panel values} for the customers of self."""
        customers = self.commercial_partner_id
        data = {
            c.id: {
                "customer": c,
                "orders": [],
                "order_total": 0,
                "tickets": [],
                "open_ticket_count": 0,
                "complaint_count": 0,
                "can_see_orders": False,
                "can_see_tickets": False,
            }
            for c in customers
        }
        if not customers:
            return data
        self._qms_360_orders(customers, data)
        self._qms_360_tickets(customers, data)
        return data

    def _qms_360_orders(self, customers, data):
        SaleOrder = self.env["sale.order"]
        if not SaleOrder.has_access("read"):
            return
        for values in data.values():
            values["can_see_orders"] = True
        orders = SaleOrder.search(self._qms_open_order_domain(customers))
        Move = self.env["account.move"]
        if Move.has_access("read"):
            unpaid = Move.search(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "not in", PAID_STATES),
                ]
            )
            orders |= unpaid.invoice_line_ids.sale_line_ids.order_id._filtered_access(
                "read"
            )
        if not orders:
            return
        orders = orders.sorted(lambda o: (o.date_order, o.id), reverse=True)
        by_customer = defaultdict(lambda: orders.browse())
        for order in orders:
            by_customer[order.partner_id.commercial_partner_id.id] |= order
        shown = orders.browse()
        for cid, cust_orders in by_customer.items():
            if cid in data:
                data[cid]["order_total"] = len(cust_orders)
                shown |= cust_orders[:PANEL_ORDER_LIMIT]

        pickings = self._qms_360_pickings(shown)
        invoices = self._qms_360_invoices(shown)
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        state_labels = dict(shown._fields["state"]._description_selection(self.env))
        for order in shown:
            open_pickings = pickings.get(order.id, [])
            next_date = min((p.scheduled_date for p in open_pickings), default=False)
            late = any(
                p.scheduled_date < now or (p.date_deadline and p.date_deadline < now)
                for p in open_pickings
            ) or bool(
                order.commitment_date
                and order.commitment_date < now
                and order.state == "sale"
                and order.delivery_status != "full"
            )
            moves = invoices.get(order.id, [])
            data[order.partner_id.commercial_partner_id.id]["orders"].append(
                {
                    "record": order,
                    "url": f"/odoo/sale.order/{order.id}",
                    "state": order.state,
                    "state_label": state_labels.get(order.state, order.state),
                    "date": format_date(self.env, order.date_order),
                    "amount": format_amount(
                        self.env, order.amount_total, order.currency_id
                    ),
                    "delivery": self._qms_360_delivery(order),
                    "pickings": [
                        {
                            "name": p.name,
                            "url": f"/odoo/stock.picking/{p.id}",
                            "date": format_datetime(self.env, p.scheduled_date),
                            "late": p.scheduled_date < now
                            or bool(p.date_deadline and p.date_deadline < now),
                        }
                        for p in open_pickings
                    ],
                    "next_date": next_date and format_datetime(self.env, next_date),
                    "late": late,
                    "invoice_status": order.invoice_status,
                    "payment": self._qms_360_payment(moves),
                    "invoices": [
                        {
                            "name": m.name,
                            "url": f"/odoo/account.move/{m.id}",
                            "state": m.state,
                            "payment_state": m.payment_state,
                            "overdue": bool(
                                m.state == "posted"
                                and m.payment_state not in PAID_STATES
                                and m.invoice_date_due
                                and m.invoice_date_due < today
                            ),
                            "residual": format_amount(
                                self.env, m.amount_residual, m.currency_id
                            ),
                        }
                        for m in moves
                    ],
                }
            )

    @api.model
    def _qms_360_delivery(self, order):
        """none / partial / full (False: nothing to deliver, e.g. a quotation
        or services only), from the delivery status Inventory keeps."""
        return {
            "pending": "none",
            "started": "partial",
            "partial": "partial",
            "full": "full",
        }.get(order.delivery_status or "", False)

    @api.model
    def _qms_360_payment(self, moves):
        posted = [m for m in moves if m.state == "posted"]
        if not posted:
            return False
        states = {m.payment_state for m in posted}
        if states <= set(PAID_STATES):
            return "paid"
        if states & {"paid", "in_payment", "partial"}:
            return "partial"
        return "not_paid"

    def _qms_360_pickings(self, orders):
        """{order id: open outgoing transfers}, one search for all orders."""
        Picking = self.env["stock.picking"]
        if not Picking.has_access("read"):
            return {}
        result = defaultdict(list)
        pickings = Picking.search(
            [
                ("sale_id", "in", orders.ids),
                ("state", "not in", ("done", "cancel")),
            ],
            order="scheduled_date, id",
        )
        for picking in pickings:
            result[picking.sale_id.id].append(picking)
        return result

    def _qms_360_invoices(self, orders):
        """{order id: invoices and credit notes (not cancelled)}."""
        if not self.env["account.move"].has_access("read"):
            return {}
        result = {}
        for order in orders:
            # sale.order.line.invoice_lines is prefetched for all the lines
            # of all the orders in one query, filtered by the record rules
            moves = order.order_line.invoice_lines.move_id.filtered(
                lambda m: (
                    m.state != "cancel" and m.move_type in ("out_invoice", "out_refund")
                )
            )
            result[order.id] = list(moves.sorted("id"))
        return result

    def _qms_360_tickets(self, customers, data):
        Ticket = self.env["helpdesk.ticket"]
        if not Ticket.has_access("read"):
            return
        for values in data.values():
            values["can_see_tickets"] = True
        domain = [
            ("commercial_partner_id", "in", customers.ids),
            ("closed", "=", False),
        ]
        for partner, kind, count in Ticket._read_group(
            domain, ["commercial_partner_id", "qms_feedback_kind"], ["__count"]
        ):
            values = data.get(partner.id)
            if values:
                values["open_ticket_count"] += count
                if kind == "complaint":
                    values["complaint_count"] += count
        tickets = Ticket.search(
            domain, order="create_date desc, id desc", limit=200 * len(customers)
        )
        for ticket in tickets:
            values = data.get(ticket.commercial_partner_id.id)
            if values and len(values["tickets"]) < PANEL_TICKET_LIMIT:
                values["tickets"].append(
                    {
                        "record": ticket,
                        "url": f"/odoo/helpdesk.ticket/{ticket.id}",
                        "complaint": ticket.qms_feedback_kind == "complaint",
                        "stage": ticket.stage_id.name,
                        "date": format_date(self.env, ticket.create_date),
                    }
                )

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
    def _qms_customer_360_html_map(self):
        data = self._qms_customer_360_data()
        QWeb = self.env["ir.qweb"]
        labels = self._qms_360_labels()
        return {
            cid: QWeb._render(
                "qms_crm_customer_insight.qms_customer_360_panel",
                dict(values, labels=labels),
            )
            for cid, values in data.items()
        }

    @api.model
    def _qms_360_labels(self):
        return {
            "delivery": {
                "none": _("Not delivered"),
                "partial": _("Partially delivered"),
                "full": _("Fully delivered"),
            },
            "invoice_status": dict(
                self.env["sale.order"]
                ._fields["invoice_status"]
                ._description_selection(self.env)
            ),
            "payment": {
                "paid": _("Paid"),
                "partial": _("Partially paid"),
                "not_paid": _("Not paid"),
            },
            "payment_state": dict(
                self.env["account.move"]
                ._fields["payment_state"]
                ._description_selection(self.env)
            ),
        }

    def action_qms_view_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = self._qms_open_order_domain(self.commercial_partner_id)
        action["context"] = {"default_partner_id": self.id}
        return action

    qms_abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        readonly=True,
        copy=False,
        company_dependent=True,
        help="A: the customers making the first 80 % of the confirmed sales "
        "of the last 12 months, B: the next 15 %, C: the last 5 %; per "
        "company, in its currency. Empty: no revenue in the period. "
        "Recomputed every day.",
        groups="base.group_user",
    )
    qms_duplicate_ids = fields.Many2many(
        "res.partner",
        compute="_compute_qms_duplicate_ids",
        string="Possible Duplicates",
        help="Other contacts with the same tax ID, email or phone number.",
        groups="base.group_user",
    )

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------
    def _qms_find_duplicates(self, limit=10):
        """{record: partners with the same normalised VAT, email or phone},
        other than the record and its own commercial entity; works on new
        (unsaved) records, for the form's warning."""
        result = {}
        for partner in self:
            keys = []
            vat = _vat_key(partner.vat)
            if vat:
                keys.append(
                    SQL(
                        "upper(regexp_replace(p.vat, '[^0-9A-Za-z]', '', 'g')) = %s",
                        vat,
                    )
                )
            email = email_normalize(partner.email or "")
            if email:
                keys.append(SQL("p.email_normalized = %s", email))
            phone = _phone_key(partner.phone)
            if phone:
                keys.append(
                    SQL(
                        "right(regexp_replace(p.phone, '\\D', '', 'g'), %s) = %s",
                        PHONE_DIGITS,
                        phone,
                    )
                )
            if not keys:
                result[partner] = self.browse()
                continue
            exclude = [partner._origin.id or 0]
            commercial = partner.parent_id.commercial_partner_id or partner._origin
            if commercial.id:
                exclude.append(commercial.id)
            self.env["res.partner"].flush_model(
                ["vat", "email_normalized", "phone", "commercial_partner_id"]
            )
            self.env.cr.execute(
                SQL(
                    """SELECT p.id FROM res_partner p
                    WHERE p.active AND p.id NOT IN %s
                    AND (p.commercial_partner_id IS NULL
                         OR p.commercial_partner_id NOT IN %s)
                    AND (%s) ORDER BY p.id LIMIT %s""",
                    tuple(exclude),
                    tuple(exclude),
                    SQL(" OR ").join(keys),
                    limit,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            # through search: record rules and companies of the user apply
            result[partner] = self.search([("id", "in", ids)]) if ids else self.browse()
        return result

    @api.depends("vat", "email", "phone", "parent_id")
    def _compute_qms_duplicate_ids(self):
        duplicates = self._qms_find_duplicates()
        for partner in self:
            partner.qms_duplicate_ids = duplicates[partner]

    @api.onchange("vat", "email", "phone")
    def _onchange_qms_duplicates(self):
        if self._origin.id:
            return None
        duplicates = self._qms_find_duplicates()[self]
        if not duplicates:
            return None
        return {
            "warning": {
                "title": _("Possible duplicate"),
                "message": _(
                    "A contact with the same tax ID, email or phone already "
                    "exists: %(names)s. You can still save this one.",
                    names=", ".join(duplicates.mapped("display_name")),
                ),
                "type": "notification",
            }
        }

    def action_qms_view_duplicates(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Possible Duplicates"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.qms_duplicate_ids.ids)],
        }

    # ------------------------------------------------------------------
    # ABC classification
    # ------------------------------------------------------------------
    @api.model
    def _qms_abc_revenue_sql(self, date_from):
        """(company id, commercial partner id, revenue) of the period:
        confirmed sales orders, untaxed, in the currency of the order's
        company (the order's own rate of Odoo's currency rates), per company
        (extension point)."""
        return SQL(
            """SELECT so.company_id AS company_id, p.commercial_partner_id AS cid,
                      SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1))
                          AS revenue
                 FROM sale_order so
                 JOIN res_partner p ON p.id = so.partner_id
                WHERE so.state = 'sale' AND so.date_order >= %s
             GROUP BY so.company_id, p.commercial_partner_id""",
            date_from,
        )

    @api.model
    def _qms_abc_classes_sql(self, date_from):
        """(company_id, cid, class) for every customer with positive revenue
        in a company: each company ranks its own customers."""
        return SQL(
            """WITH rev AS (%s),
               pos AS (SELECT company_id, cid, revenue FROM rev WHERE revenue > 0),
               ranked AS (
                 SELECT company_id, cid,
                        -- revenue of the customers strictly above: the
                        -- running total includes equal revenues (RANGE), so
                        -- take them out again (EXCLUDE GROUP is quadratic)
                        (SUM(revenue) OVER (PARTITION BY company_id
                                            ORDER BY revenue DESC)
                         - SUM(revenue) OVER (PARTITION BY company_id, revenue))
                        / SUM(revenue) OVER (PARTITION BY company_id) AS before
                   FROM pos)
               SELECT company_id, cid, CASE WHEN before < %s THEN 'A'
                                            WHEN before < %s THEN 'B'
                                            ELSE 'C' END AS abc
                 FROM ranked""",
            self._qms_abc_revenue_sql(date_from),
            ABC_LIMITS[0],
            ABC_LIMITS[1],
        )

    @api.model
    def _qms_recompute_abc(self, date_to=None):
        """Classify every commercial partner in every company in one SQL
        pass that also writes the classes that changed (one UPDATE of the
        company-dependent values, no row-by-row work); returns {class or
        "none": number of partners whose class changed to it in a company}."""
        date_to = date_to or fields.Datetime.now()
        date_from = date_to - timedelta(days=365)
        self.env["sale.order"].flush_model(
            ["state", "date_order", "amount_untaxed", "currency_rate", "partner_id"]
        )
        self.flush_model(["commercial_partner_id", "qms_abc_class"])
        self.env.cr.execute(
            SQL(
                """WITH cls AS (%s),
                new AS (
                    SELECT cid, jsonb_object_agg(company_id::text, abc) AS abc
                      FROM cls GROUP BY cid),
                todo AS (
                    SELECT p.id, p.qms_abc_class AS old, new.abc
                      FROM res_partner p
                      LEFT JOIN new ON new.cid = p.id
                     WHERE (new.abc IS NOT NULL OR p.qms_abc_class IS NOT NULL)
                       AND p.qms_abc_class IS DISTINCT FROM new.abc)
                UPDATE res_partner p
                   SET qms_abc_class = todo.abc, write_date = %s, write_uid = %s
                  FROM todo
                 WHERE p.id = todo.id
             RETURNING p.id, todo.old, todo.abc""",
                self._qms_abc_classes_sql(date_from),
                fields.Datetime.now(),
                self.env.uid,
            )
        )
        rows = self.env.cr.fetchall()
        changed = self.browse([row[0] for row in rows])
        # what the ORM would do after a write: drop the cached values and
        # recompute whatever depends on the class
        self.invalidate_model(["qms_abc_class", "write_date", "write_uid"])
        changed.modified(["qms_abc_class"])
        counts = defaultdict(int)
        for _partner_id, old, new in rows:
            old, new = old or {}, new or {}
            for company in set(old) | set(new):
                if old.get(company) != new.get(company):
                    counts[new.get(company) or "none"] += 1
        return dict(counts)

    @api.model
    def _cron_qms_abc(self):
        return self._qms_recompute_abc()

    # ------------------------------------------------------------------
    # Alerts
    # ------------------------------------------------------------------
    @api.model
    def _qms_alert_kinds(self):
        """{kind: method(limit) -> [{partner_id, user_id, reason}]} (hook);
        limit None: all the candidates."""
        return {
            "rhythm": self._qms_rhythm_candidates,
            "feedback": self._qms_negative_feedback_candidates,
        }

    @api.model
    def _qms_open_alert_sql(self, kind, partner_column):
        return SQL(
            """NOT EXISTS (SELECT 1 FROM mail_activity a
                WHERE a.res_model = 'res.partner' AND a.res_id = %s
                  AND a.qms_alert_kind = %s AND a.active)""",
            partner_column,
            kind,
        )

    @api.model
    def _qms_rhythm_candidates(self, limit):
        """Customers whose buying rhythm dropped and who have no open rhythm
        alert: one SQL query over their confirmed orders. The rhythm is the
        one with each company (orders of two companies are two rhythms, not
        one mixed); a customer dropped with several is listed once, with the
        longest silence. Order days are counted in the user's time zone, like
        ``today``: an order at 23:30 UTC is a next-day order in Brussels."""
        today = fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """WITH days AS (
                    SELECT DISTINCT so.company_id AS co,
                           p.commercial_partner_id AS cid,
                           (so.date_order AT TIME ZONE 'UTC'
                                          AT TIME ZONE %s)::date AS d
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale'),
                gaps AS (
                    SELECT co, cid, d,
                           d - lag(d) OVER (PARTITION BY co, cid ORDER BY d) AS gap
                      FROM days),
                stats AS (
                    SELECT co, cid, count(*) AS n, max(d) AS last_day,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median
                      FROM gaps GROUP BY co, cid),
                dropped AS (
                    SELECT DISTINCT ON (s.cid) s.*
                      FROM stats s
                     WHERE s.n >= %s AND (%s - s.last_day) > 2 * s.median
                  ORDER BY s.cid, s.last_day, s.co)
                SELECT s.cid, s.n, s.last_day, s.median, c.user_id,
                       (SELECT so.user_id FROM sale_order so
                          JOIN res_partner p2 ON p2.id = so.partner_id
                         WHERE p2.commercial_partner_id = s.cid AND so.state = 'sale'
                           AND so.company_id = s.co
                      ORDER BY so.date_order DESC LIMIT 1)
                  FROM dropped s
                  JOIN res_partner c ON c.id = s.cid AND c.active
                 WHERE %s
              ORDER BY s.cid
                 LIMIT %s""",
                self.env.tz.zone,
                MIN_RHYTHM_ORDERS,
                today,
                self._qms_open_alert_sql("rhythm", SQL("s.cid")),
                limit,
            )
        )
        dates = {}  # many customers share a last order day: format it once

        def day(value):
            if value not in dates:
                dates[value] = format_date(self.env, value)
            return dates[value]

        return [
            {
                "partner_id": cid,
                "user_id": user_id or last_user,
                "reason": self.env._(
                    "No order for %(days)s days, more than twice the usual "
                    "interval of %(median)s days between its %(count)s orders "
                    "(last order on %(last)s).",
                    days=(today - last_day).days,
                    median=round(median, 1),
                    count=n,
                    last=day(last_day),
                ),
            }
            for cid, n, last_day, median, user_id, last_user in self.env.cr.fetchall()
        ]

    @api.model
    def _qms_feedback_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qms_crm.alert_feedback_days", DEFAULT_FEEDBACK_DAYS)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_FEEDBACK_DAYS

    @api.model
    def _qms_negative_feedback_candidates(self, limit):
        """Customers with negative feedback left without follow-up and no
        open feedback alert. Extend this method to add other sources of
        negative feedback (e.g. survey detractors): return at most ``limit``
        entries (all when None), one per customer, none for customers with
        an open feedback alert."""
        days = self._qms_feedback_days()
        since = fields.Datetime.now() - timedelta(days=days)
        comment = self.env.ref("mail.mt_comment").id
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT t.commercial_partner_id, c.user_id,
                          array_agg(t.number ORDER BY t.id)
                     FROM helpdesk_ticket t
                     JOIN res_partner c ON c.id = t.commercial_partner_id
                     LEFT JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
                    WHERE t.qms_feedback_kind = 'complaint'
                      AND NOT COALESCE(st.closed, FALSE)
                      AND t.active
                      AND t.create_date < %s
                      AND NOT EXISTS (SELECT 1 FROM mail_activity a
                            WHERE a.res_model = 'helpdesk.ticket'
                              AND a.res_id = t.id AND a.active)
                      AND NOT EXISTS (SELECT 1 FROM mail_message m
                            JOIN res_users u ON u.partner_id = m.author_id
                            WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                              AND m.message_type IN ('comment', 'email_outgoing')
                              AND m.subtype_id = %s AND NOT u.share)
                      AND %s
                 GROUP BY t.commercial_partner_id, c.user_id
                 ORDER BY t.commercial_partner_id
                    LIMIT %s""",
                since,
                comment,
                self._qms_open_alert_sql("feedback", SQL("t.commercial_partner_id")),
                limit,
            )
        )
        return [
            {
                "partner_id": cid,
                "user_id": user_id,
                "reason": self.env._(
                    "Complaint %(tickets)s without planned activity and without "
                    "a reply to the customer for more than %(days)s days.",
                    tickets=", ".join(numbers),
                    days=days,
                ),
            }
            for cid, user_id, numbers in self.env.cr.fetchall()
        ]

    @api.model
    def _qms_create_alerts(self, kind, candidates):
        """One "Customer Alert" activity per candidate, in one create."""
        if not candidates:
            return self.env["mail.activity"]
        activity_type = self.env.ref(
            "qms_crm_customer_insight.mail_activity_type_customer_alert"
        )
        labels = dict(
            self.env["mail.activity"]
            ._fields["qms_alert_kind"]
            ._description_selection(self.env)
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        # mail.activity computes its res_name record by record: read the
        # names of the whole batch first, in one query
        self.browse([cand["partner_id"] for cand in candidates]).mapped("display_name")
        today = fields.Date.context_today(self)
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": cand["partner_id"],
                        "activity_type_id": activity_type.id,
                        "qms_alert_kind": kind,
                        "summary": labels[kind],
                        "note": Markup("<p>%s</p>") % cand["reason"],
                        "date_deadline": today,
                        "user_id": cand["user_id"] or self.env.user.id,
                    }
                    for cand in candidates
                ]
            )
        )

    @api.model
    def _cron_qms_customer_alerts(self, batch_size=1000):
        """Create the alerts of every kind: one candidate query per kind,
        then one create and one commit per batch. The candidate queries
        leave out customers that already have an open alert of the kind, so
        an alert is never doubled and a rerun after an interruption (or when
        the scheduler's time is up) continues where it stopped."""
        created = 0
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for kind, finder in self._qms_alert_kinds().items():
            candidates = finder(None)
            for start in range(0, len(candidates), batch_size):
                activities = self._qms_create_alerts(
                    kind, candidates[start : start + batch_size]
                )
                created += len(activities)
                if in_cron:
                    # run by the scheduler: commit this batch
                    time_left = self.env["ir.cron"]._commit_progress(
                        len(activities),
                        remaining=max(len(candidates) - start - batch_size, 0),
                    )
                    if time_left <= 0:
                        return created  # the scheduler runs us again soon
        return created
