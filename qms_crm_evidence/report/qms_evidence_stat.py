# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models


class QmsEvidenceStat(models.Model):
    """Evidence per clause and evidence model (shown on the clause form)."""

    _name = "qms.evidence.stat"
    _description = "Quality Evidence per Clause and Model"
    _auto = False
    _order = "clause_id, res_model"
    _depends = {
        "qms.evidence": ["clause_id", "res_model", "res_id", "evidence_date"],
    }

    clause_id = fields.Many2one("qms.clause", string="Clause", readonly=True)
    res_model = fields.Char(string="Model Name", readonly=True)
    res_model_id = fields.Many2one("ir.model", string="Evidence Type", readonly=True)
    record_count = fields.Integer(string="Records", readonly=True)
    last_date = fields.Datetime(string="Latest", readonly=True)
    last_res_id = fields.Integer(string="Latest Record ID", readonly=True)

    def _qms_create_view(self):
        # created by qms.evidence._qms_refresh_view, right after the index
        self.env.cr.execute(
            """CREATE OR REPLACE VIEW qms_evidence_stat AS
               SELECT e.clause_id::bigint * 1000 + e.model_idx AS id,
                      e.clause_id, e.res_model, min(e.res_model_id) AS res_model_id,
                      count(*) AS record_count, max(e.evidence_date) AS last_date,
                      (array_agg(e.res_id ORDER BY e.evidence_date DESC, e.res_id DESC)
                       )[1] AS last_res_id
                 FROM qms_evidence e
             GROUP BY e.clause_id, e.res_model, e.model_idx"""
        )

    def init(self):
        # the view depends on qms_evidence, which builds it
        return None

    def action_open_records(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _(
                "%(model)s for %(clause)s",
                model=self.res_model_id.name,
                clause=self.clause_id.display_name,
            ),
            "res_model": self.res_model,
            "view_mode": "list,form",
            "domain": [("qms_clause_ids", "in", self.clause_id.ids)],
        }

    def action_open_last(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.last_res_id,
            "view_mode": "form",
        }
