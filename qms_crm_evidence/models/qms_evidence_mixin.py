# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2.errors import LockNotAvailable

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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

    def write(self, vals):
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
