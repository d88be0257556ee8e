# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Forging property-incident evidence (issue 17) over real HTTP: notification
dates and acknowledgements written over JSON-RPC, an owner's acknowledgement
given from a staff session on the portal. Refused, nothing written; the
buttons and the owner's own answer still work."""

from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import QmsJsonRpcMixin

from .common_property import QmsPropertyCommon

MUTED = (
    "odoo.http",
    "odoo.addons.http_routing.models.ir_http",
    "odoo.addons.portal_request_hardening.models.ir_http",
)


@tagged("post_install", "-at_install")
class TestPropertyForgery(QmsJsonRpcMixin, HttpCase, QmsPropertyCommon):
    def _snapshot(self, incident):
        # tracking messages of the setup are posted before the baseline
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        return (
            incident.state,
            incident.detected_at,
            incident.notified_at,
            incident.acknowledged_at,
            incident.acknowledged_by_partner_id,
            incident.ack_recorded_by_id,
            incident.authority_notified_at,
            len(incident.message_ids),
        )

    def test_notification_dates_are_not_writable(self):
        detected = fields.Datetime.now() - timedelta(hours=80)
        breach = self._incident(self.dataset_a, kind="breach", detected_at=detected)
        self.assertTrue(breach.authority_overdue)
        before = self._snapshot(breach)
        recent = fields.Datetime.to_string(fields.Datetime.now())
        for vals in (
            {"authority_notified_at": recent},
            {"detected_at": recent},
            {"notified_at": "2020-01-01 00:00:00"},
            {"state": "closed"},
        ):
            with self.subTest(vals=vals):
                self._refused(
                    "qms_dpo", "qms.property.incident", "write", [breach.ids, vals]
                )
                self.assertEqual(self._snapshot(breach), before)
        self.assertTrue(breach.authority_overdue, "the missed deadline shows")
        # the button stamps now, with the authority's reference
        self._rpc(
            "qms_dpo",
            "qms.property.incident",
            "write",
            [breach.ids, {"authority_reference": "RKN-2026-1"}],
        )
        self._rpc(
            "qms_dpo",
            "qms.property.incident",
            "action_mark_authority_notified",
            [breach.ids],
        )
        self.env.invalidate_all()
        self.assertAlmostEqual(
            breach.authority_notified_at,
            fields.Datetime.now(),
            delta=timedelta(minutes=5),
        )

    def test_salesperson_cannot_acknowledge_for_the_owner(self):
        incident = self._incident(self.mould_a)
        self.assertEqual(incident.state, "notified")
        before = self._snapshot(incident)
        for login in ("qms_salesman", "qms_salesman2"):
            with self.subTest(login=login):
                self._refused(
                    login,
                    "qms.property.incident",
                    "write",
                    [
                        incident.ids,
                        {
                            "state": "acknowledged",
                            "acknowledged_at": "2026-01-01 00:00:00",
                            "acknowledged_by_partner_id": self.customer_a.id,
                        },
                    ],
                )
                self.assertEqual(self._snapshot(incident), before)
        # recording on the owner's behalf needs its own right
        incident.acknowledged_how = "phone"
        before = self._snapshot(incident)
        for login in ("qms_salesman", "qms_salesman2", "qms_quality"):
            with self.subTest(login=login):
                self._refused(
                    login,
                    "qms.property.incident",
                    "action_record_acknowledgement",
                    [incident.ids],
                )
                self.assertEqual(self._snapshot(incident), before)
        # a manager records it, and it says so
        self._rpc(
            "qms_manager",
            "qms.property.incident",
            "action_record_acknowledgement",
            [incident.ids],
        )
        self.env.invalidate_all()
        self.assertEqual(incident.state, "acknowledged")
        self.assertEqual(incident.ack_recorded_by_id, self.qms_manager)
        self.assertEqual(incident.acknowledged_by_partner_id, self.customer_a)
        self.assertTrue(
            incident.message_ids.filtered(
                lambda m: "recorded by Max Manager on their behalf" in (m.body or "")
            )
        )

    @mute_logger(*MUTED)
    def test_staff_session_cannot_answer_on_the_owner_portal(self):
        incident = self._incident(self.mould_a)
        before = self._snapshot(incident)
        for login in ("qms_salesman", "qms_salesman2", "qms_manager"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                page = self.url_open(incident.get_portal_url())
                self.assertEqual(page.status_code, 200)
                tree = html.fromstring(page.content)
                form = {
                    i.get("name"): i.get("value") or ""
                    for i in tree.xpath(
                        "//form[contains(@action, '/acknowledge')]"
                        "//input[@type='hidden']"
                    )
                }
                self.assertEqual(form.get("access_token"), incident.access_token)
                response = self.url_open(
                    f"/my/qms/property/incident/{incident.id}/acknowledge",
                    data=form,
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 403)
                self.assertEqual(self._snapshot(incident), before)
        # the owner's portal user: who, how, when and from where
        self.authenticate("qms_portal_a", "qms_portal_a")
        page = self.url_open(f"/my/qms/property/incident/{incident.id}")
        tree = html.fromstring(page.content)
        form = {
            i.get("name"): i.get("value") or ""
            for i in tree.xpath(
                "//form[contains(@action, '/acknowledge')]//input[@type='hidden']"
            )
        }
        response = self.url_open(
            f"/my/qms/property/incident/{incident.id}/acknowledge",
            data=form,
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertEqual(incident.state, "acknowledged")
        self.assertEqual(incident.ack_portal_user_id, self.portal_a)
        self.assertEqual(incident.acknowledged_how, "portal")
        self.assertTrue(incident.ack_ip)
        self.assertTrue(incident.acknowledged_at)
        self.assertFalse(incident.ack_recorded_by_id)
