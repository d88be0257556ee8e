# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The read log of contacts (OCA auditlog) through the web client's own path:
Odoo 19 serves ``web_search_read`` / ``web_read`` with a read-only cursor, where
auditlog alone cannot write its log (the request failed once with "cannot
execute INSERT in a read-only transaction" and was served again)."""

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon, QmsJsonRpcMixin


@tagged("post_install", "-at_install")
class TestReadLog(QmsJsonRpcMixin, HttpCase, QmsCrmCommon):
    def test_contact_opened_in_the_web_client_is_logged_without_a_retry(self):
        person = self.env["res.partner"].create(
            {"name": "Rita Readlog", "email": "rita@example.com"}
        )
        Log = self.env["auditlog.log"].sudo()
        before = Log.search_count(
            [("model_model", "=", "res.partner"), ("res_id", "=", person.id)]
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertNoLogs("odoo.http", level="WARNING"),
        ):
            rows = self._rpc(
                "qms_salesman",
                "res.partner",
                "web_read",
                [person.ids],
                specification={"name": {}, "email": {}},
            )
        self.assertEqual(rows[0]["name"], "Rita Readlog")
        # a list of contacts, as the web client asks for it (a model method)
        with (
            mute_logger("odoo.sql_db"),
            self.assertNoLogs("odoo.http", level="WARNING"),
        ):
            found = self._rpc(
                "qms_salesman",
                "res.partner",
                "web_search_read",
                [[("id", "=", person.id)]],
                specification={"name": {}},
            )
        self.assertEqual(found["records"][0]["name"], "Rita Readlog")
        logs = Log.search(
            [
                ("model_model", "=", "res.partner"),
                ("res_id", "=", person.id),
                ("method", "=", "read"),
            ]
        )
        self.assertEqual(len(logs), before + 2)
        self.assertEqual(logs[:1].user_id, self.salesman)
