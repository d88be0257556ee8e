# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An accepted requirement is sealed; changing it through the change wizard
(back to review) is no tampering: the chain records the reopening, the
integrity check passes, and the requirement is sealed again once accepted.
A direct SQL edit of the sealed content is still a break."""

from odoo.tests import tagged

from .common import QmsRequirementCommon


@tagged("post_install", "-at_install")
class TestSealReopen(QmsRequirementCommon):
    def _seals(self, req):
        return (
            self.env["qms.evidence.seal"]
            .sudo()
            .search(
                [("res_model", "=", req._name), ("res_id", "=", req.id)], order="id"
            )
        )

    def _breaks(self, req):
        """The breaks the integrity check names for req."""
        self.env.cr.flush()  # what a commit runs: the sealing precommit hook
        self.env.invalidate_all()
        seals = self._seals(req)
        return [
            reason
            for chain in self.env["qms.evidence.seal"].sudo()._qms_check_integrity()
            if chain["res_model"] == req._name
            for seal_id, reason in chain["breaks"]
            if seal_id in seals.ids
        ]

    def test_change_through_the_wizard_reopens_then_reseals(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        self.assertEqual(req.state, "accepted")
        self.assertEqual(self._breaks(req), [])
        self.assertEqual(self._seals(req).mapped("kind"), ["freeze"])
        # a later transaction changes it through its own action
        self._change(req, user=self.qms_manager)
        self.assertEqual(req.state, "review")
        self.assertEqual(self._breaks(req), [])
        self.assertEqual(self._seals(req).mapped("kind"), ["freeze", "reopen"])
        # accepted again: a new freeze seal, compared from then on
        self._approve(order)
        self.assertEqual(req.state, "accepted")
        self.assertEqual(self._breaks(req), [])
        self.assertEqual(
            self._seals(req).mapped("kind"), ["freeze", "reopen", "freeze"]
        )
        self.env.cr.execute(
            "UPDATE qms_requirement SET description = 'Whenever' WHERE id = %s",
            [req.id],
        )
        self.assertEqual(self._breaks(req), ["content"])

    def test_unfreezing_by_sql_is_still_a_break(self):
        order = self._order()
        req = self._requirement(order_id=order.id)
        self._approve(order)
        self.assertEqual(self._breaks(req), [])
        # no action ran: nothing is sealed, the check names the content change
        self.env.cr.execute(
            "UPDATE qms_requirement SET state = 'review', description = 'Whenever' "
            "WHERE id = %s",
            [req.id],
        )
        self.assertEqual(self._breaks(req), ["content"])
        self.assertEqual(self._seals(req).mapped("kind"), ["freeze"])
