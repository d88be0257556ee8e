# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2.errors import LockNotAvailable

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, consteq

from .qms_evidence_seal import VOLATILE_COMODELS


class _QmsTrusted:
    """Value of the context keys that lift our integrity checks
    (``qms_correction``, ``qms_requirement_change``, ``qms_gate_override``).

    A client sends contexts as JSON through RPC (``/web/dataset/call_kw``,
    ``execute_kw``), so it can set such a key to ``true`` but never to this
    object: only server code lifts the checks, e.g.
    ``record.with_context(qms_correction=QMS_TRUSTED).write(vals)``.
    """

    __slots__ = ()

    def __bool__(self):
        return True

    def __repr__(self):
        return "QMS_TRUSTED"


QMS_TRUSTED = _QmsTrusted()


def qms_trusted(env, key):
    """True when server code set context ``key`` to QMS_TRUSTED."""
    return env.context.get(key) is QMS_TRUSTED


def qms_check_action_fields(model, vals_list, create=False):
    """Refuse values of the action-only fields of ``model`` (its class
    attribute ``_qms_action_fields``: state, decision, approver, dates, answers
    and stamps) unless the model's own action methods write them, i.e. server
    code set context ``qms_action`` (or ``qms_correction``) to QMS_TRUSTED.

    One rule for every write path: ORM ``write`` and ``create``, JSON-RPC,
    import, related fields writing through. On create a field may only take
    its default (or stay empty). Superuser code (sudo) is server code.
    Fields of ``_qms_create_only_fields`` (e.g. when an incident was
    detected, which starts a legal deadline) are given on create and never
    written afterwards. Raise before anything is written. Used by
    ``qms.evidence.mixin`` and by models holding customer acts that do not
    inherit it.
    """
    names = frozenset(getattr(model, "_qms_action_fields", ()))
    create_only = frozenset(getattr(model, "_qms_create_only_fields", ()))
    env = model.env
    if (
        not (names or create_only)
        or env.su
        or qms_trusted(env, "qms_action")
        or qms_trusted(env, "qms_correction")
    ):
        return
    forged = set()
    if create:
        # a client sends defaults in the context too (default_state=...)
        context_defaults = {
            name: env.context[f"default_{name}"]
            for name in names
            if f"default_{name}" in env.context
        }
        defaults = {}
        for name in names:
            field = model._fields.get(name)
            default = field.default(model) if field and field.default else None
            if isinstance(default, models.BaseModel):
                default = default.id
            defaults[name] = default
        for vals in vals_list:
            vals = dict(context_defaults, **vals)
            forged |= {
                name
                for name in names.intersection(vals)
                if vals[name] and vals[name] != defaults[name]
            }
    else:
        for vals in vals_list:
            forged |= (names | create_only).intersection(vals)
    if forged:
        raise AccessError(
            _(
                "%(model)s: %(fields)s change only through the record's own "
                "buttons (confirm, approve, acknowledge, notify, close...), never "
                "by editing, importing or an API call.",
                model=model._description,
                fields=", ".join(
                    sorted(
                        model._fields[name]._description_string(env)
                        for name in forged
                        if name in model._fields
                    )
                ),
            )
        )


def qms_customer_act_actor(record, partner, access_token=None):
    """Who performs a customer act (confirmation, acknowledgement, answer)
    on ``record`` for the customer ``partner``, from the portal.

    Accepted: a portal user of that customer, or a visitor (public or portal
    user, never an internal one) holding the record's valid access token.
    Refused with AccessError: any internal user's session, whatever token it
    sends (staff record acts on the customer's behalf with their own button
    and group). Return the values to store with the act: ``user`` (portal
    user or None), ``via`` (``portal``/``token``).
    """
    user = record.env.user
    if not user.share:
        raise AccessError(
            _(
                "Only the customer answers here. Staff record what a customer "
                "told them with 'Record on Behalf' in the back office."
            )
        )
    token = record.sudo().access_token
    # compared as bytes: consteq refuses str with non-ASCII characters (a
    # hostile token would answer HTTP 500)
    if access_token and token and consteq(token.encode(), str(access_token).encode()):
        return {"user": user if not user._is_public() else None, "via": "token"}
    customer = partner.commercial_partner_id
    if (
        not user._is_public()
        and customer
        and user.partner_id.commercial_partner_id == customer
    ):
        return {"user": user, "via": "portal"}
    raise AccessError(
        _("Only %(customer)s can answer here.", customer=customer.display_name)
    )


