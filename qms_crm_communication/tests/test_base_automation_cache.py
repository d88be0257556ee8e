# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from odoo.addons.qms_crm_communication.models.base_automation import BaseAutomation


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

    def _core_rules(self, model, triggers):
        """What core's _get_actions selects with our cache switched off."""
        with patch.object(BaseAutomation, "_qms_rule_selection", return_value=None):
            return self.env["base.automation"]._get_actions(
                self.env[model], list(triggers)
            )

    def test_cached_selection_equals_cores_after_every_change(self):
        Automation = self.env["base.automation"]
        tag_model = self.env["ir.model"]._get("res.partner.category")
        industry_model = self.env["ir.model"]._get("res.partner.industry")
        cases = [
            ("res.partner.category", ("on_create_or_write",)),
            ("res.partner.category", ("on_create", "on_create_or_write")),
            ("res.partner.category", ("on_unlink",)),
            ("res.partner.industry", ("on_create_or_write",)),
        ]

        def check(step):
            for model, triggers in cases:
                cached = Automation._get_actions(self.env[model], list(triggers))
                core = self._core_rules(model, triggers)
                self.assertEqual(cached.ids, core.ids, f"{step}: {model} {triggers}")
                # the records come with core's processing context
                self.assertIn("__action_done", cached.env.context)

        check("before")
        rules = Automation.create(
            [
                {"name": "A", "model_id": tag_model.id, "trigger": "on_create"},
                {"name": "B", "model_id": tag_model.id, "trigger": "on_unlink"},
                {
                    "name": "C",
                    "model_id": tag_model.id,
                    "trigger": "on_create_or_write",
                },
            ]
        )
        check("created")
        self.assertTrue(
            Automation._get_actions(self.env["res.partner.category"], ["on_create"])
        )
        rules[0].trigger = "on_create_or_write"
        check("trigger changed")
        rules[1].write({"model_id": industry_model.id, "trigger": "on_create_or_write"})
        check("model changed")
        rules[2].active = False
        check("archived")
        Automation.create(
            {
                "name": "D",
                "model_id": industry_model.id,
                "trigger": "on_create_or_write",
            }
        )
        check("added to another model")
        rules[0].unlink()
        check("deleted")

    def test_only_cores_rule_search_is_cached(self):
        """Any other search of rules (another domain, a user's search, a
        limit, an order, archived rules) is core's, uncached."""
        Automation = self.env["base.automation"]
        domain = [
            ("model_name", "=", "res.partner.category"),
            ("trigger", "in", ["on_create"]),
        ]
        self.assertEqual(
            Automation.sudo()._qms_rule_selection(domain, 0, None, None),
            ("res.partner.category", ("on_create",)),
        )
        for args in (
            (domain, 0, 1, None),
            (domain, 1, None, None),
            (domain, 0, None, "id desc"),
            (domain + [("active", "=", True)], 0, None, None),
            ([("model_name", "=", "res.partner.category")], 0, None, None),
        ):
            self.assertIsNone(Automation.sudo()._qms_rule_selection(*args), args)
        admin = self.env.ref("base.user_admin")
        self.assertIsNone(
            Automation.with_user(admin)._qms_rule_selection(domain, 0, None, None)
        )
        self.assertIsNone(
            Automation.sudo()
            .with_context(active_test=False)
            ._qms_rule_selection(domain, 0, None, None)
        )
