# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tamper evidence of frozen evidence records (ISO 9001 7.5.3).

Like the inalterability hash of posted journal entries in Odoo's ``account``
(``inalterable_hash``, ``secure_sequence_number``, the integrity report), but
kept in one append-only table instead of a column on every evidence model:

* when an evidence record is frozen (``_qms_is_locked()`` becomes true), a
  *seal* stores the SHA-256 of its decisive content (``content_hash``) and a
  chain hash over the previous seal of the same chain (one chain per evidence
  model and company) with a gap-free sequence number;
* a correction of a frozen record (the tracked ``qms_correction`` path) adds a
  new seal at the end of the chain: the old one stays, the chain stays whole;
* a frozen record that its own action unfreezes (a requirement changed
  through the change wizard goes back to review) gets a *reopen* seal with
  its content at that moment: until it is frozen again (a new *freeze* seal)
  its content is work in progress and not compared;
* the content hash is computed by PostgreSQL from the stored row
  (``jsonb_build_array`` of the sealed columns, whose names the seal keeps), so
  that the check recomputes it set-based, and a direct SQL edit of a frozen
  record, a deleted record, a deleted or edited seal all show up.
"""

import hashlib
import json
import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

HEAD_TABLE = "qms_evidence_seal_head"
# many2one targets that Odoo itself deletes or empties while the record stays
# frozen (activities done, messages, attachments): not decisive content
VOLATILE_COMODELS = frozenset({"mail.activity", "mail.message", "ir.attachment"})
# PostgreSQL functions take at most 100 arguments
JSONB_CHUNK = 90
BATCH = 5000


def chain_hash(previous, res_model, res_id, sequence, content_hash):
    """The chain hash of a seal; ``SQL_CHAIN_HASH`` computes the same."""
    text = "|".join(
        [previous or "", res_model, str(res_id), str(sequence), content_hash]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


SQL_CHAIN_HASH = """encode(sha256(convert_to(concat_ws('|', coalesce({prev}, ''),
    {alias}.res_model, {alias}.res_id::text, {alias}.sequence::text,
    {alias}.content_hash), 'UTF8')), 'hex')"""


def content_hash_sql(alias, columns):
    """SQL of the SHA-256 of the listed columns of row ``alias``."""
    parts = [
        SQL(
            "jsonb_build_array(%s)",
            SQL(", ").join(SQL.identifier(alias, col) for col in chunk),
        )
        for chunk in (
            columns[i : i + JSONB_CHUNK] for i in range(0, len(columns), JSONB_CHUNK)
        )
    ] or [SQL("'[]'::jsonb")]
    return SQL(
        "encode(sha256(convert_to((%s)::text, 'UTF8')), 'hex')",
        SQL(" || ").join(parts),
    )


class QmsEvidenceSeal(models.Model):
    _name = "qms.evidence.seal"
    _description = "Evidence Seal"
    _order = "res_model, company_id, sequence desc"
    _rec_name = "chain_hash"

    res_model = fields.Char(string="Model Name", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    sequence = fields.Integer(
        string="Sequence in Chain",
        readonly=True,
        help="Gap-free number of the seal in its chain (model and company).",
    )
    kind = fields.Selection(
        [
            ("freeze", "Frozen"),
            ("correction", "Changed through Odoo"),
            ("upgrade", "Sealed on Upgrade"),
            ("reopen", "Reopened through Odoo"),
        ],
        readonly=True,
        required=True,
    )
    hash_fields = fields.Char(
        string="Sealed Fields",
        readonly=True,
        help="Columns whose values make the content hash, in this order.",
    )
    content_hash = fields.Char(readonly=True)
    chain_hash = fields.Char(string="Inalterability Hash", readonly=True)

    _chain_sequence_uniq = models.Constraint(
        "UNIQUE (res_model, company_id, sequence)",
        "A chain cannot have two seals with the same sequence.",
    )
    _record_idx = models.Index("(res_model, res_id, id)")

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %s (
                       res_model varchar NOT NULL,
                       company_id integer NOT NULL DEFAULT 0,
                       last_sequence integer NOT NULL DEFAULT 0,
                       last_hash varchar NOT NULL DEFAULT '',
                       PRIMARY KEY (res_model, company_id))""",
                SQL.identifier(HEAD_TABLE),
            )
        )
        # evidence models of this addon initialised before this table existed
        for name in self._qms_sealed_models():
            self._qms_seal_existing(name)

    # ------------------------------------------------------------------
    # Which models and which columns
    # ------------------------------------------------------------------
    @api.model
    def _qms_sealed_models(self):
        """Evidence models whose records can be frozen (``_qms_is_locked``)."""
        registry = self.env.registry
        never = registry["qms.evidence.mixin"]._qms_is_locked
        return [
            name
            for name in registry.descendants(["qms.evidence.mixin"], "_inherit")
            if not registry[name]._abstract
            and registry[name]._auto
            and registry[name]._qms_is_locked is not never
        ]

    @api.model
    def _qms_table_ready(self, model):
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name IN %s",
            [(model._table, self._table, HEAD_TABLE)],
        )
        return self.env.cr.fetchone()[0] == 3

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------
    @api.model
    def _qms_seal_pending(self):
        """Precommit hook: seal the frozen records written in the transaction."""
        pending = self.env.cr.precommit.data.pop("qms.evidence.seal", {})
        for res_model, uids in sorted(pending.items()):
            self._qms_seal(res_model, uids)

    @api.model
    def _qms_seal(self, res_model, uid_by_id, kind=None):
        """Seal the locked records ``uid_by_id`` ({id: uid who froze it}) of
        ``res_model`` whose content is not sealed yet or changed since, and
        mark as reopened the sealed ones that are no longer locked."""
        model = self.env[res_model].sudo().with_context(active_test=False)
        if not uid_by_id or not self._qms_table_ready(model):
            return self.browse()
        self.env.flush_all()
        records = model.browse(sorted(uid_by_id)).exists()
        if not records:
            return self.browse()
        locked = set(records.filtered(lambda rec: rec._qms_is_locked()).ids)
        columns = model._qms_integrity_fields()
        company = (
            SQL.identifier("t", "company_id")
            if "company_id" in model._fields and model._fields["company_id"].store
            else SQL("0")
        )
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT t.id, coalesce(%s, 0), %s, last.content_hash, last.kind
                     FROM %s t
                     LEFT JOIN LATERAL (
                          SELECT s.content_hash, s.kind FROM qms_evidence_seal s
                           WHERE s.res_model = %s AND s.res_id = t.id
                           ORDER BY s.id DESC LIMIT 1) last ON TRUE
                    WHERE t.id IN %s
                    ORDER BY t.id""",
                company,
                content_hash_sql("t", columns),
                SQL.identifier(model._table),
                res_model,
                tuple(records.ids),
            )
        )
        by_chain = defaultdict(list)
        for res_id, company_id, content, last, last_kind in cr.fetchall():
            if res_id not in locked:
                # unfrozen by its own action (a direct SQL edit seals nothing)
                if last and last_kind != "reopen":
                    by_chain[company_id].append((res_id, content, "reopen"))
            elif not last or last_kind == "reopen":
                by_chain[company_id].append((res_id, content, kind or "freeze"))
            elif content != last:
                by_chain[company_id].append((res_id, content, kind or "correction"))
        hash_fields = ",".join(columns)
        rows = []
        for company_id, items in sorted(by_chain.items()):
            # one writer per chain: a concurrent transaction updating the same
            # head row fails to serialize and is retried (like account's
            # lock_for_update of the moves it hashes)
            cr.execute(
                SQL(
                    """INSERT INTO %s (res_model, company_id) VALUES (%s, %s)
                       ON CONFLICT DO NOTHING""",
                    SQL.identifier(HEAD_TABLE),
                    res_model,
                    company_id,
                )
            )
            cr.execute(
                SQL(
                    """SELECT last_sequence, last_hash FROM %s
                        WHERE res_model = %s AND company_id = %s FOR UPDATE""",
                    SQL.identifier(HEAD_TABLE),
                    res_model,
                    company_id,
                )
            )
            sequence, previous = cr.fetchone()
            for res_id, content, seal_kind in items:
                sequence += 1
                previous = chain_hash(previous, res_model, res_id, sequence, content)
                rows.append(
                    (
                        res_model,
                        res_id,
                        company_id or None,
                        sequence,
                        seal_kind,
                        hash_fields,
                        content,
                        previous,
                        uid_by_id.get(res_id) or self.env.uid,
                    )
                )
            cr.execute(
                SQL(
                    """UPDATE %s SET last_sequence = %s, last_hash = %s
                        WHERE res_model = %s AND company_id = %s""",
                    SQL.identifier(HEAD_TABLE),
                    sequence,
                    previous,
                    res_model,
                    company_id,
                )
            )
        ids = []
        for start in range(0, len(rows), 1000):
            cr.execute(
                SQL(
                    """INSERT INTO qms_evidence_seal
                           (res_model, res_id, company_id, sequence, kind,
                            hash_fields, content_hash, chain_hash,
                            create_uid, write_uid, create_date, write_date)
                       SELECT v.m, v.r, v.c, v.s, v.k, v.f, v.h, v.ch, v.u, v.u,
                              now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                         FROM jsonb_to_recordset(%s::jsonb) AS v(
                              m varchar, r integer, c integer, s integer,
                              k varchar, f varchar, h varchar, ch varchar,
                              u integer)
                       RETURNING id""",
                    _json_rows(rows[start : start + 1000]),
                )
            )
            ids += [row[0] for row in cr.fetchall()]
        return self.browse(ids)

    @api.model
    def _qms_seal_existing(self, res_model):
        """Seal, in chain order (by id) and in batches, the frozen records of
        ``res_model`` that have no seal yet: on install and upgrade."""
        model = self.env[res_model]
        if not self._qms_table_ready(model):
            return
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT t.id FROM %s t
                    WHERE NOT EXISTS (SELECT 1 FROM qms_evidence_seal s
                                       WHERE s.res_model = %s AND s.res_id = t.id)
                    ORDER BY t.id""",
                SQL.identifier(model._table),
                res_model,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        count = 0
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            count += len(self._qms_seal(res_model, dict.fromkeys(batch), "upgrade"))
            self.env.invalidate_all()
        if count:
            _logger.info("Sealed %s frozen %s records", count, res_model)

    # ------------------------------------------------------------------
    # Checking
    # ------------------------------------------------------------------
    @api.model
    def _qms_check_integrity(self, company_ids=None):
        """Recompute every chain (set-based, in PostgreSQL).

        Return a list of chains, each a dict: ``res_model``, ``company_id``,
        ``count``, ``first_sequence``, ``last_sequence``, ``first_date``,
        ``last_date`` and ``breaks``, a list of (seal id, reason) sorted by
        sequence; the first one is the first broken record of the chain.
        """
        cr = self.env.cr
        where = SQL("TRUE")
        if company_ids is not None:
            where = SQL(
                "(s.company_id IS NULL OR s.company_id IN %s)",
                tuple(company_ids) or (0,),
            )
        cr.execute(
            SQL(
                """SELECT s.res_model, coalesce(s.company_id, 0), count(*),
                          min(s.sequence), max(s.sequence),
                          min(s.create_date), max(s.create_date),
                          max(h.last_sequence), max(h.last_hash)
                     FROM qms_evidence_seal s
                     LEFT JOIN %s h ON h.res_model = s.res_model
                          AND h.company_id = coalesce(s.company_id, 0)
                    WHERE %s
                    GROUP BY 1, 2 ORDER BY 1, 2""",
                SQL.identifier(HEAD_TABLE),
                where,
            )
        )
        chains = {}
        for row in cr.fetchall():
            chains[row[0], row[1]] = {
                "res_model": row[0],
                "company_id": row[1],
                "count": row[2],
                "first_sequence": row[3],
                "last_sequence": row[4],
                "first_date": row[5],
                "last_date": row[6],
                "head_sequence": row[7],
                "head_hash": row[8],
                "breaks": [],
            }
        breaks = defaultdict(list)
        # 1. the links: each chain hash over the previous one, no gap
        cr.execute(
            SQL(
                """SELECT id, res_model, company, sequence, prev_seq
                     FROM (SELECT s.id, s.res_model,
                                  coalesce(s.company_id, 0) AS company,
                                  s.sequence, s.chain_hash,
                                  lag(s.sequence) OVER w AS prev_seq,
                                  %s AS ok_hash
                             FROM qms_evidence_seal s
                            WHERE %s
                           WINDOW w AS (PARTITION BY s.res_model,
                                        coalesce(s.company_id, 0)
                                        ORDER BY s.sequence)) x
                    WHERE chain_hash IS DISTINCT FROM ok_hash
                       OR sequence <> coalesce(prev_seq, 0) + 1""",
                SQL(SQL_CHAIN_HASH.format(prev="lag(s.chain_hash) OVER w", alias="s")),
                where,
            )
        )
        for seal_id, res_model, company, sequence, prev in cr.fetchall():
            reason = "gap" if sequence != (prev or 0) + 1 else "chain"
            breaks[res_model, company].append((sequence, seal_id, reason))
        # 2. the content of the records, for the last seal of each record
        cr.execute(
            SQL(
                """SELECT DISTINCT res_model, hash_fields FROM qms_evidence_seal s
                    WHERE %s""",
                where,
            )
        )
        for res_model, hash_fields in cr.fetchall():
            model = self.env.get(res_model)
            if model is None or not self._qms_table_ready(model):
                reason_sql = SQL("'model'")
                join = SQL("")
            else:
                columns = hash_fields.split(",") if hash_fields else []
                missing_cols = set(columns) - set(self._qms_table_columns(model._table))
                if missing_cols:
                    reason_sql = SQL("'columns'")
                    join = SQL("")
                else:
                    reason_sql = SQL(
                        """CASE WHEN t.id IS NULL THEN 'deleted'
                                WHEN s.content_hash <> %s THEN 'content' END""",
                        content_hash_sql("t", columns),
                    )
                    join = SQL(
                        "LEFT JOIN %s t ON t.id = s.res_id",
                        SQL.identifier(model._table),
                    )
            cr.execute(
                SQL(
                    """SELECT * FROM (
                         SELECT s.id, coalesce(s.company_id, 0), s.sequence,
                                %s AS reason
                           FROM qms_evidence_seal s %s
                          WHERE s.res_model = %s AND s.hash_fields = %s AND %s
                            AND s.kind <> 'reopen'
                            AND NOT EXISTS (
                                SELECT 1 FROM qms_evidence_seal n
                                 WHERE n.res_model = s.res_model
                                   AND n.res_id = s.res_id AND n.id > s.id)) x
                        WHERE reason IS NOT NULL""",
                    reason_sql,
                    join,
                    res_model,
                    hash_fields,
                    where,
                )
            )
            for seal_id, company, sequence, reason in cr.fetchall():
                breaks[res_model, company].append((sequence, seal_id, reason))
        for key, chain in chains.items():
            if chain["head_sequence"] != chain["last_sequence"]:
                # seals removed at the end of the chain
                breaks[key].append((chain["last_sequence"] + 1, None, "truncated"))
            chain["breaks"] = [
                (seal_id, reason)
                for _seq, seal_id, reason in sorted(breaks[key], key=_k)
            ]
        return list(chains.values())

    @api.model
    def _qms_table_columns(self, table):
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _qms_reason_labels(self):
        return {
            "chain": _("the chain hash does not follow from the previous seal"),
            "gap": _("a seal is missing before this one"),
            "content": _("the record was changed after it was frozen"),
            "deleted": _("the frozen record was deleted"),
            "truncated": _("the last seals of the chain were removed"),
            "model": _("the model of the sealed record is not installed"),
            "columns": _("a sealed column no longer exists"),
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Evidence seals are never deleted."))

    def write(self, vals):
        self.check_access("write")
        if not self.env.su:
            raise UserError(_("Evidence seals are never changed."))
        return super().write(vals)


def _k(item):
    return (item[0], item[1] or 0)


def _json_rows(rows):
    keys = ("m", "r", "c", "s", "k", "f", "h", "ch", "u")
    return json.dumps([dict(zip(keys, row, strict=True)) for row in rows])
