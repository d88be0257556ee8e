# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .test_acceptance_act import SIGNATURE, QmsActCommon


@tagged("post_install", "-at_install")
class TestAcceptancePortal(HttpCase, QmsActCommon):
    def _sign(self, act, token=None, name="Alice Portal"):
        url = f"/my/qms/acceptance/{act.id}/sign"
        if token:
            url += f"?access_token={token}"
        return self.make_jsonrpc_request(url, {"name": name, "signature": SIGNATURE})

    def test_customer_signs_in_the_portal(self):
        act = self._act()
        act.action_send()
        self.authenticate("qms_portal_a", "qms_portal_a")
        page = self.url_open(act.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Windows 1200x1400", page.text)
        self.assertIn("Accept and Sign", page.text)
        result = self._sign(act)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(act.state, "signed")
        self.assertEqual(act.portal_user_id, self.portal_a)
        self.assertTrue(act.ip_address)

    def test_visitor_with_the_token_signs(self):
        act = self._act()
        act.action_send()
        self.authenticate(None, None)
        result = self._sign(act, token=act.access_token)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(act.state, "signed")
        self.assertFalse(act.portal_user_id)

    @mute_logger("odoo.http")
    def test_visitor_without_token_and_other_customer_cannot(self):
        act = self._act()
        act.action_send()
        self.authenticate(None, None)
        self.assertIn("error", self._sign(act, token="wrong"))
        self.authenticate("qms_portal_b", "qms_portal_b")
        self.assertIn("error", self._sign(act))
        self.assertEqual(self.url_open(act.access_url).status_code, 403)
        self.assertEqual(act.state, "sent")

    def test_staff_session_with_the_token_cannot_sign(self):
        act = self._act()
        act.action_send()
        self.authenticate("qms_salesman", "qms_salesman")
        result = self._sign(act, token=act.access_token)
        self.assertIn("error", result)
        self.assertEqual(act.state, "sent")

    def test_customer_refuses_with_a_comment(self):
        act = self._act()
        act.action_send()
        self.authenticate("qms_portal_a", "qms_portal_a")
        page = self.url_open(act.access_url)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            f"/my/qms/acceptance/{act.id}/refuse",
            data={"csrf_token": csrf, "comment": "Draught at the frame"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(act.state, "refused")
        self.assertTrue(act.complaint_id)

    def test_draft_acts_are_not_shown(self):
        act = self._act()
        self.authenticate("qms_portal_a", "qms_portal_a")
        with mute_logger("odoo.http"):
            self.assertIn(self.url_open(act.access_url).status_code, (403, 404))
        self.assertEqual(self.url_open("/my/qms/acceptance").status_code, 200)
