# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    qms_process_stage_id = fields.Many2one(
        "qms.process.stage",
        string="Process Template Stage",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The stage of the process template that created this stage.",
    )
