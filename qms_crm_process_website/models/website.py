# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

DEMO_TEAM_XMLID = "qms_crm_process.qms_process_demo_team"


class Website(models.Model):
    _inherit = "website"

    @api.model
    def _qms_process_website_demo(self):
        """Demo data: the contact form of every website of the demo team's
        company sends its requests to the process demo team ("Windows &
        Installation"), its leader as the salesperson.

        A database whose qms_crm_process demo ran before the team had its
        xml id has the team without it: nothing is changed there (a plain
        ``ref`` in the demo file would stop the install)."""
        team = self.env.ref(DEMO_TEAM_XMLID, raise_if_not_found=False)
        if not team:
            _logger.info(
                "No %s in this database: the contact form's sales team is left "
                "as it is.",
                DEMO_TEAM_XMLID,
            )
            return self.browse()
        websites = self.search(
            [("company_id", "=", team.company_id.id)] if team.company_id else []
        )
        websites.write(
            {"crm_default_team_id": team.id, "crm_default_user_id": team.user_id.id}
        )
        return websites
