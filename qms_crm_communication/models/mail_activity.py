# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
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
