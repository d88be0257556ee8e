# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Forging a customer's recall acknowledgement (issue 17), over real HTTP:
written by quality staff over JSON-RPC, or answered on the customer's portal
link from a staff session. Refused, nothing written; the customer's answer is
recorded with channel, portal user or token, time and IP."""

from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import QmsJsonRpcMixin

from .common import QmsRecallCommon

MUTED = ("odoo.http", "odoo.addons.http_routing.models.ir_http")


@tagged("post_install", "-at_install")
class TestRecallForgery(QmsJsonRpcMixin, HttpCase, QmsRecallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 3)])
        cls.campaign, cls.line_a, cls.line_b = cls._notified_campaign()

    def _url(self, line, suffix=""):
        return f"/my/recall/{line.id}{suffix}"

    def _form(self, line):
        response = self.url_open(
            self._url(line), params={"access_token": line.access_token}
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        tree = html.fromstring(response.content)
        inputs = tree.xpath("//form[contains(@action, '/ack')]//input[@type='hidden']")
        self.assertTrue(inputs, "the page has no acknowledgement form")
        return {i.get("name"): i.get("value") or "" for i in inputs}

    def _ack(self, line, form, **data):
        return self.url_open(
            self._url(line, "/ack"), data=dict(form, **data), allow_redirects=False
        )

    def _answer(self, line):
        # tracking messages of the setup are posted before the baseline
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        return (
            line.state,
            line.ack_date,
            line.ack_qty_on_hand,
            line.ack_ip,
            line.ack_via,
            line.notified_date,
            len(line.message_ids),
        )

    def test_quality_staff_cannot_write_the_acknowledgement(self):
        line = self.line_a
        self.assertEqual(line.state, "notified")
        before = self._answer(line)
        for vals in (
            {"state": "acknowledged", "ack_date": "2026-01-01 00:00:00"},
            {"ack_qty_on_hand": 0},
            {"notified_date": "2020-01-01 00:00:00"},
            {"ack_via": "portal"},
        ):
            with (
                self.subTest(vals=vals),
                mute_logger("odoo.http"),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self._rpc("qms_quality", "qms.recall.line", "write", [line.ids, vals])
            self.assertEqual(self._answer(line), before)

    @mute_logger(*MUTED)
    def test_staff_session_cannot_answer_the_customer_link(self):
        line = self.line_a
        before = self._answer(line)
        for login in ("qms_quality", "qms_salesman", "qms_manager"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                form = self._form(line)
                response = self._ack(line, form, qty_on_hand="0")
                self.assertEqual(response.status_code, 403)
                self.assertEqual(self._answer(line), before)
        # the holder of the link, without a staff session
        self.authenticate(None, None)
        form = self._form(line)
        response = self._ack(line, form, qty_on_hand="0")
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertEqual(line.state, "acknowledged")
        self.assertEqual(line.ack_via, "token")
        self.assertFalse(line.ack_portal_user_id)
        self.assertTrue(line.ack_ip)
        self.assertTrue(line.ack_date)
