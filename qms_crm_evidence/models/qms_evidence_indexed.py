# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class QmsEvidenceIndexed(models.AbstractModel):
    """Records listed in the evidence index, clause coverage and the evidence
    pack, with clause tags (``qms_clause_ids``) defaulting to
    ``_qms_default_clauses``.

    ``qms.evidence.mixin`` builds on it for the records our addons own (never
    deleted, frozen once done, sealed). Records of other applications that
    are evidence only in some cases (helpdesk tickets that are complaints,
    completed scored survey answers) inherit this one alone, so that the
    delete and lock rules of evidence never reach their other records (nor
    the host application's own tests), and restrict their rows in the index
    with ``_qms_evidence_where``.
    """

    _name = "qms.evidence.indexed"
    _description = "ISO 9001 Evidence Index Mixin"

    # clause codes tagged on new records of the model
    _qms_default_clauses = ()
    # stored many2one to res.partner naming the customer / owner, or None
    _qms_partner_field = "partner_id"
    # personal data (GDPR): True when every record is, the name of a stored
    # boolean field when some are; such rows of the evidence index are shown to
    # data protection officers only (others see them counted, not named)
    _qms_personal_data = False
    # stored fields _qms_evidence_where reads (flushed before the index is read)
    _qms_evidence_where_fields = ()

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
        # also for records that portal or public users create (complaints)
        return self.env["qms.clause"].browse(
            self.env["qms.clause"]
            .sudo()
            ._search([("code", "in", list(self._qms_default_clauses))])
        )

    @api.model
    def _qms_evidence_where(self, alias):
        """SQL condition on row ``alias`` of the rows that are evidence, or
        None for all of them."""
        return None

    def init(self):
        res = super().init()
        if not self._abstract:
            self._qms_tag_default_clauses(only_if_untagged=True)
            if "qms.evidence" in self.env:
                self.env["qms.evidence"]._qms_refresh_view()
        return res

    @api.model
    def _qms_tag_default_clauses(self, codes=None, only_if_untagged=False):
        """Tag every row that is evidence with the clauses ``codes`` (default:
        the model's default clauses), set-based. ``only_if_untagged``: only
        when no row of the model has any tag yet (the tags were just added to
        an existing table)."""
        codes = tuple(codes or self._qms_default_clauses)
        field = self._fields["qms_clause_ids"]
        cr = self.env.cr
        cr.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name IN %s",
            [(self._table, field.relation, "qms_clause")],
        )
        if not codes or cr.fetchone()[0] != 3:
            return
        rel = SQL.identifier(field.relation)
        if only_if_untagged:
            cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", rel))
            if cr.fetchone():
                return
        cr.execute(
            SQL(
                """INSERT INTO %(rel)s (%(col1)s, %(col2)s)
                   SELECT t.id, c.id FROM %(table)s t, qms_clause c
                    WHERE c.code IN %(codes)s AND %(where)s
                   ON CONFLICT DO NOTHING""",
                rel=rel,
                col1=SQL.identifier(field.column1),
                col2=SQL.identifier(field.column2),
                table=SQL.identifier(self._table),
                codes=codes,
                where=self._qms_evidence_where("t") or SQL("TRUE"),
            )
        )
