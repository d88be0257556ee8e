# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

LEGAL_BASES = [
    ("consent", "Consent"),
    ("contract", "Performance of a contract"),
    ("legal_obligation", "Legal obligation"),
    ("vital_interests", "Vital interests"),
    ("public_task", "Public task"),
    ("legitimate_interests", "Legitimate interests"),
]


class QmsPersonalDataCategory(models.Model):
    """A category of personal data we may hold about a person, why, and on
    which legal basis (GDPR art. 6 and 30; 152-FZ art. 6 and 18.1).

    Which categories we hold about a given person is computed on the partner
    from its filled fields (``partner_field_ids``), from its records in the
    export sections (``section_keys``, see
    ``res.partner._qms_personal_data_sections``) and from the personal data
    sets declared in the property register."""

    _name = "qms.personal.data.category"
    _description = "Personal Data Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    purpose = fields.Text(required=True, translate=True)
    legal_basis = fields.Selection(LEGAL_BASES, required=True, default="contract")
    retention = fields.Char(
        string="Retention Period",
        translate=True,
        help="How long the data is kept, e.g. '5 years after the last invoice'.",
    )
    partner_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Contact Fields",
        domain="[('model', '=', 'res.partner')]",
        help="We hold this category about a person when one of these fields of "
        "their contact is filled.",
    )
    section_keys = fields.Char(
        string="Record Sections",
        help="Comma-separated export sections (e.g. leads,orders): we hold this "
        "category when the person has records in one of them.",
    )
    active = fields.Boolean(default=True)

    def _qms_section_keys(self):
        self.ensure_one()
        return {
            key.strip() for key in (self.section_keys or "").split(",") if key.strip()
        }
