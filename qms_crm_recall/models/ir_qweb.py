# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import models, tools

# context key that switches the cache on for one rendering
COMPILE_CACHE_KEY = "qms_recall_compile_cache"


class _CompileCache:
    """The only value of ``COMPILE_CACHE_KEY`` that switches the cache on.

    A client sends contexts as JSON (``/web/dataset/call_kw``), so it can set
    the key to ``true`` but never to this object: only the recall notice
    sender turns the cache on."""

    __slots__ = ()

    def __repr__(self):
        return "COMPILE_CACHE"


COMPILE_CACHE = _CompileCache()


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _generate_code_uncached(self, template):
        """Compile an inline template once per batch of recall notices.

        The mail engine renders a template body once per record and, for an
        inline (etree) template, compiles it every time: 95 % of the cost of a
        notice. While the recall notice sender renders
        (``with_context(qms_recall_compile_cache=COMPILE_CACHE)``), the
        compiled functions are kept in the registry's ``templates`` cache,
        the one Odoo keeps its compiled view templates in
        (``_generate_code_cached``): per database, cleared with it, keyed by
        the template source and the context keys that change compilation
        (``_get_template_cache_keys``, which includes mail's restricted-mode
        model)."""
        if self.env.context.get(COMPILE_CACHE_KEY) is not COMPILE_CACHE or not (
            isinstance(template, etree._Element)
        ):
            return super()._generate_code_uncached(template)
        functions, def_name, options = self._qms_generate_code_inline(
            etree.tostring(template), template, super()._generate_code_uncached
        )
        # _compile may wrap the functions (profiling): never in the cached dict
        return dict(functions), def_name, options

    @tools.ormcache(
        "source",
        "tuple(self.env.context.get(k) or False"
        " for k in self._get_template_cache_keys())",
        cache="templates",
    )
    def _qms_generate_code_inline(self, source, template, core_compile):
        """``core_compile(template)`` (core's compilation of ``template``,
        whose serialisation is ``source``), cached."""
        return core_compile(template)
