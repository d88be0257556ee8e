# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, models
from odoo.exceptions import UserError

from .qms_evidence_mixin import qms_trusted

# writing these replaces the document or moves it away from its record
FROZEN_ATTACHMENT_FIELDS = frozenset(
    {"datas", "raw", "db_datas", "store_fname", "url", "type", "res_model", "res_id"}
)


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _qms_frozen_evidence(self):
        """The decided (locked) evidence records these attachments document:
        attached to them (res_model/res_id) or linked by a many2many field
        (e.g. the source contract of a requirement)."""
        registry = self.env.registry
        evidence_models = [
            name
            for name in registry.descendants(["qms.evidence.mixin"], "_inherit")
            if not registry[name]._abstract and name in self.env
        ]
        frozen = []
        by_model = defaultdict(set)
        for attachment in self.sudo():
            if attachment.res_model in evidence_models and attachment.res_id:
                by_model[attachment.res_model].add(attachment.res_id)
        for model_name in evidence_models:
            Model = self.env[model_name].sudo().with_context(active_test=False)
            records = Model.browse(by_model.get(model_name, ())).exists()
            for name in Model._qms_attachment_fields():
                records |= Model.search([(name, "in", self.ids)])
            frozen += [rec for rec in records if rec._qms_is_locked()]
        return frozen

    def _qms_check_frozen(self):
        if self.env.su or qms_trusted(self.env, "qms_correction") or not self:
            return
        frozen = self._qms_frozen_evidence()
        if frozen:
            raise UserError(
                _(
                    "These files document decided quality evidence (%(records)s): "
                    "they are frozen and cannot be deleted or replaced "
                    "(ISO 9001 clause 7.5.3). Add a new file instead.",
                    records=", ".join(rec.display_name for rec in frozen[:5]),
                )
            )

    def write(self, vals):
        if FROZEN_ATTACHMENT_FIELDS.intersection(vals):
            self._qms_check_frozen()
        return super().write(vals)

    def unlink(self):
        self._qms_check_frozen()
        return super().unlink()
