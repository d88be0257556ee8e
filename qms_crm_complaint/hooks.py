# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.qms_crm_evidence.tools.module_split import claim_xmlids


def pre_init_hook(env):
    """On a database made when this addon was part of qms_crm: take over its
    records and xml ids instead of creating them again."""
    claim_xmlids(env, "qms_crm_complaint")
