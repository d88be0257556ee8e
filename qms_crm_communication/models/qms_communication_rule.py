# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Why over 600 lines: one model (qms.communication.rule) whose every part serves the
# one rule life cycle: the 7.4 fields, the sync to its base.automation, the event,
# condition and time triggers, and the sending with its de-duplication. Split by
# concern it would be several files of one model, against one-model-per-file.
import hashlib
import logging
from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import format_date, format_datetime
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base_automation.models.base_automation import _get_domain_fields

_logger = logging.getLogger(__name__)

# value of the context key ``qms_rule_syncing`` while a rule links its own
# automation: an object, which no RPC client can send (contexts arrive as
# JSON), so a client's write never skips the sync of the automation
_SYNCING = object()

TRIGGERS = [
    ("create", "Record Created"),
    ("state", "Stage/State Changed"),
    ("field", "Field Changed"),
    ("ticket_closed", "Ticket Closed"),
    ("delivery_done", "Delivery Done"),
    ("date_moved", "Delivery Date Moved"),
    ("lines_changed", "Order Lines Changed after Confirmation"),
    ("condition", "Condition Met"),
    ("time", "Before/After a Date"),
    ("periodic", "Every N Days for a Customer Segment"),
]
# triggers realised by a base.automation (the others: time -> on_time,
# periodic -> our ir.cron)
EVENT_TRIGGERS = (
    "create",
    "state",
    "field",
    "ticket_closed",
    "delivery_done",
    "date_moved",
    "lines_changed",
    "condition",
)
# triggers that only make sense on one kind of document
TRIGGER_MODELS = {
    "ticket_closed": ("helpdesk.ticket",),
    "delivery_done": ("stock.picking",),
    "date_moved": ("stock.picking", "sale.order"),
    "lines_changed": ("sale.order",),
    "periodic": ("res.partner",),
}
# fields watched by default
DEFAULT_TRIGGER_FIELDS = {
    ("date_moved", "stock.picking"): ("scheduled_date", "date_deadline"),
    ("date_moved", "sale.order"): ("commitment_date",),
    ("ticket_closed", "helpdesk.ticket"): ("stage_id",),
    ("delivery_done", "stock.picking"): ("state",),
}
# extra conditions of the preset triggers
TRIGGER_DOMAINS = {
    "ticket_closed": [("stage_id.closed", "=", True)],
    "delivery_done": [("state", "=", "done"), ("picking_type_code", "=", "outgoing")],
    "lines_changed": [("state", "=", "sale")],
}
ACTION_KINDS = [
    ("mail", "Send Email"),
    ("call", "Plan a Phone Call"),
    ("meeting", "Plan a Meeting"),
    ("todo", "Plan a To-Do"),
    ("portal_message", "Post a Portal Message"),
]
ACTIVITY_TYPES = {
    "call": ("mail.mail_activity_data_call", "phone"),
    "meeting": ("mail.mail_activity_data_meeting", "meeting"),
    "todo": ("mail.mail_activity_data_todo", "task"),
}
RECIPIENTS = [
    ("customer", "The Record's Customer"),
    ("contact", "The Record's Contact"),
    ("tagged", "Customer Contacts with Tags"),
    ("internal", "Internal Users / Teams"),
]
RESPONSIBLES = [
    ("record_user", "The Record's User Field"),
    ("salesperson", "The Customer's Salesperson"),
    ("team_leader", "Team Leader"),
    ("fixed", "Fixed User"),
]
# cr.cache key under which sale.order.write leaves the line changes of
# confirmed orders for the "lines_changed" rules
LINE_CHANGES_KEY = "qms_order_line_changes"


