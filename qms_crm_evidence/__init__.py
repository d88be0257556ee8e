# Imported by Odoo as odoo.addons.qms_crm_evidence. Imported as a plain package from
# the repository root (``python -m qms_crm_evidence.tools.verify_pack PACK.zip``), it
# loads nothing of Odoo, so that the pure-stdlib tools run anywhere.
if __name__.startswith("odoo.addons."):
    from . import models
    from . import report
    from . import wizard
    from .hooks import pre_init_hook
