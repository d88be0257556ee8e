# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class QmsRequirementReviewLine(models.Model):
    _name = "qms.requirement.review.line"
    _description = "Requirement Review Line"
    _order = "review_id, category, id"

    review_id = fields.Many2one(
        "qms.requirement.review", required=True, ondelete="cascade", index=True
    )
    requirement_id = fields.Many2one(
        "qms.requirement", required=True, ondelete="restrict", index=True
    )
    category = fields.Selection(related="requirement_id.category", store=True)
    requirement_version = fields.Integer(string="Version", readonly=True)
    requirement_text = fields.Text(string="Text Reviewed", readonly=True)
    can_meet = fields.Selection(
        [("yes", "Yes"), ("conditions", "With conditions"), ("no", "No")],
        string="Can We Meet It?",
    )
    note = fields.Text()
    is_outdated = fields.Boolean(compute="_compute_is_outdated", string="Changed Since")

    _review_requirement_uniq = models.Constraint(
        "UNIQUE(review_id, requirement_id, requirement_version)",
        "A requirement appears once per version in a review.",
    )

    @api.depends("requirement_version", "requirement_id.version")
    def _compute_is_outdated(self):
        for line in self:
            line.is_outdated = line.requirement_version != line.requirement_id.version

    @api.model_create_multi
    def create(self, vals_list):
        Requirement = self.env["qms.requirement"]
        for vals in vals_list:
            if vals.get("requirement_id") and not vals.get("requirement_version"):
                req = Requirement.browse(vals["requirement_id"])
                vals["requirement_version"] = req.version
                vals["requirement_text"] = req.description
        lines = super().create(vals_list)
        lines.review_id._qms_check_draft()
        return lines

    def write(self, vals):
        self.review_id._qms_check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        self.review_id._qms_check_draft()
