# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MIXIN = "qms.evidence.indexed"


class QmsEvidence(models.Model):
    """Evidence index: one row per (clause, evidence record).

    A SQL view over every model inheriting ``qms.evidence.indexed`` (so
    ``qms.evidence.mixin`` too), restricted to its ``_qms_evidence_where``
    rows: a new evidence model appears here, in coverage and in the evidence
    pack with no extra code.
    """

    _name = "qms.evidence"
    _description = "Quality Evidence Index"
    _auto = False
    _order = "evidence_date desc, id desc"

    clause_id = fields.Many2one("qms.clause", string="Clause", readonly=True)
    res_model = fields.Char(string="Model Name", readonly=True)
    res_model_id = fields.Many2one("ir.model", string="Evidence Type", readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", readonly=True
    )
    record_ref = fields.Reference(
        selection="_selection_record_ref",
        compute="_compute_record_ref",
        string="Record",
    )
    evidence_date = fields.Datetime(string="Date", readonly=True)
    user_id = fields.Many2one("res.users", string="Recorded by", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    is_personal_data = fields.Boolean(
        string="Personal Data",
        readonly=True,
        help="Evidence about a person's data (data subject requests, personal "
        "data sets, breaches): listed to data protection officers only.",
    )

    @api.model
    def _selection_record_ref(self):
        return [
            (model, self.env[model]._description) for model in self._evidence_models()
        ]

    def _compute_record_ref(self):
        for row in self:
            row.record_ref = f"{row.res_model},{row.res_id}" if row.res_id else False

    @api.model
    def _evidence_models(self):
        """Names of the concrete models in the evidence index, sorted."""
        registry = self.env.registry
        return sorted(
            name
            for name in registry.descendants([MIXIN], "_inherit")
            if not registry[name]._abstract and registry[name]._auto
        )

    def _qms_branch(self, idx, model):
        field = model._fields["qms_clause_ids"]
        partner_field = model._qms_partner_field
        partner = (
            SQL.identifier("t", partner_field)
            if partner_field
            and partner_field in model._fields
            and model._fields[partner_field].store
            else SQL("NULL::integer")
        )
        company = (
            SQL.identifier("t", "company_id")
            if "company_id" in model._fields and model._fields["company_id"].store
            else SQL("NULL::integer")
        )
        personal = model._qms_personal_data
        personal = (
            SQL.identifier("t", personal)
            if isinstance(personal, str)
            else SQL("TRUE" if personal else "FALSE")
        )
        return SQL(
            """SELECT (t.id::bigint * 100000 + rel.%(col2)s) * 1000 + %(idx)s AS id,
                      rel.%(col2)s AS clause_id, %(model)s::varchar AS res_model,
                      %(idx)s AS model_idx, t.id AS res_id,
                      t.create_date AS evidence_date, t.create_uid AS user_id,
                      %(partner)s AS partner_id, %(company)s AS company_id,
                      COALESCE(%(personal)s, FALSE) AS is_personal_data
                 FROM %(table)s t
                 JOIN %(rel)s rel ON rel.%(col1)s = t.id
                WHERE %(where)s""",
            col1=SQL.identifier(field.column1),
            col2=SQL.identifier(field.column2),
            rel=SQL.identifier(field.relation),
            table=SQL.identifier(model._table),
            model=model._name,
            idx=idx,
            partner=partner,
            company=company,
            personal=personal,
            where=model._qms_evidence_where("t") or SQL("TRUE"),
        )

    @api.model
    def _qms_refresh_view(self):
        """(Re)build the evidence index and its per-clause statistics."""
        cr = self.env.cr
        branches = []
        for idx, name in enumerate(self._evidence_models()):
            model = self.env[name]
            field = model._fields["qms_clause_ids"]
            cr.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN %s",
                [(model._table, field.relation)],
            )
            if cr.fetchone()[0] == 2:
                branches.append(self._qms_branch(idx, model))
        union = (
            SQL(" UNION ALL ").join(branches)
            if branches
            else SQL(
                "SELECT NULL::bigint AS id, NULL::integer AS clause_id, "
                "NULL::varchar AS res_model, 0 AS model_idx, NULL::integer AS res_id, "
                "NULL::timestamp AS evidence_date, NULL::integer AS user_id, "
                "NULL::integer AS partner_id, NULL::integer AS company_id, "
                "FALSE AS is_personal_data "
                "WHERE FALSE"
            )
        )
        cr.execute(SQL("DROP VIEW IF EXISTS qms_evidence CASCADE"))
        cr.execute(
            SQL(
                """CREATE VIEW qms_evidence AS
                   SELECT u.*, m.id AS res_model_id
                     FROM (%s) u
                     LEFT JOIN ir_model m ON m.model = u.res_model""",
                union,
            )
        )
        self.env["qms.evidence.stat"]._qms_create_view()

    def init(self):
        self._qms_refresh_view()

    def _register_hook(self):
        res = super()._register_hook()
        # the view reads models found at run time: declare them as its
        # dependencies, so that Odoo flushes them before querying the view
        type(self)._depends = {
            name: [
                fname
                for fname in (
                    "qms_clause_ids",
                    "create_date",
                    "create_uid",
                    self.env[name]._qms_partner_field,
                    "company_id",
                    self.env[name]._qms_personal_data
                    if isinstance(self.env[name]._qms_personal_data, str)
                    else None,
                    *self.env[name]._qms_evidence_where_fields,
                )
                if fname and fname in self.env[name]._fields
            ]
            for name in self._evidence_models()
        }
        # uninstalling an addon drops its tables with CASCADE, and the index
        # with them: rebuild it when the registry loads without it
        self.env.cr.execute("SELECT 1 FROM pg_views WHERE viewname = 'qms_evidence'")
        if not self.env.cr.fetchone():
            _logger.info("Rebuilding the quality evidence index")
            self._qms_refresh_view()
        return res

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Evidence"),
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }
