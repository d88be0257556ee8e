# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.qms_crm_evidence.tools.module_split import claim_xmlids


def pre_init_hook(env):
    """On a database made when this addon was part of qms_crm: take over its
    records and xml ids instead of creating them again."""
    claim_xmlids(env, "qms_crm_requirement")
    # Before the split, the "who acknowledges requirement changes" setting
    # extended the requirement blocks of qms_crm's settings view; the blocks now
    # come from this addon's own view, loaded after. Until then the setting would
    # point at blocks that are not there: it rests inactive, and its record in
    # views/res_config_settings_views.xml makes it active again.
    view = env.ref(
        "qms_crm_requirement.res_config_settings_view_form_qms_change_ack",
        raise_if_not_found=False,
    )
    if view:
        view.active = False
