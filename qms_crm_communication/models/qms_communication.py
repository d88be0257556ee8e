# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone Call"),
    ("meeting", "Meeting"),
    ("task", "To-Do"),
    ("portal", "Portal Message"),
    ("letter", "Letter"),
    ("other", "Other"),
]
STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# documents a communication can be about (the log's source)
SOURCE_MODELS = [
    ("res.partner", "Contact"),
    ("crm.lead", "Lead/Opportunity"),
    ("sale.order", "Sales Order"),
    ("helpdesk.ticket", "Ticket"),
    ("stock.picking", "Transfer"),
]


class QmsCommunication(models.Model):
    """One communication with a customer (ISO 9001 7.4): made by a rule or
    logged by staff; planned (an activity) or done (a message, a call)."""

    _name = "qms.communication"
    _description = "Customer Communication"
    _inherit = ["mail.thread", "qms.evidence.mixin"]
    _order = "date desc, id desc"
    _qms_default_clauses = ("7.4",)

    name = fields.Char(string="Summary", required=True, tracking=True)
    body = fields.Html(string="Content", sanitize=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The commercial customer the communication is with.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        index="btree_not_null",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    topic_id = fields.Many2one(
        "qms.communication.topic",
        string="Topic",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    channel = fields.Selection(CHANNELS, required=True, default="email", tracking=True)
    direction = fields.Selection(
        [("outbound", "To the Customer"), ("inbound", "From the Customer")],
        required=True,
        default="outbound",
    )
    rule_id = fields.Many2one(
        "qms.communication.rule",
        string="Rule",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
        help="The communication rule that made this communication; empty when "
        "staff logged it.",
    )
    occurrence_key = fields.Char(
        readonly=True,
        copy=False,
        help="What occurrence of its rule this communication answers (a rule "
        "communicates once per record and occurrence).",
    )
    res_model = fields.Char(string="Document Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", index=True, readonly=True
    )
    source_ref = fields.Reference(
        SOURCE_MODELS, string="Document", compute="_compute_source_ref"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    date = fields.Datetime(
        default=fields.Datetime.now, required=True, index=True, tracking=True
    )
    planned_date = fields.Date(index=True, tracking=True)
    done_date = fields.Datetime(readonly=True, tracking=True)
    state = fields.Selection(
        STATES, required=True, default="done", index=True, tracking=True
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    message_id = fields.Many2one(
        "mail.message", string="Message", index="btree_not_null", readonly=True
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Activity",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    active = fields.Boolean(default=True)

    _rule_occurrence_uniq = models.UniqueIndex(
        "(rule_id, res_model, res_id, occurrence_key) WHERE rule_id IS NOT NULL",
        "This rule already communicated on this document for this occurrence.",
    )

    @api.depends("res_model", "res_id")
    def _compute_source_ref(self):
        known = dict(SOURCE_MODELS)
        for comm in self:
            comm.source_ref = (
                f"{comm.res_model},{comm.res_id}"
                if comm.res_model in known and comm.res_id
                else False
            )

    @api.depends("state", "planned_date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for comm in self:
            comm.is_overdue = bool(
                comm.state == "planned"
                and comm.planned_date
                and comm.planned_date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on overdue communications."))
        domain = [
            ("state", "=", "planned"),
            ("planned_date", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    def _qms_is_locked(self):
        self.ensure_one()
        return self.state == "done"

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for comm in self:
            if (
                comm.contact_id
                and comm.contact_id.commercial_partner_id
                != comm.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    _(
                        "%(contact)s is not a contact of %(customer)s.",
                        contact=comm.contact_id.display_name,
                        customer=comm.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                commercial = partner.commercial_partner_id
                if commercial != partner:
                    vals.setdefault("contact_id", partner.id)
                    vals["partner_id"] = commercial.id
            if vals.get("state") == "done" and not vals.get("done_date"):
                vals["done_date"] = fields.Datetime.now()
        comms = super().create(vals_list)
        comms._qms_add_topic_clauses()
        comms._qms_post_history()
        comms._qms_stamp_first_response()
        return comms

    def _qms_add_topic_clauses(self):
        for comm in self:
            extra = comm.topic_id.qms_clause_ids | comm.rule_id.qms_clause_ids
            if extra - comm.qms_clause_ids:
                comm.qms_clause_ids = comm.qms_clause_ids | extra

    def _qms_source_record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id or self.res_model not in self.env:
            return None
        record = self.env[self.res_model].browse(self.res_id).exists()
        return record or None

    def _qms_history_note(self):
        """The note that tags a communication in chatters: topic, channel,
        rule and clauses."""
        self.ensure_one()
        channel = dict(self._fields["channel"]._description_selection(self.env))[
            self.channel
        ]
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        parts = [
            Markup("<b>%s</b>") % _("Communication: %s", self.name),
            _("Topic: %s", self.topic_id.display_name),
            _("Channel: %s", channel),
            _("Status: %s", state),
        ]
        if self.rule_id:
            parts.append(_("Rule: %s", self.rule_id.display_name))
        if self.qms_clause_ids:
            parts.append(
                _("Clauses: %s", ", ".join(self.qms_clause_ids.mapped("code")))
            )
        source = self._qms_source_record()
        if source and source != self.partner_id:
            parts.append(
                Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>')
                % (source._name, source.id, source.display_name)
            )
        return Markup("<br/>").join(parts)

    def _qms_post_history(self):
        """Put the communication in the customer's history: a tagged note on the
        customer and on the source document (unless the communication itself
        already is a message there)."""
        # logged notes (no follower notifications): the history, not a message
        for comm in self:
            note = comm._qms_history_note()
            comm.partner_id.sudo()._message_log(body=note)
            source = comm._qms_source_record()
            if (
                source
                and source != comm.partner_id
                and hasattr(source, "_message_log")
                and not comm.message_id
            ):
                source.sudo()._message_log(body=note)

    def _qms_stamp_first_response(self):
        leads = self.env["crm.lead"]
        for comm in self:
            if (
                comm.res_model == "crm.lead"
                and comm.state == "done"
                and comm.direction == "outbound"
            ):
                leads |= self.env["crm.lead"].browse(comm.res_id)
        if leads:
            leads.exists()._qms_set_first_response(fields.Datetime.now())

    # ------------------------------------------------------------------
    # State changes
    # ------------------------------------------------------------------
    def action_done(self):
        for comm in self:
            if comm.state != "planned":
                raise UserError(
                    _(
                        "%s is not planned; only planned communications are done.",
                        comm.name,
                    )
                )
        activities = self.activity_id
        if activities:
            # marking the activity done marks the communication done (hook)
            activities.action_feedback(feedback=_("Communication done."))
        self.filtered(lambda c: c.state == "planned")._qms_mark_done()
        return True

    def _qms_mark_done(self, feedback=None):
        for comm in self:
            vals = {"state": "done", "done_date": fields.Datetime.now()}
            if feedback:
                vals["body"] = (comm.body or Markup("")) + Markup("<p>%s</p>") % (
                    feedback
                )
            comm.write(vals)
        self._qms_stamp_first_response()

    def action_cancel(self):
        if self.filtered(lambda c: c.state == "done"):
            raise UserError(
                _("A done communication is evidence and cannot be cancelled.")
            )
        self.activity_id.unlink()
        self.write({"state": "cancelled"})
        return True

    def action_open_source(self):
        self.ensure_one()
        source = self._qms_source_record()
        if not source:
            raise UserError(_("The document of this communication no longer exists."))
        return {
            "type": "ir.actions.act_window",
            "res_model": source._name,
            "res_id": source.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Smart buttons of documents and customers
    # ------------------------------------------------------------------
    @api.model
    def _qms_count_by_document(self, records):
        if not records.ids or not self.has_access("read"):
            return {}
        rows = self._read_group(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)],
            ["res_id"],
            ["__count"],
        )
        return dict(rows)

    @api.model
    def _qms_count_by_customer(self, partners):
        commercial = partners.commercial_partner_id
        if not commercial.ids or not self.has_access("read"):
            return {}
        rows = self._read_group(
            [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
        )
        return {partner.id: count for partner, count in rows}

    @api.model
    def _qms_action_for_document(self, record):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_communication.qms_communication_action"
        )
        partner = self.env["qms.communication.rule"]._qms_record_partner(record)
        action["domain"] = [
            ("res_model", "=", record._name),
            ("res_id", "=", record.id),
        ]
        action["context"] = {
            "default_res_model": record._name,
            "default_res_id": record.id,
            "default_partner_id": partner.commercial_partner_id.id,
            "default_contact_id": partner.id
            if partner != partner.commercial_partner_id
            else False,
        }
        return action

    @api.model
    def _qms_action_for_partner(self, partner):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_communication.qms_communication_action"
        )
        commercial = partner.commercial_partner_id
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action

    @api.model
    def _qms_log_messages(self, messages, log):
        """Log messages sent from the composer (product information...)."""
        Rule = self.env["qms.communication.rule"]
        clauses = self.env["qms.clause"].search(
            [("code", "in", log.get("clause_codes") or [])]
        )
        vals_list = []
        for message in messages:
            if not message.model or not message.res_id:
                continue
            record = self.env[message.model].browse(message.res_id)
            partner = Rule._qms_record_partner(record)
            if not partner:
                continue
            vals_list.append(
                {
                    "name": log.get("summary") or message.subject or message.preview,
                    "body": message.body,
                    "partner_id": partner.commercial_partner_id.id,
                    "contact_id": partner.id
                    if partner != partner.commercial_partner_id
                    else False,
                    "topic_id": log["topic_id"],
                    "channel": "email",
                    "state": "done",
                    "res_model": record._name,
                    "res_id": record.id,
                    "message_id": message.id,
                    "user_id": self.env.user.id,
                    "qms_clause_ids": [
                        fields.Command.link(c.id)
                        for c in clauses | self._qms_default_clause_ids()
                    ],
                }
            )
        return self.sudo().create(vals_list)
