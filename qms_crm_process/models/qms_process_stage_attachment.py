# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class QmsProcessStageAttachment(models.Model):
    """A document that must be attached before a lead leaves a stage."""

    _name = "qms.process.stage.attachment"
    _description = "Required Attachment of a Process Stage"
    _order = "stage_id, id"

    stage_id = fields.Many2one(
        "qms.process.stage", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(string="Document", required=True, translate=True)
    keyword = fields.Char(
        required=True,
        help="An attachment of the lead whose file name contains this keyword "
        "(case does not matter) counts as this document.",
    )
