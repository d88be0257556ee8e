# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestBaseAutomationCache(TransactionCase):
    """Which automation rules run on a model is cached; every change of the
    rules is seen at once."""

    def _rules(self, triggers=("on_create_or_write",)):
        return self.env["base.automation"]._get_actions(
            self.env["res.partner.category"], list(triggers)
        )

    def test_rules_follow_create_archive_and_delete(self):
        self.assertFalse(self._rules())
        model = self.env["ir.model"]._get("res.partner.category")
        rule = self.env["base.automation"].create(
            {
                "name": "Cache test",
                "model_id": model.id,
                "trigger": "on_create_or_write",
            }
        )
        self.assertEqual(self._rules(), rule)
        self.assertFalse(self._rules(("on_unlink",)))
        rule.active = False
        self.assertFalse(self._rules())
        rule.active = True
        self.assertEqual(self._rules(), rule)
        rule.trigger = "on_unlink"
        self.assertFalse(self._rules())
        self.assertEqual(self._rules(("on_unlink",)), rule)
        rule.unlink()
        self.assertFalse(self._rules(("on_unlink",)))

    def test_rules_run_on_records_and_cost_no_query_once_cached(self):
        model = self.env["ir.model"]._get("res.partner.category")
        self.env["base.automation"].create(
            {
                "name": "Cache test: colour",
                "model_id": model.id,
                "trigger": "on_create",
                "action_server_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "colour",
                            "model_id": model.id,
                            "state": "code",
                            "code": "record.write({'color': 7})",
                        },
                    )
                ],
            }
        )
        tag = self.env["res.partner.category"].create({"name": "Cached"})
        self.assertEqual(tag.color, 7, "the rule ran on create")
        self.env.flush_all()
        self._rules(("on_create",))  # fills the cache
        with self.assertQueryCount(0, flush=False):
            self.assertTrue(self._rules(("on_create",)))
