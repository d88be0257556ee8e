# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Evidence Integrity Check: recompute every seal chain (qms.evidence.seal)
and list each chain with its first break, like the data inalterability check
report of Odoo's accounting."""

from odoo import _, fields, models


class QmsEvidenceIntegrity(models.TransientModel):
    _name = "qms.evidence.integrity"
    _description = "Evidence Integrity Check"

    checked_on = fields.Datetime(readonly=True)
    checked_by = fields.Many2one("res.users", readonly=True)
    state = fields.Selection(
        [("draft", "Not Checked"), ("ok", "Intact"), ("broken", "Broken")],
        default="draft",
        readonly=True,
    )
    line_ids = fields.One2many(
        "qms.evidence.integrity.line", "check_id", string="Chains", readonly=True
    )
    sealed_count = fields.Integer(string="Sealed Records", readonly=True)
    broken_count = fields.Integer(string="Broken Chains", readonly=True)

    def _run(self):
        """Check the chains of the companies of the user; fill the lines."""
        self.ensure_one()
        Seal = self.env["qms.evidence.seal"].sudo()
        chains = Seal._qms_check_integrity(self.env.companies.ids)
        labels = Seal._qms_reason_labels()
        seals = Seal.browse(
            [c["breaks"][0][0] for c in chains if c["breaks"] and c["breaks"][0][0]]
        )
        records = {}
        for seal in seals:
            model = self.env.get(seal.res_model)
            if model is not None:
                records[seal.id] = model.sudo().browse(seal.res_id).exists()
        lines = []
        for chain in chains:
            first_seal_id, reason = chain["breaks"][0] if chain["breaks"] else (0, "")
            record = records.get(first_seal_id)
            model = self.env.get(chain["res_model"])
            lines.append(
                {
                    "res_model": chain["res_model"],
                    "model_name": model._description if model is not None else "",
                    "company_id": chain["company_id"] or False,
                    "seal_count": chain["count"],
                    "first_sequence": chain["first_sequence"],
                    "last_sequence": chain["last_sequence"],
                    "first_date": chain["first_date"],
                    "last_date": chain["last_date"],
                    "break_count": len(chain["breaks"]),
                    "state": "broken" if chain["breaks"] else "ok",
                    "break_seal_id": first_seal_id or False,
                    "break_reason": labels.get(reason, ""),
                    "break_record": record.display_name if record else "",
                    "break_create_uid": record.create_uid.id if record else False,
                    "break_create_date": record.create_date if record else False,
                    "break_write_uid": record.write_uid.id if record else False,
                    "break_write_date": record.write_date if record else False,
                }
            )
        self.line_ids.unlink()
        self.write(
            {
                "checked_on": fields.Datetime.now(),
                "checked_by": self.env.uid,
                "line_ids": [(0, 0, vals) for vals in lines],
                "sealed_count": sum(c["count"] for c in chains),
                "broken_count": sum(1 for c in chains if c["breaks"]),
                "state": "broken" if any(c["breaks"] for c in chains) else "ok",
            }
        )
        return chains

    def action_check(self):
        self._run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
            "name": _("Evidence Integrity Check"),
        }

    def action_print(self):
        if self.state == "draft":
            self._run()
        return self.env.ref(
            "qms_crm_evidence.action_report_evidence_integrity"
        ).report_action(self)


class QmsEvidenceIntegrityLine(models.TransientModel):
    _name = "qms.evidence.integrity.line"
    _description = "Evidence Integrity Check Chain"
    _order = "state, model_name, company_id"

    check_id = fields.Many2one(
        "qms.evidence.integrity", required=True, ondelete="cascade"
    )
    res_model = fields.Char(string="Model Name")
    model_name = fields.Char(string="Evidence Type")
    company_id = fields.Many2one("res.company")
    seal_count = fields.Integer(string="Sealed Records")
    first_sequence = fields.Integer(string="First Seal")
    last_sequence = fields.Integer(string="Last Seal")
    first_date = fields.Datetime(string="First Sealed On")
    last_date = fields.Datetime(string="Last Sealed On")
    state = fields.Selection([("ok", "Intact"), ("broken", "Broken")])
    break_count = fields.Integer(string="Breaks")
    break_seal_id = fields.Many2one("qms.evidence.seal", string="First Broken Seal")
    break_sequence = fields.Integer(
        related="break_seal_id.sequence", string="Broken at Seal"
    )
    break_sealed_on = fields.Datetime(
        related="break_seal_id.create_date", string="Frozen On"
    )
    break_sealed_by = fields.Many2one(
        related="break_seal_id.create_uid", string="Frozen By"
    )
    break_reason = fields.Char(string="Break")
    break_record = fields.Char(string="First Broken Record")
    break_create_uid = fields.Many2one("res.users", string="Recorded By")
    break_create_date = fields.Datetime(string="Recorded On")
    break_write_uid = fields.Many2one("res.users", string="Last Changed By")
    break_write_date = fields.Datetime(string="Last Changed On")
