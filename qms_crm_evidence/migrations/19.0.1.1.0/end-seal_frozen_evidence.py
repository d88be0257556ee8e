# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Seal the evidence records frozen before tamper evidence existed.

An ``end-`` script: it runs once every module of the upgrade is loaded, so
that every evidence model is in the registry. Chain order is record id order;
records are sealed in batches, content hashes computed by PostgreSQL.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    seals = env["qms.evidence.seal"]
    for name in seals._qms_sealed_models():
        seals._qms_seal_existing(name)
