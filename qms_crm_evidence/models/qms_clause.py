# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

COVERAGE_DAYS = 90


class QmsClause(models.Model):
    """A clause of ISO 9001:2015 that the product serves.

    Clauses are data (en + ru), read-only for users and extendable by managers.
    Evidence records point at clauses through ``qms.evidence.mixin``.
    """

    _name = "qms.clause"
    _description = "ISO 9001 Clause"
    _parent_store = True
    _parent_name = "parent_id"
    _order = "sequence, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Title", required=True, translate=True)
    guidance = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one(
        "qms.clause", string="Parent Clause", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("qms.clause", "parent_id", string="Sub-clauses")
    active = fields.Boolean(default=True)
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        help="Person accountable for the evidence of this clause.",
    )
    evidence_stat_ids = fields.One2many(
        "qms.evidence.stat", "clause_id", string="Evidence per Model", readonly=True
    )
    evidence_count = fields.Integer(compute="_compute_evidence", string="Evidence")
    last_evidence_date = fields.Datetime(compute="_compute_evidence")
    period_evidence_count = fields.Integer(
        compute="_compute_period_evidence",
        string="Evidence in Period",
        help="Evidence records of this clause or its sub-clauses in the period "
        "chosen in the coverage wizard (default: the last 90 days).",
    )
    period_last_evidence_date = fields.Datetime(
        compute="_compute_period_evidence", string="Last Evidence"
    )
    has_recent_evidence = fields.Boolean(
        compute="_compute_period_evidence",
        search="_search_has_recent_evidence",
        string="Has Evidence in Period",
    )

    _code_uniq = models.Constraint("UNIQUE(code)", "A clause code must be unique.")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.code} {clause.name or ''}".strip()

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("A clause cannot be its own parent."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        with_evidence = self.filtered("evidence_count")
        if with_evidence:
            raise UserError(
                _(
                    "Clauses %(codes)s carry evidence and cannot be deleted; "
                    "archive them instead.",
                    codes=", ".join(with_evidence.mapped("code")),
                )
            )

    # ------------------------------------------------------------------
    # Evidence figures (read from the evidence index, one query per batch)
    # ------------------------------------------------------------------
    def _evidence_groups(self, date_from=None, date_to=None):
        """Return {clause_id: (records, last_date)} for self: distinct evidence
        records tagged with the clause or any of its sub-clauses (a record
        tagged 8.2.3.1 and 8.2.3.1 a) counts once in 8.2.3.1), in one query."""
        # plain SQL over the index: flush what it reads first
        self.env.flush_query(self.env["qms.evidence"]._table_sql)
        self.flush_model(["parent_path"])
        period = SQL()
        if date_from:
            period = SQL("%s AND e.evidence_date >= %s", period, date_from)
        if date_to:
            period = SQL("%s AND e.evidence_date <= %s", period, date_to)
        self.env.cr.execute(
            SQL(
                """SELECT c.id, count(DISTINCT (e.res_model, e.res_id)),
                          max(e.evidence_date)
                     FROM qms_clause c
                     JOIN qms_clause d ON d.parent_path LIKE c.parent_path || '%%'
                     JOIN qms_evidence e ON e.clause_id = d.id
                    WHERE c.id IN %s %s
                 GROUP BY c.id""",
                tuple(self.ids),
                period,
            )
        )
        return {cid: (count, last) for cid, count, last in self.env.cr.fetchall()}

    def _compute_evidence(self):
        groups = self._evidence_groups() if self.ids else {}
        for clause in self:
            clause.evidence_count, clause.last_evidence_date = groups.get(
                clause.id, (0, False)
            )

    @api.model
    def _coverage_period(self):
        ctx = self.env.context
        date_to = ctx.get("qms_date_to") or fields.Datetime.now()
        date_from = ctx.get("qms_date_from") or (
            fields.Datetime.to_datetime(date_to) - timedelta(days=COVERAGE_DAYS)
        )
        return fields.Datetime.to_datetime(date_from), fields.Datetime.to_datetime(
            date_to
        )

    @api.depends_context("qms_date_from", "qms_date_to")
    def _compute_period_evidence(self):
        date_from, date_to = self._coverage_period()
        groups = self._evidence_groups(date_from, date_to) if self.ids else {}
        for clause in self:
            count, last = groups.get(clause.id, (0, False))
            clause.period_evidence_count = count
            clause.period_last_evidence_date = last
            clause.has_recent_evidence = bool(count)

    def _search_has_recent_evidence(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on evidence coverage."))
        date_from, date_to = self._coverage_period()
        rows = (
            self.env["qms.evidence"]
            .sudo()
            ._read_group(
                [("evidence_date", ">=", date_from), ("evidence_date", "<=", date_to)],
                ["clause_id"],
            )
        )
        # evidence of a sub-clause is evidence of its ancestors too
        with_evidence = {
            int(part)
            for (clause,) in rows
            for part in (clause.parent_path or "").split("/")
            if part
        }
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", list(with_evidence))]

    def action_open_evidence(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_crm_evidence.qms_evidence_action"
        )
        action["domain"] = [("clause_id", "child_of", self.id)]
        action["context"] = {"search_default_group_res_model": 1}
        action["display_name"] = _("Evidence of %s", self.display_name)
        return action

    def action_evidence_pack(self):
        """The evidence pack wizard for these clauses and the coverage period."""
        date_from, date_to = self._coverage_period()
        return {
            "type": "ir.actions.act_window",
            "name": _("Evidence Pack"),
            "res_model": "qms.evidence.pack",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_clause_ids": self.ids,
                "default_date_from": fields.Date.to_string(date_from),
                "default_date_to": fields.Date.to_string(date_to),
            },
        }
