# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models

from .qms_recall_campaign import ACK_STATES

MAX_LISTED = 10


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_recall_contact_id = fields.Many2one(
        "res.partner",
        string="Safety/Recall Contact",
        domain="[('parent_id', '=', id)]",
        help="Contact person of this customer who receives recall and field "
        "safety notices (ISO 9001 8.2.1 e). When empty, notices go to the "
        "delivery address, else to the company itself.",
    )

    # Recall lines in the personal data hooks of qms_crm.
    #
    # Exported with the other sections. An open recall line (its campaign not
    # closed, the customer has not acknowledged, returned or closed it) holds the
    # erasure back: we must still be able to reach the person about a safety
    # issue (8.2.1 e). Nothing is anonymised here: recall lines are evidence and
    # keep their link to the contact, which the erasure anonymises itself.
    def _qms_recall_lines_of(self, partners, domain=()):
        return (
            self.env["qms.recall.line"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("delivery_partner_id", "in", partners.ids),
                    ("contact_id", "in", partners.ids),
                    *domain,
                ]
            )
        )

    def _qms_personal_data_sections(self):
        sections = super()._qms_personal_data_sections()
        sections["recall_lines"] = (
            _("Recall Notices"),
            self._qms_recall_lines_of(self._qms_privacy_partners()),
            [
                "campaign_id",
                "state",
                "partner_id",
                "delivery_partner_id",
                "contact_id",
                "product_id",
                "lot_id",
                "quantity",
                "delivery_date",
                "notified_date",
                "last_notice_date",
                "reminder_count",
                "ack_date",
                "ack_qty_on_hand",
                "remedy",
                "ack_note",
                "ack_ip",
                "qty_returned",
            ],
        )
        return sections

    def _qms_erasure_holds(self):
        holds = super()._qms_erasure_holds()
        lines = self._qms_recall_lines_of(
            self._qms_privacy_partners(),
            [
                ("campaign_id.state", "!=", "closed"),
                ("state", "not in", ACK_STATES),
            ],
        )
        if lines:
            listed = ", ".join(lines[:MAX_LISTED].mapped("display_name"))
            if len(lines) > MAX_LISTED:
                listed += _(" and %s more", len(lines) - MAX_LISTED)
            holds.append(
                _(
                    "Open recall notices (the customer must still be reachable "
                    "about a safety issue): %s",
                    listed,
                )
            )
        return holds
