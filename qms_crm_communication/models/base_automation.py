# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools


class BaseAutomation(models.Model):
    """Cache which automation rules apply to a model and trigger.

    Odoo's ``base_automation`` searches its rules (``_get_actions``) on every
    ``create``, ``write`` and stored-compute of a model that has at least one
    rule. Our communication rules (ISO 9001 7.4) put rules on sale orders,
    deliveries, tickets, leads and customers, so confirming one sale order
    ran that search about 23 times.

    Core's ``_get_actions`` still selects the rules; only the search it runs
    (``[("model_name", "=", model), ("trigger", "in", triggers)]``, as
    superuser, active rules only) is answered from a cache of what core's
    own ``search`` returned for it. Any other search goes to core, so if core
    changes how it selects rules, the selection stays core's and merely stops
    being cached. The cache is cleared whenever a rule is created, deleted
    or changed in a field that selects or orders the rules (a rolled-back
    transaction also drops what it cached).
    """

    _inherit = "base.automation"

    @api.model
    @api.readonly
    def search(self, domain, offset=0, limit=None, order=None):
        selection = self._qms_rule_selection(domain, offset, limit, order)
        if selection is None:
            return super().search(domain, offset=offset, limit=limit, order=order)
        return self.browse(self._qms_selected_ids(*selection, super().search))

    def _qms_rule_selection(self, domain, offset, limit, order):
        """(model name, triggers) when this search is the one of core's
        ``_get_actions``, else None."""
        if (
            offset
            or limit is not None
            or order
            or not self.env.su
            or not self.env.context.get("active_test", True)
            or not isinstance(domain, (list, tuple))
            or len(domain) != 2
        ):
            return None
        try:
            (field1, op1, model_name), (field2, op2, triggers) = domain
        except (TypeError, ValueError):
            return None
        if (field1, op1, field2, op2) != ("model_name", "=", "trigger", "in"):
            return None
        if not isinstance(model_name, str) or not isinstance(triggers, (list, tuple)):
            return None
        return model_name, tuple(triggers)

    @tools.ormcache("model_name", "triggers")
    def _qms_selected_ids(self, model_name, triggers, core_search):
        """Ids of the rules ``core_search`` (core's ``search``) finds for
        the model and triggers, cached per model and triggers."""
        domain = [("model_name", "=", model_name), ("trigger", "in", list(triggers))]
        return tuple(core_search(domain).ids)

    def _qms_clear_rule_cache(self):
        self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        automations = super().create(vals_list)
        self._qms_clear_rule_cache()
        return automations

    def write(self, vals):
        # not for the scheduler's last_run stamps: only what selects the rules
        # (core's own list of them) or orders them
        selecting = set(self.CRITICAL_FIELDS) | {"model_name"}
        selecting |= {part.split()[0] for part in self._order.split(",")}
        res = super().write(vals)
        if set(vals) & selecting:
            self._qms_clear_rule_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self._qms_clear_rule_cache()
        return res
