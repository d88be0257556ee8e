# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ABC class becomes company-dependent (a jsonb column): the old single
class pooled every company's orders, so it is dropped here and recomputed per
company after the update (post-migrate)."""


def migrate(cr, version):
    cr.execute(
        """SELECT data_type FROM information_schema.columns
            WHERE table_name = 'res_partner' AND column_name = 'qms_abc_class'"""
    )
    row = cr.fetchone()
    if row and row[0] != "jsonb":
        cr.execute("UPDATE res_partner SET qms_abc_class = NULL")
