# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

ALERT_KINDS = [
    ("rhythm", "Buying rhythm dropped"),
    ("feedback", "Negative feedback without follow-up"),
]


class MailActivity(models.Model):
    _inherit = "mail.activity"

    qms_alert_kind = fields.Selection(
        ALERT_KINDS,
        string="Customer Alert Reason",
        index="btree_not_null",
        readonly=True,
        help="Why the daily customer alert was raised; at most one open alert "
        "per customer and reason.",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # marking a "Review changed requirement" activity done acknowledges
        # the change (8.2.4); acknowledgements already stamped are done, not
        # pending, so are not found again
        acks = (
            self.env["qms.requirement.ack"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", "pending")])
        )
        acks._qms_stamp_done()
        # a planned communication (7.4) is done when its activity is done
        self._qms_communications("planned")._qms_mark_done(feedback=feedback)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        # an activity cancelled before it was done cancels its communication
        self._qms_communications("planned").write({"state": "cancelled"})
        return super().unlink()

    def _qms_communications(self, state):
        if not self.ids:
            return self.env["qms.communication"]
        return (
            self.env["qms.communication"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", state)])
        )
