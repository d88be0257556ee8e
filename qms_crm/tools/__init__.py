# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Pure-stdlib tools, usable without Odoo (see verify_pack.py).
