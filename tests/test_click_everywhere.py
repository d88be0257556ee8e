# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A new user clicks through every menu of Quality CRM: every view of every
action opens, every filter applies, without a JavaScript or server error
(Odoo's own click-everywhere bot, on our app only)."""

import pytest

from odoo.tests import HttpCase, new_test_user, tagged

# the clickbot opens every view of every menu: among the first to start (conftest.py)
pytestmark = pytest.mark.slow(150)

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('qms_crm_evidence.menu_qms_root');"
)


class ClickEverywhereCase(HttpCase):
    """One class per user: each click-through takes minutes, and pytest-xdist
    (make test) runs the classes on different workers at the same time."""

    def _click_everywhere(self, login):
        self.browser_js(
            "/odoo",
            CLICKBOT,
            "odoo.isReady === true",
            login=login,
            timeout=900,
            success_signal="clickbot test succeeded",
        )


@tagged("post_install", "-at_install")
class TestClickEverywhereManager(ClickEverywhereCase):
    def test_quality_manager_clicks_everywhere(self):
        new_test_user(
            self.env,
            "qms_click_manager",
            groups="qms_crm_evidence.group_qms_manager,sales_team.group_sale_manager,"
            "helpdesk_mgmt.group_helpdesk_manager,survey.group_survey_manager,"
            "stock.group_stock_user",
            name="Clara Click",
            email="clara@example.com",
            tour_enabled=False,
        )
        self._click_everywhere("qms_click_manager")


@tagged("post_install", "-at_install")
class TestClickEverywhereUser(ClickEverywhereCase):
    def test_quality_user_clicks_everywhere(self):
        new_test_user(
            self.env,
            "qms_click_user",
            groups="qms_crm_evidence.group_qms_user",
            name="Quentin Click",
            email="quentin@example.com",
            tour_enabled=False,
        )
        self._click_everywhere("qms_click_user")
