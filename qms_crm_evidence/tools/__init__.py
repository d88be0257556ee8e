# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Tools usable without Odoo: verify_pack.py (stdlib only), dates.py (pytz).
