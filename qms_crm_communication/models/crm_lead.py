# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "qms.communication.mixin"]

    qms_first_response_date = fields.Datetime(
        string="First Response On",
        readonly=True,
        copy=False,
        help="When the customer first got an answer: the first message or "
        "communication sent to them (ISO 9001 8.2.1).",
    )
    qms_first_response_hours = fields.Float(
        string="First Response Time (h)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Hours between the creation of the enquiry and its first response.",
    )
    qms_first_response_band = fields.Selection(
        [
            ("1h", "Within 1 hour"),
            ("4h", "Within 4 hours"),
            ("24h", "Within 24 hours"),
            ("late", "After 24 hours"),
        ],
        string="First Response",
        readonly=True,
        copy=False,
    )

    def _qms_set_first_response(self, when):
        """Stamp the first response to the customer (once)."""
        for lead in self.filtered(lambda ld: not ld.qms_first_response_date):
            hours = max((when - lead.create_date).total_seconds() / 3600.0, 0.0)
            band = "late"
            for limit, key in ((1, "1h"), (4, "4h"), (24, "24h")):
                if hours <= limit:
                    band = key
                    break
            lead.sudo().write(
                {
                    "qms_first_response_date": when,
                    "qms_first_response_hours": round(hours, 2),
                    "qms_first_response_band": band,
                }
            )

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        author = message.author_id
        if (
            not self.qms_first_response_date
            and message.message_type in ("comment", "email_outgoing")
            and not message.subtype_id.internal
            and author
            and not author.partner_share
            and author.user_ids.filtered(lambda u: not u.share)
            and author != self.partner_id
        ):
            self._qms_set_first_response(message.date or fields.Datetime.now())
        return res
