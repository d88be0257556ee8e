# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Personal data of a person: what we hold (sections), what stops its erasure
(legal holds) and how it is anonymised (ISO 9001 8.5.3, GDPR).

Extension hooks for other addons (call ``super()`` and add to the result):

* ``_qms_personal_data_sections()`` -> ``{key: (label, records, field names)}``
* ``_qms_erasure_holds()`` -> list of human-readable reasons
* ``_qms_anonymise_personal_data()`` -> list of log lines (override
  ``_qms_anonymise_related(partners)`` to anonymise more models)
"""

import io
import json
import re
import zipfile

from dateutil.relativedelta import relativedelta
from markupsafe import escape

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.qms_crm_property.models.qms_property import HELD_STATES

# fields of a contact that identify a person, cleared on erasure
PARTNER_PERSONAL_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
    "ref",
    "website",
    "function",
    "comment",
    "image_1920",
    "barcode",
)
LEAD_PERSONAL_FIELDS = (
    "contact_name",
    "partner_name",
    "email_from",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "function",
    "website",
)
DEFAULT_RETENTION_YEARS = 5
MAX_LISTED = 10
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "qms.read.logged.mixin"]

    qms_data_request_count = fields.Integer(
        compute="_compute_qms_data_request_count",
        string="Data Requests",
        groups="base.group_user",
    )
    qms_personal_data_category_ids = fields.Many2many(
        "qms.personal.data.category",
        compute="_compute_qms_personal_data_category_ids",
        string="Personal Data Held",
        help="Categories of personal data we hold about this contact: from its "
        "filled fields, its records and the personal data sets in the property "
        "register.",
        groups="base.group_user",
    )

    @api.depends_context("uid")
    def _compute_qms_data_request_count(self):
        counts = self._qms_count_per_customer("qms.data.request")
        for partner in self:
            partner.qms_data_request_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    @api.depends_context("uid")
    def _compute_qms_personal_data_category_ids(self):
        Category = self.env["qms.personal.data.category"].sudo()
        categories = Category.search([("active", "=", True)])
        for partner in self:
            if not partner.id or not self.env.user.has_group(
                "qms_crm_evidence.group_qms_dpo"
            ):
                partner.qms_personal_data_category_ids = Category.browse()
                continue
            partner.qms_personal_data_category_ids = (
                partner.sudo()._qms_personal_data_categories(categories)
            )

    def _qms_personal_data_categories(self, categories):
        """Categories held about this person, among ``categories``."""
        self.ensure_one()
        partners = self._qms_privacy_partners()
        sections = self._qms_personal_data_sections()
        filled_sections = {key for key, (_l, recs, _f) in sections.items() if recs}
        held = categories.browse()
        for category in categories:
            if any(
                partner[field.name]
                for partner in partners
                for field in category.partner_field_ids
                if field.name in partner._fields
            ) or (category._qms_section_keys() & filled_sections):
                held |= category
        declared = (
            self.env["qms.property"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("partner_id", "in", partners.ids), ("kind", "=", "personal_data")]
            )
            .personal_data_category_ids
        )
        return held | (declared & categories)

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------

    def action_qms_view_data_requests(self):
        return self._qms_action("qms_crm_privacy.qms_data_request_action")

    # ------------------------------------------------------------------
    # Personal data hooks
    # ------------------------------------------------------------------
    def _qms_privacy_partners(self):
        """The person and their contacts (archived ones too)."""
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", self.ids)])
        )

    def _qms_personal_data_sections(self):
        """What we hold about the person, per section:
        ``{key: (label, records, [field names])}``. Records are sudoed and
        archived ones included; other addons add their sections."""
        self.ensure_one()
        partners = self._qms_privacy_partners()
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        ids = partners.ids
        orders = env["sale.order"].search(
            [
                "|",
                "|",
                ("partner_id", "in", ids),
                ("partner_invoice_id", "in", ids),
                ("partner_shipping_id", "in", ids),
            ]
        )
        property_items = env["qms.property"].search([("partner_id", "in", ids)])
        return {
            "partner": (
                _("Contact"),
                partners,
                [
                    "name",
                    "is_company",
                    "parent_id",
                    "lang",
                    "tz",
                    *PARTNER_PERSONAL_FIELDS[:-2],
                    "create_date",
                ],
            ),
            "leads": (
                _("Leads and Opportunities"),
                env["crm.lead"].search([("partner_id", "in", ids)]),
                [
                    "name",
                    "type",
                    *LEAD_PERSONAL_FIELDS,
                    "description",
                    "stage_id",
                    "create_date",
                ],
            ),
            "orders": (
                _("Quotations and Orders"),
                orders,
                [
                    "name",
                    "state",
                    "date_order",
                    "partner_id",
                    "partner_invoice_id",
                    "partner_shipping_id",
                    "client_order_ref",
                    "amount_total",
                    "currency_id",
                    "note",
                ],
            ),
            "order_lines": (
                _("Order Lines"),
                orders.order_line,
                ["order_id", "name", "product_uom_qty", "price_total"],
            ),
            "tickets": (
                _("Tickets"),
                env["helpdesk.ticket"].search([("partner_id", "in", ids)]),
                [
                    "number",
                    "name",
                    "description",
                    "partner_name",
                    "partner_email",
                    "stage_id",
                    "create_date",
                    "closed_date",
                ],
            ),
            "requirements": (
                _("Requirements"),
                env["qms.requirement"].search([("partner_id", "in", ids)]),
                ["reference", "name", "description", "state", "create_date"],
            ),
            "property": (
                _("Property"),
                property_items,
                [
                    "reference",
                    "name",
                    "kind",
                    "serial",
                    "quantity",
                    "received_date",
                    "state",
                    "return_date",
                    "return_to",
                ],
            ),
            "property_incidents": (
                _("Property Incidents"),
                env["qms.property.incident"].search([("partner_id", "in", ids)]),
                [
                    "reference",
                    "property_id",
                    "kind",
                    "detected_at",
                    "description",
                    "notified_at",
                    "acknowledged_at",
                ],
            ),
            "data_requests": (
                _("Data Subject Requests"),
                env["qms.data.request"].search([("partner_id", "in", ids)]),
                ["reference", "kind", "received_date", "state", "due_date"],
            ),
            "messages": (
                _("Messages Written"),
                env["mail.message"].search(
                    [
                        ("author_id", "in", ids),
                        ("message_type", "in", ("email", "comment")),
                    ]
                ),
                ["date", "model", "res_id", "subject", "body", "email_from"],
            ),
        }

    def _qms_personal_data_export_zip(self):
        """ZIP bytes with ``data.json`` (every section) and the attachments of
        the exported records; and the record count per section."""
        self.ensure_one()
        sections = self._qms_personal_data_sections()
        Attachment = self.env["ir.attachment"].sudo()
        data = {
            "subject": {"id": self.id, "name": self.display_name},
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "sections": {},
        }
        counts = {}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for key, (label, records, field_names) in sections.items():
                names = [name for name in field_names if name in records._fields]
                rows = records.read(names) if records else []
                attachments = Attachment.browse()
                if records:
                    attachments = Attachment.search(
                        [
                            ("res_model", "=", records._name),
                            ("res_id", "in", records.ids),
                            ("type", "=", "binary"),
                        ]
                    )
                    if "attachment_ids" in records._fields:
                        attachments |= records.attachment_ids.filtered(
                            lambda a: a.type == "binary"
                        )
                    # never the earlier exports: each would hold all the ones
                    # before it
                    attachments -= self._qms_export_attachments()
                files = []
                for attachment in attachments:
                    path = (
                        f"attachments/{key}/{attachment.id}-"
                        f"{_SAFE_NAME.sub('_', attachment.name or 'file')}"
                    )
                    archive.writestr(path, attachment.raw or b"")
                    files.append(
                        {
                            "path": path,
                            "model": attachment.res_model,
                            "res_id": attachment.res_id,
                        }
                    )
                data["sections"][key] = {
                    "label": label,
                    "model": records._name,
                    "records": rows,
                    "attachments": files,
                }
                counts[key] = len(records)
            archive.writestr(
                "data.json",
                json.dumps(data, indent=2, ensure_ascii=False, default=str),
            )
        return buffer.getvalue(), counts

    def _qms_erasure_holds(self):
        """Reasons we must keep the person's data now (legal holds), as
        human-readable strings; empty when the data may be erased."""
        self.ensure_one()
        partners = self._qms_privacy_partners()
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        ids = partners.ids
        holds = []

        def names(records, field="display_name"):
            listed = ", ".join(records[:MAX_LISTED].mapped(field))
            if len(records) > MAX_LISTED:
                listed += _(" and %s more", len(records) - MAX_LISTED)
            return listed

        orders = env["sale.order"].search(
            [
                ("partner_id", "in", ids),
                "|",
                ("state", "in", ("draft", "sent")),
                "&",
                ("state", "=", "sale"),
                "|",
                ("invoice_status", "=", "to invoice"),
                ("picking_ids", "any", [("state", "not in", ("done", "cancel"))]),
            ]
        )
        if orders:
            holds.append(_("Open orders: %s", names(orders, "name")))
        invoice_domain = [
            ("partner_id", "in", ids),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
        ]
        Move = env["account.move"]
        unpaid = Move.search(
            [*invoice_domain, ("payment_state", "in", ("not_paid", "partial"))]
        )
        if unpaid:
            holds.append(_("Unpaid invoices: %s", names(unpaid, "name")))
        years = self.env["qms.data.request"]._qms_months(
            "qms_crm.invoice_retention_years", DEFAULT_RETENTION_YEARS
        )
        limit = fields.Date.context_today(self) - relativedelta(years=years)
        retained = Move.search([*invoice_domain, ("invoice_date", ">", limit)]) - unpaid
        if retained:
            holds.append(
                _(
                    "Invoices inside the legal retention period of %(years)s years: "
                    "%(invoices)s",
                    years=years,
                    invoices=names(retained, "name"),
                )
            )
        complaints = env["helpdesk.ticket"].search(
            [
                ("partner_id", "in", ids),
                ("closed", "=", False),
                "|",
                ("qms_feedback_kind", "in", ("complaint", "warranty")),
                ("qms_feedback_kind", "=", False),
            ]
        )
        if complaints:
            holds.append(_("Open complaints: %s", names(complaints)))
        employees = env["res.users"].search(
            [("partner_id", "in", ids), ("share", "=", False)]
        )
        if employees:
            holds.append(
                _(
                    "Internal user accounts (handle their data through HR): %s",
                    names(employees),
                )
            )
        held = env["qms.property"].search(
            [("partner_id", "in", ids), ("state", "in", HELD_STATES)]
        )
        if held:
            holds.append(
                _(
                    "Property we still hold for them (hand it back first): %s",
                    names(held),
                )
            )
        return holds

    def _qms_anonymise_personal_data(self):
        """Anonymise the person and their contacts in place and archive them.
        Records that are evidence stay; their personal fields are cleared.
        Returns log lines of what was anonymised."""
        self.ensure_one()
        partners = self._qms_privacy_partners()
        # what identifies the person, read before it is cleared, and where it
        # may have been copied to
        strings = self._qms_identifying_strings(partners)
        records = {
            records._name: set(records.ids)
            for _label, records, _fields in self._qms_personal_data_sections().values()
            if records
        }
        log = []
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)])
        )
        for user in users:
            user.write({"login": f"anonymised-{user.id}@anonymised.invalid"})
        if users:
            users.write({"active": False})
            log.append(
                _("%s user account(s) archived and their login anonymised", len(users))
            )
        log.extend(self._qms_anonymise_related(partners))
        clear = {
            name: False for name in PARTNER_PERSONAL_FIELDS if name in partners._fields
        }
        for partner in partners:
            partner.with_context(tracking_disable=True).write(
                dict(clear, name=_("Anonymised partner %s", partner.id))
            )
        # active_test: Odoo refuses to archive a contact while it finds a user
        # of it, and would find the users we just archived
        partners.with_context(tracking_disable=True, active_test=True).write(
            {"active": False}
        )
        log.append(
            _(
                "%(count)s contact(s) anonymised and archived (name, %(fields)s)",
                count=len(partners),
                fields=", ".join(sorted(clear)),
            )
        )
        records.setdefault("res.partner", set()).update(partners.ids)
        log.extend(self._qms_erase_copies(partners, records, strings))
        return log

    # ------------------------------------------------------------------
    # Copies of the personal data: exports, messages, mails, tracking values,
    # attachment names, activities, read logs
    # ------------------------------------------------------------------
    def _qms_export_attachments(self):
        """The personal data exports (ZIPs) of the data requests of self's
        people, or of everyone when self is empty (sudo)."""
        Request = self.env["qms.data.request"].sudo().with_context(active_test=False)
        domain = [("res_model", "=", "qms.data.request"), ("name", "=like", "%.zip")]
        if self:
            requests = Request.search(
                [("partner_id", "in", self._qms_privacy_partners().ids)]
            )
            domain.append(("res_id", "in", requests.ids))
        attachments = self.env["ir.attachment"].sudo().search(domain)
        exports = Request.search(
            [("export_attachment_id", "in", attachments.ids)]
        ).export_attachment_id
        # the current ones, and the earlier ones of the same requests (the
        # export file name ends with "-personal-data.zip")
        return exports | attachments.filtered(
            lambda a: a.name.endswith("-personal-data.zip")
        )

    @api.model
    def _qms_identifying_strings(self, partners):
        """Texts that identify the people: names, emails, phones, streets,
        tax IDs, logins; in plain and HTML-escaped form, longest first."""
        values = set()
        names = ("name", "email", "phone", "mobile", "street", "street2", "vat")
        for partner in partners:
            for name in names:
                value = partner[name] if name in partner._fields else False
                if isinstance(value, str) and len(value.strip()) >= 4:
                    values.add(value.strip())
            if not partner.is_company:
                # a person's surname alone identifies them too (a file named
                # after them, an old email address); words of 4 letters or more
                values.update(
                    word for word in re.findall(r"\w{4,}", partner.name or "")
                )
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)])
        )
        values.update(login for login in users.mapped("login") if len(login) >= 4)
        values |= {str(escape(value)) for value in values}
        return sorted(values, key=lambda v: (-len(v), v))

    def _qms_scrub(self, table, columns, where, pattern, marker):
        """Replace every match of ``pattern`` by ``marker`` in ``columns`` of
        the rows of ``table`` matching ``where`` (one UPDATE per column)."""
        count = 0
        for column in columns:
            col = SQL.identifier(column)
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = regexp_replace(%s, %s, %s, 'gi') "
                    "WHERE (%s) AND %s ~* %s",
                    SQL.identifier(table),
                    col,
                    col,
                    pattern,
                    marker,
                    where,
                    col,
                    pattern,
                )
            )
            count += self.env.cr.rowcount
        return count

    def _qms_table_exists(self, table):
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_name = %s", [table]
        )
        return bool(self.env.cr.fetchone())

    def _qms_erase_copies(self, partners, records, strings):
        """Delete the exports and anonymise the copies of the personal data
        kept around the person's records ({model: ids}), set-based; returns
        log lines."""
        log = []
        marker = _("[anonymised]")
        exports = partners._qms_export_attachments()
        if exports:
            count = len(exports)
            exports.unlink()
            log.append(_("%s earlier export file(s) deleted", count))
        if not strings:
            return log
        self.env.flush_all()
        pattern = "|".join(re.escape(value) for value in strings)
        pairs = SQL(", ").join(
            SQL("(%s, %s)", model, res_id)
            for model, ids in sorted(records.items())
            for res_id in sorted(ids)
        )
        on_records = SQL("(model, res_id) IN (VALUES %s)", pairs)
        ids = tuple(partners.ids)
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT id FROM mail_message WHERE %s OR author_id IN %s
                   UNION SELECT mail_message_id FROM mail_message_res_partner_rel
                    WHERE res_partner_id IN %s""",
                on_records,
                ids,
                ids,
            )
        )
        message_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
        in_messages = SQL("id IN %s", message_ids)
        # what the person wrote can hold anything: the whole body goes
        cr.execute(
            SQL(
                """UPDATE mail_message SET body = %s
                    WHERE author_id IN %s AND message_type IN ('email', 'comment')
                      AND body IS NOT NULL""",
                f"<p>{marker}</p>",
                ids,
            )
        )
        written = cr.rowcount
        written += self._qms_scrub(
            "mail_message",
            [
                "body",
                "subject",
                "email_from",
                "reply_to",
                "incoming_email_to",
                "incoming_email_cc",
                "outgoing_email_to",
            ],
            in_messages,
            pattern,
            marker,
        )
        tracking = self._qms_scrub(
            "mail_tracking_value",
            ["old_value_char", "new_value_char", "old_value_text", "new_value_text"],
            SQL("mail_message_id IN %s", message_ids),
            pattern,
            marker,
        )
        mails = self._qms_scrub(
            "mail_mail",
            ["body_html", "email_to", "email_cc", "headers"],
            SQL(
                """mail_message_id IN %s OR id IN (
                       SELECT mail_mail_id FROM mail_mail_res_partner_rel
                        WHERE res_partner_id IN %s)""",
                message_ids,
                ids,
            ),
            pattern,
            marker,
        )
        attachments = self._qms_scrub(
            "ir_attachment",
            ["name", "description", "index_content"],
            SQL(
                """(res_model, res_id) IN (VALUES %s) OR id IN (
                       SELECT attachment_id FROM message_attachment_rel
                        WHERE message_id IN %s)""",
                pairs,
                message_ids,
            ),
            pattern,
            marker,
        )
        activities = self._qms_scrub(
            "mail_activity",
            ["summary", "note"],
            SQL("(res_model, res_id) IN (VALUES %s)", pairs),
            pattern,
            marker,
        )
        # notifications already delivered to the browsers and composer
        # wizards (transient, vacuumed anyway): nothing to keep
        cr.execute(SQL("DELETE FROM bus_bus WHERE message ~* %s", pattern))
        cr.execute(SQL("DELETE FROM mail_compose_message WHERE body ~* %s", pattern))
        reads = 0
        if self._qms_table_exists("auditlog_log"):
            on_logs = SQL(
                """((SELECT m.model FROM ir_model m WHERE m.id = model_id), res_id)
                   IN (VALUES %s)""",
                pairs,
            )
            reads = self._qms_scrub("auditlog_log", ["name"], on_logs, pattern, marker)
            reads += self._qms_scrub(
                "auditlog_log_line",
                ["old_value", "new_value", "old_value_text", "new_value_text"],
                SQL("log_id IN (SELECT id FROM auditlog_log WHERE %s)", on_logs),
                pattern,
                marker,
            )
        self.env.invalidate_all()
        log.append(
            _(
                "Copies anonymised: %(messages)s message text(s), %(tracking)s "
                "tracked value(s), %(mails)s outgoing mail text(s), "
                "%(attachments)s attachment name(s), %(activities)s activity "
                "text(s), %(reads)s read log text(s)",
                messages=written,
                tracking=tracking,
                mails=mails,
                attachments=attachments,
                activities=activities,
                reads=reads,
            )
        )
        return log

    @api.model
    def _qms_anonymise_related(self, partners):
        """Clear personal fields of the records linked to ``partners``."""
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        ids = partners.ids
        log = []
        leads = env["crm.lead"].search([("partner_id", "in", ids)])
        if leads:
            leads.with_context(tracking_disable=True).write(
                {name: False for name in LEAD_PERSONAL_FIELDS}
            )
            log.append(_("%s lead(s): contact fields cleared", len(leads)))
        tickets = env["helpdesk.ticket"].search([("partner_id", "in", ids)])
        if tickets:
            tickets.with_context(tracking_disable=True).write(
                {"partner_name": False, "partner_email": False}
            )
            log.append(_("%s ticket(s): name and email cleared", len(tickets)))
        messages = env["mail.message"].search(
            [("author_id", "in", ids), ("email_from", "!=", False)]
        )
        if messages:
            messages.write({"email_from": False})
            log.append(
                _("%s message(s): sender address cleared (author kept)", len(messages))
            )
        return log
