# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review section of customer property."""

from odoo import _, models


class QmsManagementReview(models.Model):
    _inherit = "qms.management.review"

    def _qms_review_sections(self):
        return super()._qms_review_sections() + [
            ("property", _("Customer Property"), self._qms_figures_property),
        ]

    def _qms_figures_property(self):
        Incident = (
            self.env["qms.property.incident"].sudo().with_context(active_test=False)
        )
        domain = [
            *self._qms_period_domain("detected_at"),
            *self._qms_company_domain("qms.property.incident"),
        ]
        kinds = dict(Incident._fields["kind"]._description_selection(self.env))
        groups = Incident._read_group(domain, ["kind"], ["__count"])
        [(personal,)] = Incident._read_group(
            [*domain, ("is_personal_data", "=", True)], [], ["__count"]
        )
        figures = [
            {
                "code": "property.incidents",
                "name": _("Property incidents"),
                "value": sum(count for _k, count in groups),
                "better": "lower",
            },
            {
                "code": "property.personal_data",
                "name": _("Of which on personal data"),
                "value": personal,
                "better": "lower",
            },
        ]
        for kind, count in groups:
            figures.append(
                {
                    "code": f"property.kind.{kind}",
                    "name": _("By kind"),
                    "dimension": kinds.get(kind, kind),
                    "value": count,
                    "better": "lower",
                }
            )
        return figures
