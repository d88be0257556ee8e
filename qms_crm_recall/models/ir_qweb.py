# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import OrderedDict
from threading import Lock

from lxml import etree

from odoo import models

# compiled inline templates (mail template bodies) while recall notices are
# generated: source and compile options -> compiled functions
_CACHE = OrderedDict()
_CACHE_SIZE = 16
_LOCK = Lock()


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _generate_code_uncached(self, template):
        """Compile an inline template once per batch of recall notices.

        The mail engine renders a template body once per record and, for an
        inline (etree) template, compiles it every time: 95 % of the cost of a
        notice. With the context key ``qms_recall_compile_cache`` (set only by
        the recall notice sender), the compiled functions are kept, keyed by
        the template source and every context key that changes compilation
        (those of ``_get_template_cache_keys`` and the restricted-mode model),
        the way Odoo caches the compilation of view templates."""
        if not (
            self.env.context.get("qms_recall_compile_cache")
            and isinstance(template, etree._Element)
        ):
            return super()._generate_code_uncached(template)
        key = (
            etree.tostring(template),
            tuple(
                self.env.context.get(k) or False
                for k in self._get_template_cache_keys()
            ),
            self.env.context.get("raise_on_forbidden_code_for_model") or False,
        )
        with _LOCK:
            cached = _CACHE.get(key)
            if cached is not None:
                _CACHE.move_to_end(key)
        if cached is None:
            cached = super()._generate_code_uncached(template)
            with _LOCK:
                _CACHE[key] = cached
                while len(_CACHE) > _CACHE_SIZE:
                    _CACHE.popitem(last=False)
        functions, def_name, options = cached
        return dict(functions), def_name, options
