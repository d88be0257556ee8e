# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools


class BaseAutomation(models.Model):
    """Cache which automation rules apply to a model and trigger.

    Odoo's ``base_automation`` searches its rules on every ``create``,
    ``write`` and stored-compute of a model that has at least one rule. Our
    communication rules (ISO 9001 7.4) put rules on sale orders, deliveries,
    tickets, leads and customers, so confirming one sale order ran that
    search about 23 times. The ids are now cached per model and triggers and
    the cache is cleared whenever a rule is created, changed or deleted (a
    rolled-back transaction also drops what it cached).
    """

    _inherit = "base.automation"

    @tools.ormcache("model_name", "triggers")
    def _qms_action_ids(self, model_name, triggers):
        domain = [("model_name", "=", model_name), ("trigger", "in", list(triggers))]
        return tuple(self.with_context(active_test=True).sudo().search(domain).ids)

    def _get_actions(self, records, triggers):
        # same result as base_automation's own method, without the search
        automations = self
        if "__action_done" not in self.env.context:
            automations = self.with_context(__action_done={})
        return automations.browse(self._qms_action_ids(records._name, tuple(triggers)))

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        # not for the scheduler's last_run stamps: only what selects the rules
        if set(vals) & {"model_id", "trigger", "active"}:
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
