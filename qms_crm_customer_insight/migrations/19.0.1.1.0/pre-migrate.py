# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ABC class becomes company-dependent (a jsonb column): the old single
class pooled every company's orders, so it is emptied here and recomputed per
company after the update (post-migrate)."""

from odoo.addons.qms_crm_customer_insight.hooks import clear_single_abc_class


def migrate(cr, version):
    clear_single_abc_class(cr)
