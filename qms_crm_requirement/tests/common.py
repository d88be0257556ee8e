# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon


class QmsRequirementCommon(QmsCrmCommon):
    """QmsCrmCommon with the review gate blocking, and requirements, reviews and
    changes made in one call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("qms_crm.gate_mode", "block")

    @classmethod
    def _requirement(cls, partner=None, **vals):
        partner = partner or cls.customer_a
        return cls.env["qms.requirement"].create(
            dict(
                {
                    "name": "Deliver in 5 days",
                    "description": "Delivery within 5 working days of the order.",
                    "category": "stated",
                    "source": "contract",
                    "documented": True,
                    "partner_id": partner.id,
                },
                **vals,
            )
        )

    @classmethod
    def _approve(cls, order, answers=None):
        """Create and approve a review of the order; answers: {req: can_meet}."""
        review = cls.env["qms.requirement.review"].create({"order_id": order.id})
        for line in review.line_ids:
            can_meet = (answers or {}).get(line.requirement_id, "yes")
            line.write(
                {
                    "can_meet": can_meet,
                    "note": "Agreed" if can_meet != "yes" else False,
                }
            )
        review.action_approve()
        return review

    @classmethod
    def _change(cls, requirement, user=None, **vals):
        wizard = (
            cls.env["qms.requirement.change"]
            .with_user(user or cls.env.user)
            .with_context(default_requirement_id=requirement.id)
            .create(
                dict(
                    {
                        "description": "Delivery within 3 working days of the order.",
                        "change_reason": "Customer asked for faster delivery",
                        "requested_by": "customer",
                    },
                    **vals,
                )
            )
        )
        action = wizard.action_apply()
        return cls.env["qms.requirement.version"].browse(action["res_id"])
