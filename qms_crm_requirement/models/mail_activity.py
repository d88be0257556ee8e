# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # marking a "Review changed requirement" activity done acknowledges
        # the change (8.2.4); acknowledgements already stamped are done, not
        # pending, so are not found again
        acks = (
            self.env["qms.requirement.ack"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", "pending")])
        )
        acks._qms_stamp_done(reason=feedback)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