def qms_lock(records):
    """Lock the rows of ``records`` for the rest of the transaction before an
    action decides on them (close a complaint, record a customer's answer,
    prepare a review): of two people deciding on the same record at the same
    moment exactly one goes on, the other gets a clear error at once
    (``FOR UPDATE NOWAIT``) instead of waiting and deciding a second time.
    A transaction that started before the other one committed its decision
    gets PostgreSQL's serialization failure here, which Odoo's request
    dispatcher retries: the retry sees the decision and the action refuses
    or skips it on its own state checks."""
    if not records.ids:
        return
    cr = records.env.cr
    try:
        with cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                )
            )
    except LockNotAvailable:
        raise UserError(
            _(
                "%(records)s is being changed by someone else right now. Reload "
                "it to see their change, then try again.",
                records=", ".join(records.sudo().mapped("display_name")),
            )
        ) from None


class QmsEvidenceMixin(models.AbstractModel):
    """Records that are ISO 9001 evidence.

    Inherit it (together with ``mail.thread``) to:

    * carry clause tags (``qms_clause_ids``), defaulting to ``_qms_default_clauses``;
    * be listed in the evidence index (``qms.evidence``), clause coverage and the
      evidence pack without any further code: the index is rebuilt from the
      registry whenever a model inheriting this mixin is installed or updated;
    * never be deleted (archive instead), and once done (``_qms_is_locked``) be
      changed only through a new version or a tracked correction.
    """

    _name = "qms.evidence.mixin"
    _inherit = ["qms.evidence.indexed"]
    _description = "ISO 9001 Evidence Mixin"

    # fields changed only by the model's own action methods (decisions,
    # customer acts, stamps): see qms_check_action_fields
    _qms_action_fields = frozenset()
    # fields given on create and never written afterwards
    _qms_create_only_fields = frozenset()
    # fields that stay writable on a locked (done) record
    _qms_unlocked_fields = frozenset(
        {
            "active",
            "qms_clause_ids",
            "message_main_attachment_id",
            "activity_ids",
            "message_follower_ids",
            "access_token",
        }
    )
    # columns left out of the tamper-evidence seal (besides the unlocked ones)
    _qms_unsealed_fields = frozenset()

    def init(self):
        res = super().init()
        if (
            not self._abstract
            and "qms.evidence.seal" in self.env
            and self._name in self.env["qms.evidence.seal"]._qms_sealed_models()
        ):
            # records frozen before sealing existed (or before this install)
            self.env["qms.evidence.seal"]._qms_seal_existing(self._name)
        return res

    # ------------------------------------------------------------------
    # Integrity of evidence (7.5.3)
    # ------------------------------------------------------------------
    def _qms_is_locked(self):
        """Return True when the record is done and may no longer be edited."""
        self.ensure_one()
        return False

    def _qms_check_action_write(self, vals_list, create=False):
        """Decisions and customer acts change only through action methods;
        the documents of a decided record are frozen."""
        qms_check_action_fields(self, vals_list, create=create)
        if not create:
            self._qms_check_frozen_attachment_links(vals_list[0])

    def _qms_attachment_fields(self):
        """Stored many2many fields of the model to ir.attachment."""
        return [
            name
            for name, field in self._fields.items()
            if field.type == "many2many"
            and field.comodel_name == "ir.attachment"
            and field.store
        ]

    def _qms_check_frozen_attachment_links(self, vals):
        """Documents of a decided (locked) record can be added, never removed
        or replaced (e.g. the source contract of an accepted requirement)."""
        names = [name for name in self._qms_attachment_fields() if name in vals]
        if not names or self.env.su or qms_trusted(self.env, "qms_correction"):
            return
        locked = self.filtered(lambda rec: rec._qms_is_locked())
        if not locked:
            return
        for name in names:
            commands = vals[name] or []
            kept = None  # ids a (6, 0, ids) / plain id list keeps
            removes = False
            for command in commands:
                if isinstance(command, int):
                    kept = (kept or set()) | {command}
                    continue
                if command[0] in (1, 2, 3, 5):
                    removes = True
                elif command[0] == 6:
                    kept = set(command[2] or ())
            if kept is not None:
                removes = removes or any(
                    set(rec[name].ids) - kept for rec in locked.sudo()
                )
            if removes:
                raise UserError(
                    _(
                        "%(records)s is decided: its documents (%(field)s) are "
                        "frozen evidence. Add documents; never remove or "
                        "replace them.",
                        records=", ".join(locked.mapped("display_name")),
                        field=self._fields[name]._description_string(self.env),
                    )
                )

    def _qms_action_write(self, vals):
        """Write action-only fields: for the model's own action methods."""
        return self.with_context(qms_action=QMS_TRUSTED).write(vals)

    def write(self, vals):
        self._qms_check_action_write([vals])
        if not qms_trusted(self.env, "qms_correction") and not self.env.su:
            blocked = set(vals) - self._qms_unlocked_fields
            if blocked:
                locked = self.filtered(lambda rec: rec._qms_is_locked())
                if locked:
                    raise UserError(
                        _(
                            "%(records)s is final evidence and cannot be edited "
                            "(fields: %(fields)s). Record a new version or a "
                            "correction instead.",
                            records=", ".join(locked.mapped("display_name")),
                            fields=", ".join(
                                self._fields[f].string
                                for f in sorted(blocked)
                                if f in self._fields
                            ),
                        )
                    )
        res = super().write(vals)
        self._qms_seal_later(vals)
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._qms_check_action_write(vals_list, create=True)
        records = super().create(vals_list)
        records._qms_seal_later()
        return records

    # ------------------------------------------------------------------
    # Tamper evidence (7.5.3): seals of frozen records, see qms.evidence.seal
    # ------------------------------------------------------------------
    def _qms_seal_later(self, vals=None):
        """Seal these records at commit if they are frozen by then."""
        if (
            not self
            or (vals is not None and not set(vals) - self._qms_unlocked_fields)
            or type(self)._qms_is_locked is QmsEvidenceMixin._qms_is_locked
        ):
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get("qms.evidence.seal")
        if pending is None:
            pending = precommit.data["qms.evidence.seal"] = {}
            precommit.add(self.env["qms.evidence.seal"].sudo()._qms_seal_pending)
        uids = pending.setdefault(self._name, {})
        for record_id in self._ids:
            uids.setdefault(record_id, self.env.uid)

    @api.model
    def _qms_integrity_fields(self):
        """Names of the columns whose values a seal covers: the decisive
        content, i.e. every stored, non-computed column except the ones that
        stay writable on a frozen record."""
        skip = (
            self._qms_unlocked_fields
            | self._qms_unsealed_fields
            | {"id", "write_uid", "write_date"}
        )
        return sorted(
            name
            for name, field in self._fields.items()
            if field.store
            and field.column_type
            and not field.compute
            and name not in skip
            and not name.startswith(("message_", "activity_"))
            and not (
                field.type == "many2one" and field.comodel_name in VOLATILE_COMODELS
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_qms_evidence(self):
        raise UserError(
            _(
                "%(model)s records are quality evidence (ISO 9001 clause 7.5.3) "
                "and are never deleted. Archive them instead.",
                model=self._description,
            )
        )
