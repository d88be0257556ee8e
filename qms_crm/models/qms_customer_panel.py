# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer 360 panel (ISO 9001 8.2.1 b): what the customer has open with us.

Nothing is copied: every figure is read on display from sale, stock, account
and helpdesk, through the ORM with the user's rights (records he cannot read
are left out), in a fixed number of queries whatever the number of orders.
"""

from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import format_amount, format_date, format_datetime

# orders shown per customer; the rest is reached through the link to the list
PANEL_ORDER_LIMIT = 20
PANEL_TICKET_LIMIT = 10
PAID_STATES = ("paid", "in_payment", "reversed")


class QmsCustomerPanelMixin(models.AbstractModel):
    """A read-only "Customer 360" page on any record that has a customer."""

    _name = "qms.customer.panel.mixin"
    _description = "Customer 360 Panel"

    qms_customer_360_html = fields.Html(
        string="Customer 360",
        compute="_compute_qms_customer_360_html",
        sanitize=False,
        help="Open quotations and orders of the customer with their delivery, "
        "invoice and payment state, and open tickets and complaints, read "
        "live from Sales, Inventory, Invoicing and Helpdesk.",
    )

    def _qms_panel_customer(self):
        """The partner whose commercial entity the panel shows (hook)."""
        self.ensure_one()
        return self.env["res.partner"]

    def _compute_qms_customer_360_html(self):
        customers = {rec: rec._qms_panel_customer() for rec in self}
        partners = self.env["res.partner"].union(*customers.values())
        panels = partners._qms_customer_360_html_map()
        for rec in self:
            commercial = customers[rec].commercial_partner_id
            rec.qms_customer_360_html = panels.get(commercial.id, False)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "qms.customer.panel.mixin"]

    qms_open_ticket_count = fields.Integer(
        compute="_compute_qms_ticket_counts", string="Open Tickets"
    )
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_ticket_counts", string="Open Complaints"
    )

    def _qms_panel_customer(self):
        self.ensure_one()
        return self

    def _compute_qms_ticket_counts(self):
        counts = defaultdict(int)
        complaints = defaultdict(int)
        Ticket = self.env["helpdesk.ticket"]
        if Ticket.has_access("read") and self.commercial_partner_id.ids:
            for partner, kind, count in Ticket._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("closed", "=", False),
                ],
                ["commercial_partner_id", "qms_feedback_kind"],
                ["__count"],
            ):
                counts[partner.id] += count
                if kind == "complaint":
                    complaints[partner.id] += count
        for partner in self:
            cid = partner.commercial_partner_id.id
            partner.qms_open_ticket_count = counts[cid]
            partner.qms_complaint_count = complaints[cid]

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
                "qms_crm.qms_customer_360_panel", dict(values, labels=labels)
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

    def action_qms_view_open_tickets(self):
        return self._qms_ticket_action([])

    def action_qms_view_complaints(self):
        return self._qms_ticket_action([("qms_feedback_kind", "=", "complaint")])

    def _qms_ticket_action(self, domain):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("closed", "=", False),
            *domain,
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_qms_view_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = self._qms_open_order_domain(self.commercial_partner_id)
        action["context"] = {"default_partner_id": self.id}
        return action


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "qms.customer.panel.mixin"]

    @api.depends("partner_id")
    def _compute_qms_customer_360_html(self):
        # refreshed in the form as soon as the customer is chosen
        return super()._compute_qms_customer_360_html()

    def _qms_panel_customer(self):
        self.ensure_one()
        return self.partner_id


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "qms.customer.panel.mixin"]

    @api.depends("partner_id")
    def _compute_qms_customer_360_html(self):
        # refreshed in the form as soon as the customer is chosen
        return super()._compute_qms_customer_360_html()

    def _qms_panel_customer(self):
        self.ensure_one()
        return self.partner_id
