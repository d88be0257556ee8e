# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A data subject request closed as done without the erasure (issue 17),
tried by the data protection officer over JSON-RPC: refused, nothing
written; the erasure button closes it."""

from odoo.tests import HttpCase, tagged

from odoo.addons.qms_crm_evidence.tests.common import QmsJsonRpcMixin
from odoo.addons.qms_crm_property.tests.common_property import QmsPropertyCommon


@tagged("post_install", "-at_install")
class TestDataRequestForgery(QmsJsonRpcMixin, HttpCase, QmsPropertyCommon):
    _qms_refused_errors = r"AccessError"

    def test_erasure_request_is_done_only_by_erasing(self):
        person = self.env["res.partner"].create(
            {"name": "Fiona Forgotten", "email": "fiona@example.com"}
        )
        req = (
            self.env["qms.data.request"]
            .with_user(self.dpo)
            .create(
                {
                    "partner_id": person.id,
                    "kind": "erasure",
                    "identity_method": "Reply from the registered address",
                }
            )
        )
        req.with_user(self.dpo).action_verify_identity()
        self.assertEqual(req.state, "in_progress")
        for vals in (
            {"state": "done"},
            {"state": "done", "closed_date": "2026-01-01"},
            {"erased_at": "2026-01-01 00:00:00"},
            {"identity_verified_at": "2020-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals):
                self._refused("qms_dpo", "qms.data.request", "write", [req.ids, vals])
                self.assertEqual(req.state, "in_progress")
                self.assertFalse(req.closed_date)
                self.assertFalse(req.erased_at)
                self.assertEqual(person.name, "Fiona Forgotten")
        # born done, by value or by context default
        count = self.env["qms.data.request"].search_count([])
        self._refused(
            "qms_dpo",
            "qms.data.request",
            "create",
            [{"partner_id": person.id, "kind": "erasure", "state": "done"}],
        )
        self._refused(
            "qms_dpo",
            "qms.data.request",
            "create",
            [{"partner_id": person.id, "kind": "erasure"}],
            context={"default_state": "done"},
        )
        self.assertEqual(self.env["qms.data.request"].search_count([]), count)
        # the erasure erases, then closes
        self._rpc("qms_dpo", "qms.data.request", "action_erase", [req.ids])
        self.env.invalidate_all()
        self.assertEqual(req.state, "done")
        self.assertTrue(req.erased_at)
        self.assertEqual(req.erased_by_id, self.dpo)
        self.assertNotEqual(person.name, "Fiona Forgotten")
