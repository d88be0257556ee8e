# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Winning an opportunity from crm's Forecast kanban with our addons installed,
in a real browser: what crm's own crm_forecast tour checks, without its race
(it clicks Won and leaves the form at once; make test-host lists it as a stock
race, README "Odoo's own test suites")."""

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.qms_crm_evidence.tests.common_tour import QmsTourCase


@tagged("post_install", "-at_install")
class TestForecastWon(QmsTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            "qms_forecast_user",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Fiona Forecast",
            email="fiona@example.com",
        )
        # a team of hers without a process template: no stage gate applies,
        # as for every lead of a database without our templates
        cls.team = cls.env["crm.team"].create(
            {
                "name": "QMS Forecast Team",
                "member_ids": [Command.link(cls.user.id)],
            }
        )
        cls.env["crm.lead"].create(
            {
                "name": "QMS Forecast Existing",
                "type": "opportunity",
                "user_id": cls.user.id,
                "team_id": cls.team.id,
                "date_deadline": fields.Date.context_today(cls.env["crm.lead"]),
            }
        )

    def test_win_from_the_forecast_kanban(self):
        self.assertFalse(self.team.qms_process_template_id)
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_forecast",
            "qms_forecast_won_tour",
            login=self.user.login,
        )
        lead = self.env["crm.lead"].search([("name", "=", "QMS Forecast Win")])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.won_status, "won")
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.probability, 100)
        self.assertEqual(lead.expected_revenue, 999999)
        self.assertTrue(lead.date_deadline)
        self.assertTrue(lead.date_closed)