class QmsCommunicationRule(models.Model):
    """A communication rule (ISO 9001 7.4 a-e): what to communicate (topic),
    when (an event, a condition, a date, a period), with whom, how, and who
    communicates. Event and date rules run on Odoo's automation rules, which
    the rule keeps in sync; periodic rules run on a scheduled action."""

    _name = "qms.communication.rule"
    _description = "Communication Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    # ---- what -------------------------------------------------------
    topic_id = fields.Many2one(
        "qms.communication.topic",
        string="Topic",
        required=True,
        ondelete="restrict",
        tracking=True,
    )
    qms_clause_ids = fields.Many2many(
        "qms.clause",
        string="ISO Clauses",
        help="Clauses the communications of this rule are evidence for, on top of 7.4.",
    )
    # ---- when -------------------------------------------------------
    model_id = fields.Many2one(
        "ir.model",
        string="Applies to",
        required=True,
        ondelete="cascade",
        domain="[('is_mail_thread', '=', True), ('transient', '=', False)]",
        tracking=True,
    )
    model_name = fields.Char(related="model_id.model", store=True, string="Model")
    trigger = fields.Selection(
        TRIGGERS, string="When", required=True, default="create", tracking=True
    )
    trigger_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Watched Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="The rule fires when one of these fields changes. Left empty for "
        "stage/state and the delivery triggers, the usual field is watched.",
    )
    filter_domain = fields.Char(
        string="Condition",
        help="Only records matching this domain. For a 'Condition Met' rule, the "
        "rule fires once when a record comes to match it.",
    )
    date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Date Field",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime'))]",
        ondelete="cascade",
    )
    delay = fields.Integer(default=0)
    delay_unit = fields.Selection(
        [("hour", "Hours"), ("day", "Days"), ("month", "Months")], default="day"
    )
    delay_mode = fields.Selection(
        [("before", "Before"), ("after", "After")], default="after"
    )
    interval_days = fields.Integer(
        string="Every (days)",
        default=90,
        help="Periodic rules: days between two communications with a customer.",
    )
    segment_domain = fields.Char(
        string="Customer Segment",
        default="[('is_company', '=', True)]",
        help="Periodic rules: the customers (companies) the rule communicates with.",
    )
    segment_tag_ids = fields.Many2many(
        "res.partner.category",
        "qms_comm_rule_segment_tag_rel",
        string="Segment Tags",
        help="Periodic rules: only customers with one of these tags.",
    )
    automation_id = fields.Many2one(
        "base.automation",
        string="Automation Rule",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    last_run = fields.Datetime(readonly=True, copy=False)
    # ---- with whom --------------------------------------------------
    recipient_kind = fields.Selection(
        RECIPIENTS, string="With Whom", required=True, default="customer"
    )
    recipient_tag_ids = fields.Many2many(
        "res.partner.category",
        "qms_comm_rule_recipient_tag_rel",
        string="Contact Tags",
    )
    recipient_user_ids = fields.Many2many(
        "res.users",
        "qms_comm_rule_recipient_user_rel",
        string="Users",
        domain="[('share', '=', False)]",
    )
    recipient_team_ids = fields.Many2many("crm.team", string="Sales Teams")
    # ---- how --------------------------------------------------------
    action_kind = fields.Selection(
        ACTION_KINDS, string="How", required=True, default="mail", tracking=True
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model_id', '=', model_id)]",
        ondelete="restrict",
    )
    attach_product_documents = fields.Boolean(
        string="Attach Product Datasheets",
        help="Attach the documents of the products of the order or opportunity "
        "(ISO 9001 8.2.1 a).",
    )
    activity_summary = fields.Char(translate=True)
    activity_note = fields.Html(translate=True)
    activity_deadline_days = fields.Integer(string="Due in (days)", default=0)
    portal_body = fields.Html(string="Portal Message", translate=True)
    # ---- who --------------------------------------------------------
    responsible_kind = fields.Selection(
        RESPONSIBLES, string="Who", required=True, default="record_user"
    )
    responsible_field_id = fields.Many2one(
        "ir.model.fields",
        string="User Field",
        domain="[('model_id', '=', model_id), ('relation', '=', 'res.users'), "
        "('ttype', '=', 'many2one')]",
        ondelete="set null",
        help="Defaults to the 'user_id' field of the record.",
    )
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible User",
        domain="[('share', '=', False)]",
        help="Fixed responsible; also the fallback when the record names nobody.",
    )
    responsible_team_id = fields.Many2one(
        "crm.team",
        string="Team",
        help="Team leader of this team, when the record has no team of its own.",
    )
    # ---- history ----------------------------------------------------
    communication_ids = fields.One2many("qms.communication", "rule_id")
    communication_count = fields.Integer(compute="_compute_communication_count")

    def _compute_communication_count(self):
        rows = self.env["qms.communication"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
        )
        counts = {rule.id: count for rule, count in rows}
        for rule in self:
            rule.communication_count = counts.get(rule.id, 0)

    @api.onchange("model_id", "trigger")
    def _onchange_model_trigger(self):
        if self.mail_template_id and self.mail_template_id.model_id != self.model_id:
            self.mail_template_id = False
        self.trigger_field_ids = self.trigger_field_ids.filtered(
            lambda f: f.model_id == self.model_id
        )
        if self.trigger == "periodic":
            partner_model = self.env["ir.model"]._get("res.partner")
            self.model_id = partner_model

    # ------------------------------------------------------------------
    # Validation: a clear error for every incomplete or broken rule
    # ------------------------------------------------------------------
    def _qms_eval_domain(self, text, model_name):
        """Parse a domain text; raise a clear error when it does not parse or
        does not apply to the model."""
        if not text:
            return []
        try:
            domain = safe_eval(text, self._qms_domain_eval_context())
            Domain(domain).validate(self.env[model_name])
        except Exception as e:  # noqa: BLE001 - any parse error is a user error
            raise ValidationError(
                _(
                    "Rule %(rule)s: %(domain)s is not a valid domain on %(model)s "
                    "(%(error)s).",
                    rule=self.name,
                    domain=text,
                    model=model_name,
                    error=e,
                )
            ) from e
        return domain

    def _qms_domain_eval_context(self):
        return {
            "uid": self.env.uid,
            "user": self.env.user,
            "datetime": safe_datetime,
            "context_today": lambda: fields.Date.context_today(self),
        }

    @api.constrains(
        "trigger",
        "model_id",
        "trigger_field_ids",
        "filter_domain",
        "date_field_id",
        "delay",
        "interval_days",
        "segment_domain",
        "action_kind",
        "mail_template_id",
        "recipient_kind",
        "recipient_tag_ids",
        "recipient_user_ids",
        "recipient_team_ids",
        "responsible_kind",
        "responsible_user_id",
        "responsible_field_id",
    )
    def _check_rule(self):
        for rule in self:
            rule._qms_check()

    def _qms_check(self):
        self.ensure_one()
        model = self.model_name
        allowed = TRIGGER_MODELS.get(self.trigger)
        trigger_label = dict(self._fields["trigger"]._description_selection(self.env))[
            self.trigger
        ]
        if allowed and model not in allowed:
            raise ValidationError(
                _(
                    "Rule %(rule)s: the trigger '%(trigger)s' applies to %(models)s "
                    "only.",
                    rule=self.name,
                    trigger=trigger_label,
                    models=", ".join(allowed),
                )
            )
        if model not in self.env:
            raise ValidationError(_("Rule %s: unknown model.", self.name))
        filter_domain = self._qms_eval_domain(self.filter_domain, model)
        if self.trigger == "condition" and not filter_domain:
            raise ValidationError(
                _("Rule %s: a 'Condition Met' rule needs a condition.", self.name)
            )
        if self.trigger == "field" and not self.trigger_field_ids:
            raise ValidationError(
                _(
                    "Rule %s: a 'Field Changed' rule needs the fields to watch.",
                    self.name,
                )
            )
        if self.trigger == "state" and not self._qms_trigger_fields():
            raise ValidationError(
                _(
                    "Rule %s: the document has no stage or state field; choose the "
                    "field to watch.",
                    self.name,
                )
            )
        if self.trigger_field_ids.filtered(lambda f: f.model_id != self.model_id):
            raise ValidationError(
                _("Rule %s: the watched fields must belong to its model.", self.name)
            )
        self._qms_check_time()
        self._qms_check_how_whom_who()

    def _qms_check_time(self):
        if self.trigger == "time":
            if not self.date_field_id:
                raise ValidationError(
                    _("Rule %s: a time rule needs a date field.", self.name)
                )
            if self.date_field_id.model_id != self.model_id:
                raise ValidationError(
                    _("Rule %s: the date field must belong to its model.", self.name)
                )
            if self.delay < 0:
                raise ValidationError(
                    _(
                        "Rule %s: the delay cannot be negative; choose 'Before' "
                        "instead.",
                        self.name,
                    )
                )
        if self.trigger == "periodic":
            if self.interval_days <= 0:
                raise ValidationError(
                    _("Rule %s: a periodic rule needs a positive interval.", self.name)
                )
            self._qms_eval_domain(self.segment_domain, "res.partner")

    def _qms_check_how_whom_who(self):
        model = self.model_name
        if self.action_kind in ("mail",) and not self.mail_template_id:
            raise ValidationError(
                _("Rule %s: an email rule needs an email template.", self.name)
            )
        if self.mail_template_id and self.mail_template_id.model_id != self.model_id:
            raise ValidationError(
                _(
                    "Rule %(rule)s: the template %(template)s is made for another "
                    "model than %(model)s.",
                    rule=self.name,
                    template=self.mail_template_id.display_name,
                    model=model,
                )
            )
        if self.recipient_kind == "tagged" and not self.recipient_tag_ids:
            raise ValidationError(
                _("Rule %s: choose the tags of the contacts to reach.", self.name)
            )
        if self.recipient_kind == "internal" and not (
            self.recipient_user_ids or self.recipient_team_ids
        ):
            raise ValidationError(
                _("Rule %s: choose the users or teams to reach.", self.name)
            )
        if self.responsible_kind == "fixed" and not self.responsible_user_id:
            raise ValidationError(_("Rule %s: choose the responsible user.", self.name))
        if (
            self.responsible_field_id
            and self.responsible_field_id.model_id != self.model_id
        ):
            raise ValidationError(
                _("Rule %s: the user field must belong to its model.", self.name)
            )

    # ------------------------------------------------------------------
    # Automation rules kept in sync
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._qms_sync_automation()
        return rules

    def write(self, vals):
        res = super().write(vals)
        if self.env.context.get("qms_rule_syncing") is not _SYNCING:
            self._qms_sync_automation()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        used = self.filtered(
            lambda r: r.with_context(active_test=False).communication_ids
        )
        if used:
            raise UserError(
                _(
                    "%s already communicated with customers: its history is "
                    "evidence. Switch the rule off (archive it) instead.",
                    ", ".join(used.mapped("name")),
                )
            )

    def unlink(self):
        automations = self.sudo().automation_id
        res = super().unlink()
        automations.unlink()
        return res

    def _qms_trigger_fields(self):
        """The fields whose change fires an event rule."""
        self.ensure_one()
        if self.trigger_field_ids:
            return self.trigger_field_ids
        names = DEFAULT_TRIGGER_FIELDS.get((self.trigger, self.model_name), ())
        if self.trigger == "state":
            Model = self.env[self.model_name]
            names = [n for n in ("stage_id", "state") if n in Model._fields][:1]
        if not names:
            return self.env["ir.model.fields"]
        return self.env["ir.model.fields"].search(
            [("model", "=", self.model_name), ("name", "in", list(names))]
        )

    def _qms_automation_domain(self):
        self.ensure_one()
        domain = list(self._qms_eval_domain(self.filter_domain, self.model_name))
        extra = TRIGGER_DOMAINS.get(self.trigger)
        if extra:
            domain = list(Domain.AND([domain, extra])) if domain else list(extra)
        return domain

    def _qms_automation_values(self):
        """Values of the base.automation realising the rule, or None when the
        rule runs on our own scheduled action (periodic)."""
        self.ensure_one()
        if self.trigger == "periodic":
            return None
        domain = self._qms_automation_domain()
        vals = {
            "name": _("Communication rule: %s", self.name),
            "model_id": self.model_id.id,
            "active": self.active,
            "filter_domain": repr(domain) if domain else False,
            "filter_pre_domain": False,
            "trigger_field_ids": [Command.clear()],
            "description": _(
                "Managed by the communication rule %s (Quality CRM); edit the rule, "
                "not this automation.",
                self.name,
            ),
        }
        if self.trigger == "create":
            vals["trigger"] = "on_create"
        elif self.trigger == "time":
            vals.update(
                trigger="on_time",
                trg_date_id=self.date_field_id.id,
                trg_date_range=self.delay,
                trg_date_range_type=self.delay_unit,
                trg_date_range_mode=self.delay_mode,
            )
        elif self.trigger == "condition":
            fields_ = _get_domain_fields(self.env, self.model_name, repr(domain))
            vals.update(
                trigger="on_create_or_write",
                trigger_field_ids=[Command.set(fields_.ids)],
            )
        else:
            # state / field / presets: on edit of the watched fields
            vals.update(
                trigger="on_create_or_write",
                trigger_field_ids=[Command.set(self._qms_trigger_fields().ids)],
            )
        return vals

    def _qms_sync_automation(self):
        """Create, update or archive the base.automation of each rule."""
        Automation = self.env["base.automation"].sudo()
        for rule in self.sudo():
            vals = rule._qms_automation_values()
            automation = rule.automation_id
            if vals is None:
                if automation.active:
                    automation.active = False
                continue
            code = (
                "env['qms.communication.rule'].browse(%d)._qms_execute(records)"
                % rule.id
            )
            if automation:
                if automation.model_id != rule.model_id:
                    automation.action_server_ids.unlink()
                    automation.write(
                        {
                            "model_id": rule.model_id.id,
                            "action_server_ids": [
                                Command.create(rule._qms_server_action_values(code))
                            ],
                        }
                    )
                automation.write(vals)
            else:
                vals["action_server_ids"] = [
                    Command.create(rule._qms_server_action_values(code))
                ]
                if vals["trigger"] == "on_time":
                    # start from now: a new rule does not run on every past date
                    vals["last_run"] = fields.Datetime.now()
                automation = Automation.create(vals)
                rule.with_context(qms_rule_syncing=_SYNCING).automation_id = automation

    def _qms_server_action_values(self, code):
        return {
            "name": _("Run communication rule: %s", self.name),
            "model_id": self.model_id.id,
            "state": "code",
            "usage": "base_automation",
            "code": code,
        }

    def action_open_automation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.automation",
            "res_id": self.automation_id.id,
            "view_mode": "form",
        }

    def action_view_communications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_communication.qms_communication_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 0}
        return action

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------
    def _qms_execute(self, records):
        """Run the rule on ``records`` (called by its automation rule, its
        scheduled action or code). Communicates once per record and occurrence;
        returns the ``qms.communication`` records created."""
        self.ensure_one()
        Log = self.env["qms.communication"].sudo()
        if not self.active or not records:
            return Log
        records = records.exists()
        todo = []
        for record in records:
            occurrence = self._qms_occurrence(record)
            if occurrence:
                todo.append((record, *occurrence))
        if not todo:
            return Log
        existing = set(
            Log.with_context(active_test=False)
            .search(
                [
                    ("rule_id", "=", self.id),
                    ("res_model", "=", records._name),
                    ("res_id", "in", [rec.id for rec, _key, _changes in todo]),
                ]
            )
            .mapped(lambda c: (c.res_id, c.occurrence_key))
        )
        logs = Log
        for record, key, changes in todo:
            if (record.id, key) in existing:
                continue
            existing.add((record.id, key))
            try:
                with self.env.cr.savepoint():
                    logs |= self._qms_communicate(record, key, changes)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # another transaction changed the same rows (two agents
                # confirming one order): not a failure of the rule; the
                # whole transaction must be retried (Odoo retries requests
                # and cron jobs), not continued after a half-failed flush
                raise
            except Exception as e:  # noqa: BLE001 - one bad record must not block
                _logger.exception("Communication rule %s failed on %s", self.id, record)
                self.sudo().message_post(
                    body=_(
                        "The rule failed on %(record)s: %(error)s",
                        record=record.display_name,
                        error=e,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return logs

    def _qms_occurrence(self, record):
        """(occurrence key, changes text) of the event on ``record``, or None
        when nothing happened that the rule answers."""
        self.ensure_one()
        trigger = self.trigger
        old_values = self.env.context.get("old_values")
        if trigger in ("create", "condition", "ticket_closed", "delivery_done"):
            return trigger, False
        if trigger == "time":
            value = record[self.date_field_id.name]
            return (f"time:{value}", False) if value else None
        if trigger == "periodic":
            return f"period:{fields.Date.context_today(self)}", False
        if trigger == "lines_changed":
            # each rule reports the changes it has not reported yet
            cache = self.env.cr.cache
            all_changes = (cache.get(LINE_CHANGES_KEY) or {}).get(record.id) or []
            seen = cache.setdefault(LINE_CHANGES_KEY + "_seen", {})
            start = seen.get((self.id, record.id), 0)
            changes = all_changes[start:]
            if not changes:
                return None
            seen[(self.id, record.id)] = len(all_changes)
            digest = hashlib.sha1(str(changes).encode()).hexdigest()[:16]
            return f"lines:{digest}", self._qms_format_line_changes(changes)
        # state / field / date_moved: compare with the values before the write
        old = (old_values or {}).get(record.id)
        if old is None:
            # a creation (or a call outside an automation): no change to report
            if trigger == "state":
                # created directly in the stage/state the rule waits for
                return self._qms_value_key(record), False
            return None
        changed = [
            f
            for f in self._qms_trigger_fields()
            if f.name in old and old[f.name] != record[f.name]
        ]
        if not changed:
            return None
        if trigger == "date_moved":
            return self._qms_date_move(record, changed, old)
        return self._qms_value_key(record, changed), False

    def _qms_local_day(self, record, value):
        """The calendar day of a date(time) for the customer (their time zone,
        else the user's): a delivery moves when its day changes, not when a
        recomputation shifts it by seconds."""
        if not value:
            return None
        if isinstance(value, datetime):
            partner = self._qms_record_partner(record)
            tz = partner.tz or self.env.user.tz or "UTC"
            return fields.Datetime.context_timestamp(
                self.with_context(tz=tz), value
            ).date()
        return value

    def _qms_date_move(self, record, changed, old):
        """(key, "field: old -> new" lines) of the dates that moved to another
        day; None when no date really moved."""
        lines, keys = [], []
        for field in changed:
            before, after = old[field.name], record[field.name]
            day_before = self._qms_local_day(record, before)
            day_after = self._qms_local_day(record, after)
            if not day_before or day_before == day_after:
                continue
            keys.append(f"{field.name}={day_before}>{day_after}")
            lines.append(
                _(
                    "%(field)s: %(old)s → %(new)s",
                    field=field.field_description,
                    old=self._qms_format_value(record, field.name, before),
                    new=self._qms_format_value(record, field.name, after),
                )
            )
        if not lines:
            return None
        return "date:" + ";".join(keys), "\n".join(lines)

    def _qms_value_key(self, record, fields_=None):
        parts = []
        for field in fields_ or self._qms_trigger_fields():
            value = record[field.name]
            if isinstance(value, models.BaseModel):
                value = ",".join(str(i) for i in value.ids)
            parts.append(f"{field.name}={value}")
        return "change:" + ";".join(parts)

    def _qms_format_value(self, record, fname, value):
        field = record._fields[fname]
        if not value:
            return _("none")
        if field.type == "datetime":
            tz = self._qms_record_partner(record).tz or self.env.user.tz or "UTC"
            return format_datetime(self.env, value, tz=tz, dt_format="short")
        if field.type == "date":
            return format_date(self.env, value)
        return str(value)

    def _qms_format_line_changes(self, changes):
        lines = []
        for change in changes:
            if change["kind"] == "added":
                lines.append(
                    _(
                        "Added: %(product)s, quantity %(qty)s, price %(price)s",
                        product=change["product"],
                        qty=change["new_qty"],
                        price=change["new_price"],
                    )
                )
            elif change["kind"] == "removed":
                lines.append(
                    _(
                        "Removed: %(product)s (quantity %(qty)s)",
                        product=change["product"],
                        qty=change["old_qty"],
                    )
                )
            else:
                lines.append(
                    _(
                        "%(product)s: quantity %(old_qty)s → %(new_qty)s, price "
                        "%(old_price)s → %(new_price)s",
                        **change,
                    )
                )
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # Resolution: customer, recipients, responsible
    # ------------------------------------------------------------------
    def _qms_record_partner(self, record):
        """The partner (contact or company) a record is about."""
        if record._name == "res.partner":
            return record
        if "partner_id" in record._fields:
            return record.partner_id
        return self.env["res.partner"]

    def _qms_recipients(self, record, contact):
        """Partners the communication goes to."""
        self.ensure_one()
        customer = contact.commercial_partner_id
        if self.recipient_kind == "customer":
            return customer
        if self.recipient_kind == "contact":
            return contact or customer
        if self.recipient_kind == "tagged":
            tagged = self.env["res.partner"].search(
                [
                    ("id", "child_of", customer.id),
                    ("category_id", "in", self.recipient_tag_ids.ids),
                ]
            )
            return tagged or contact or customer
        users = self.recipient_user_ids | self.recipient_team_ids.member_ids
        return users.partner_id

    def _qms_responsible(self, record, customer):
        """The user who communicates (who: 7.4 e)."""
        self.ensure_one()
        user = self.env["res.users"]
        kind = self.responsible_kind
        if kind == "record_user":
            fname = self.responsible_field_id.name or "user_id"
            if fname in record._fields and record._fields[fname].comodel_name == (
                "res.users"
            ):
                user = record[fname][:1]
        elif kind == "team_leader":
            team = (
                record.team_id
                if "team_id" in record._fields
                and record._fields["team_id"].comodel_name == "crm.team"
                else self.env["crm.team"]
            )
            user = (team or self.responsible_team_id).user_id
        elif kind == "salesperson":
            user = customer.user_id
        return user or self.responsible_user_id or customer.user_id or self.create_uid

    def _qms_prepare(self, record, key, changes):
        """The resolved context of one communication, given to the action."""
        contact = self._qms_record_partner(record)
        customer = contact.commercial_partner_id
        return {
            "record": record,
            "occurrence": key,
            "changes": changes or "",
            "customer": customer,
            "contact": contact,
            "recipients": self._qms_recipients(record, contact)
            if customer
            else self.env["res.partner"],
            "responsible": self._qms_responsible(record, customer),
        }

    def _qms_communicate(self, record, key, changes):
        """Make one communication: run the action kind, then log it."""
        self.ensure_one()
        values = self._qms_prepare(record, key, changes)
        if not values["customer"]:
            _logger.info(
                "Communication rule %s: %s has no customer, nothing sent",
                self.id,
                record,
            )
            return self.env["qms.communication"]
        # the hook of qms.communication.mixin; a rule may watch any model
        host_hook = getattr(record, "_qms_host_notice_template", None)
        host_mail = self.action_kind == "mail" and host_hook and host_hook(self)
        if host_mail:
            # the host application mails the customer itself (e.g. Sale's order
            # confirmation on an online payment): ours yields, the history
            # records which mail carried the notice
            result = {
                "body": Markup("<p>%s</p>")
                % _(
                    "Sent by the application's own email “%(template)s”; this "
                    "rule's email was not sent to avoid a second mail.",
                    template=host_mail.name,
                )
            }
        else:
            action = getattr(self, f"_qms_action_{self.action_kind}")
            result = action(record, values) or {}
        log_vals = {
            "name": self.topic_id.name,
            "partner_id": values["customer"].id,
            "contact_id": values["contact"].id
            if values["contact"] != values["customer"]
            else False,
            "topic_id": self.topic_id.id,
            "channel": "email",
            "rule_id": self.id,
            "occurrence_key": key,
            "res_model": record._name,
            "res_id": record.id,
            "user_id": values["responsible"].id,
            "state": "done",
            "company_id": self.company_id.id,
        }
        log_vals.update(result)
        return (
            self.env["qms.communication"]
            .sudo()
            .with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
            )
            .create(log_vals)
        )

    # ------------------------------------------------------------------
    # Action kinds: ``_qms_action_<kind>(record, values) -> dict``
    # ------------------------------------------------------------------
    def _qms_render_context(self, values):
        changes = values.get("changes") or ""
        return {
            "qms_changes": changes,
            "qms_changes_html": Markup("<br/>").join(changes.split("\n"))
            if changes
            else "",
            "qms_rule": self,
        }

    def _qms_action_mail(self, record, values):
        """Send the rule's template to the recipients, as a message in the
        record's chatter (the customer also gets the history note)."""
        template = self.mail_template_id
        add_context = self._qms_render_context(values)
        Template = template.with_context(**add_context)
        lang = Template._render_lang(record.ids)[record.id]
        Template = Template.with_context(lang=lang)
        subject = Template._render_field(
            "subject", record.ids, add_context=add_context
        )[record.id]
        body = Template._render_field(
            "body_html",
            record.ids,
            engine="qweb",
            add_context=add_context,
            options={"post_process": True},
        )[record.id]
        attachments = (
            self._qms_product_attachments(record)
            if (self.attach_product_documents)
            else self.env["ir.attachment"]
        )
        message = record.with_context(mail_post_autofollow=False).message_post(
            body=body,
            subject=subject,
            partner_ids=values["recipients"].ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
            author_id=values["responsible"].partner_id.id,
            attachment_ids=attachments.ids,
        )
        return {
            "name": subject or self.topic_id.name,
            "channel": "email",
            "body": body,
            "message_id": message.id,
        }

    def _qms_action_activity(self, record, values):
        kind = self.action_kind
        xmlid, channel = ACTIVITY_TYPES[kind]
        deadline = fields.Date.context_today(self) + timedelta(
            days=self.activity_deadline_days
        )
        summary = self.activity_summary or self.topic_id.name
        note = self.activity_note or ""
        if values.get("changes"):
            note = Markup("%s<p>%s</p>") % (
                note,
                self._qms_render_context(values)["qms_changes_html"],
            )
        activity = record.activity_schedule(
            xmlid,
            date_deadline=deadline,
            summary=summary,
            note=note,
            user_id=values["responsible"].id,
        )
        return {
            "name": summary,
            "channel": channel,
            "state": "planned",
            "planned_date": deadline,
            "activity_id": activity.id,
            "body": note or False,
        }

    _qms_action_call = _qms_action_activity
    _qms_action_meeting = _qms_action_activity
    _qms_action_todo = _qms_action_activity

    def _qms_action_portal_message(self, record, values):
        """Post a message the customer sees on the portal document."""
        if self.mail_template_id:
            add_context = self._qms_render_context(values)
            body = self.mail_template_id._render_field(
                "body_html",
                record.ids,
                engine="qweb",
                add_context=add_context,
                compute_lang=True,
            )[record.id]
        else:
            body = self.portal_body or Markup("<p>%s</p>") % self.topic_id.name
            if values.get("changes"):
                body = Markup("%s<p>%s</p>") % (
                    body,
                    self._qms_render_context(values)["qms_changes_html"],
                )
        recipients = values["recipients"]
        record.message_subscribe(partner_ids=recipients.ids)
        message = record.message_post(
            body=body,
            partner_ids=recipients.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=values["responsible"].partner_id.id,
        )
        return {
            "name": self.activity_summary or self.topic_id.name,
            "channel": "portal",
            "body": body,
            "message_id": message.id,
        }

    # ------------------------------------------------------------------
    # Product datasheets (8.2.1 a)
    # ------------------------------------------------------------------
    def _qms_record_products(self, record):
        if record._name == "sale.order":
            return record.order_line.product_id
        if record._name == "crm.lead" and "order_ids" in record._fields:
            return record.order_ids.order_line.product_id
        if record._name == "helpdesk.ticket" and "qms_product_id" in record._fields:
            return record.qms_product_id
        return self.env["product.product"]

    def _qms_product_attachments(self, record):
        products = self._qms_record_products(record)
        return self.env["ir.attachment"]._qms_product_datasheets(products)

    # ------------------------------------------------------------------
    # Periodic rules (every N days for a customer segment)
    # ------------------------------------------------------------------
    def _qms_segment_domain(self):
        self.ensure_one()
        domain = Domain(self._qms_eval_domain(self.segment_domain, "res.partner"))
        if self.segment_tag_ids:
            domain &= Domain("category_id", "in", self.segment_tag_ids.ids)
        return domain

    def _qms_periodic_due(self, limit=None, exclude=()):
        """Customers of the segment with no communication of this rule in the
        last ``interval_days`` days."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=self.interval_days)
        recent = (
            self.env["qms.communication"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("rule_id", "=", self.id),
                    ("res_model", "=", "res.partner"),
                    ("date", ">", since),
                ],
                ["res_id"],
            )
        )
        domain = self._qms_segment_domain()
        if recent:
            domain &= Domain("id", "not in", recent.mapped("res_id"))
        if exclude:
            domain &= Domain("id", "not in", list(exclude))
        return self.env["res.partner"].sudo().search(domain, limit=limit, order="id")

    @api.model
    def _cron_run_periodic_rules(self, batch_size=200):
        """Run the periodic rules over their segments, one batch of customers at a
        time, committed per batch when run by the scheduler."""
        rules = self.sudo().search([("trigger", "=", "periodic")])
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = 0
        for rule in rules:
            seen = []
            while True:
                partners = rule._qms_periodic_due(limit=batch_size, exclude=seen)
                if not partners:
                    break
                seen += partners.ids
                rule._qms_execute(partners)
                rule.last_run = fields.Datetime.now()
                done += len(partners)
                if in_cron and not self.env["ir.cron"]._commit_progress(len(partners)):
                    return done
        return done
