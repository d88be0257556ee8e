# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .qms_focus_group import ABC_CLASSES
from .survey_user_input import NPS_CATEGORIES


class QmsFocusGroupMember(models.Model):
    """Who was in the focus group when it was convened (a snapshot)."""

    _name = "qms.focus.group.member"
    _description = "Focus Group Member"
    _order = "focus_group_id, id"

    focus_group_id = fields.Many2one(
        "qms.focus.group", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    country_id = fields.Many2one("res.country", readonly=True)
    nps_category = fields.Selection(
        NPS_CATEGORIES, string="NPS Category when Convened", readonly=True
    )
    abc_class = fields.Selection(
        ABC_CLASSES, string="ABC Class when Convened", readonly=True
    )
    tags = fields.Char(string="Tags when Convened", readonly=True)

    _unique_member = models.Constraint(
        "UNIQUE (focus_group_id, partner_id)",
        "A customer is a member of a focus group only once.",
    )
