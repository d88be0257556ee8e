# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, sql

COMPENSATION_KINDS = [
    ("refund", "Refund"),
    ("credit_note", "Credit Note"),
    ("discount", "Discount"),
    ("voucher", "Voucher"),
    ("free_service", "Free Service"),
    ("replacement", "Replacement"),
]


class QmsCompensationLine(models.Model):
    """What a complaint cost us in compensation: the "cost of poor quality"."""

    _name = "qms.compensation.line"
    _description = "Complaint Compensation"
    _inherit = ["mail.thread", "qms.evidence.mixin"]
    _order = "date desc, id desc"
    _qms_default_clauses = ("8.2.1 c)", "8.7", "8.5.5")

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="ticket_id.commercial_partner_id",
        store=True,
        index=True,
    )
    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    product_id = fields.Many2one(related="ticket_id.qms_product_id", store=True)
    kind = fields.Selection(COMPENSATION_KINDS, required=True, tracking=True)
    # a moment, not a day: a day is only a day in some time zone, and the
    # management review counts the days of the time zone it is prepared in
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, tracking=True, index=True
    )
    description = fields.Char(required=True, tracking=True)
    amount = fields.Monetary(required=True, tracking=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        related="ticket_id.company_id",
        store=True,
        index=True,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_company = fields.Monetary(
        string="Amount (company currency)",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        index="btree_not_null",
        domain="[('move_type', '=', 'out_refund')]",
        tracking=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sale Order", index="btree_not_null", tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Granted by", default=lambda self: self.env.user
    )
    active = fields.Boolean(default=True, tracking=True)

    @api.depends("amount", "currency_id", "company_id", "date")
    def _compute_amount_company(self):
        for line in self:
            company = line.company_id or self.env.company
            if not line.currency_id or line.currency_id == company.currency_id:
                line.amount_company = line.amount
            else:
                line.amount_company = line.currency_id._convert(
                    line.amount,
                    company.currency_id,
                    company,
                    fields.Date.context_today(line, line.date or None),
                )

    def _auto_init(self):
        self._qms_convert_date_column()
        return super()._auto_init()

    def _qms_convert_date_column(self):
        """19.0.1.0.0 stored ``date`` as the day of its creator's time zone.
        It becomes the moment of creation when that was on that day there,
        else noon of that day in the creator's time zone (the ORM alone would
        make it midnight UTC: the previous day for anyone west of UTC)."""
        cr = self.env.cr
        column = sql.table_columns(cr, self._table).get("date")
        if column and column["udt_name"] == "date":
            # SQL views of other models on it are made again by their init()
            sql.drop_depending_views(cr, self._table, "date")
            cr.execute(
                SQL(
                    """
                ALTER TABLE qms_compensation_line
                    ALTER COLUMN date TYPE timestamp USING date::timestamp;
                UPDATE qms_compensation_line l
                   SET date = CASE
                         WHEN (l.create_date AT TIME ZONE 'UTC' AT TIME ZONE z.tz)::date
                              = l.date::date THEN l.create_date
                         ELSE (l.date::date + time '12:00') AT TIME ZONE z.tz
                              AT TIME ZONE 'UTC' END
                  FROM (SELECT l2.id,
                               COALESCE((SELECT name FROM pg_timezone_names
                                          WHERE name = p.tz), 'UTC') AS tz
                          FROM qms_compensation_line l2
                     LEFT JOIN res_users u ON u.id = l2.create_uid
                     LEFT JOIN res_partner p ON p.id = u.partner_id) z
                 WHERE z.id = l.id
                    """
                )
            )

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if line.amount < 0:
                raise ValidationError(_("A compensation amount cannot be negative."))

    @api.constrains("move_id", "sale_order_id", "ticket_id")
    def _check_documents(self):
        for line in self:
            customer = line.ticket_id.commercial_partner_id
            for doc in (line.move_id, line.sale_order_id):
                if (
                    doc
                    and customer
                    and doc.partner_id.commercial_partner_id != customer
                ):
                    raise ValidationError(
                        _(
                            "%(doc)s belongs to another customer than the "
                            "complaint %(ticket)s.",
                            doc=doc.display_name,
                            ticket=line.ticket_id.display_name,
                        )
                    )

    def action_create_credit_note(self):
        """Make the draft credit note of a refund or credit-note compensation
        and link it to the line."""
        self.ensure_one()
        if self.kind not in ("refund", "credit_note"):
            raise UserError(
                _("Only refunds and credit notes are made as credit notes.")
            )
        if self.move_id:
            raise UserError(_("%s already has a credit note.", self.display_name))
        customer = self.ticket_id.commercial_partner_id
        if not customer:
            raise UserError(_("The complaint has no customer to credit."))
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": customer.id,
                    "currency_id": self.currency_id.id,
                    "invoice_origin": self.ticket_id.number,
                    "ref": _("Complaint %s", self.ticket_id.number),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.description,
                                "quantity": 1.0,
                                "price_unit": self.amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        self.move_id = move
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
        }

    @api.depends("kind", "amount", "currency_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            line.display_name = "%s %s %s" % (
                labels.get(line.kind, ""),
                line.amount,
                line.currency_id.name or "",
            )
