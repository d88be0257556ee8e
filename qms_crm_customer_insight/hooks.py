# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.qms_crm_evidence.tools.module_split import claim_xmlids


def pre_init_hook(env):
    """On a database made when this addon was part of qms_crm: take over its
    records and xml ids instead of creating them again."""
    claim_xmlids(env, "qms_crm_customer_insight")
    clear_single_abc_class(env.cr)


def clear_single_abc_class(cr):
    """The ABC class is company-dependent (a jsonb column). The single class of
    earlier versions pooled every company's orders: emptied before Odoo
    converts the column, recomputed per company afterwards."""
    cr.execute(
        """SELECT data_type FROM information_schema.columns
            WHERE table_name = 'res_partner' AND column_name = 'qms_abc_class'"""
    )
    row = cr.fetchone()
    if row and row[0] != "jsonb":
        cr.execute("UPDATE res_partner SET qms_abc_class = NULL")


def post_init_hook(env):
    """ABC classes at once, per company (one SQL pass), not at the next cron:
    a database with history gets its classes when the addon is installed."""
    env["res.partner"]._qms_recompute_abc()
