# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2.errors import LockNotAvailable

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


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
    _description = "ISO 9001 Evidence Mixin"

    # clause codes tagged on new records of the model
    _qms_default_clauses = ()
    # stored many2one to res.partner naming the customer / owner, or None
    _qms_partner_field = "partner_id"
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

    qms_clause_ids = fields.Many2many(
        "qms.clause",
        string="ISO Clauses",
        default=lambda self: self._qms_default_clause_ids(),
        help="Clauses of ISO 9001:2015 this record is evidence for.",
    )

    @api.model
    def _qms_default_clause_ids(self):
        if not self._qms_default_clauses:
            return self.env["qms.clause"]
        return self.env["qms.clause"].search(
            [("code", "in", list(self._qms_default_clauses))]
        )

    def init(self):
        res = super().init()
        if not self._abstract and "qms.evidence" in self.env:
            self.env["qms.evidence"]._qms_refresh_view()
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
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_qms_evidence(self):
        raise UserError(
            _(
                "%(model)s records are quality evidence (ISO 9001 clause 7.5.3) "
                "and are never deleted. Archive them instead.",
                model=self._description,
            )
        )
