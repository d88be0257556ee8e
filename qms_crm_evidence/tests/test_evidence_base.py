# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The base addon on its own: clause registry, module split, review framework."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.module_split import claim_xmlids
from .common import QmsCrmCommon


@tagged("post_install", "-at_install")
class TestEvidenceBase(QmsCrmCommon):
    def test_clause_registry_is_a_tree_of_unique_codes(self):
        clauses = self.env["qms.clause"].search([])
        self.assertGreaterEqual(len(clauses), 48)
        codes = clauses.mapped("code")
        self.assertEqual(len(codes), len(set(codes)), "duplicate clause codes")
        clause = self.env.ref("qms_crm_evidence.clause_8_2_3_1_a")
        self.assertEqual(
            clause.parent_id, self.env.ref("qms_crm_evidence.clause_8_2_3_1")
        )
        self.assertTrue(clause.display_name.startswith("8.2.3.1 a)"))

    def test_only_managers_edit_the_registry(self):
        clause = self.env.ref("qms_crm_evidence.clause_7_4")
        with self.assertRaises(AccessError):
            clause.with_user(self.qms_user).write({"name": "Forged"})
        clause.with_user(self.qms_manager).write({"name": "Communication (ours)"})
        self.assertEqual(clause.name, "Communication (ours)")

    def test_claim_xmlids_takes_over_what_the_old_addon_held(self):
        """A database made when the records of this addon belonged to another
        one: its xml ids (records, models, fields) come back to this addon,
        same records; names it does not define stay where they are."""
        Data = self.env["ir.model.data"]
        clause = Data.search(
            [("module", "=", "qms_crm_evidence"), ("name", "=", "clause_5")]
        )
        model = Data.search(
            [("module", "=", "qms_crm_evidence"), ("name", "=", "model_qms_clause")]
        )
        field = Data.search(
            [
                ("module", "=", "qms_crm_evidence"),
                ("name", "=", "field_qms_clause__code"),
            ]
        )
        self.assertTrue(clause and model and field)
        (clause | model | field).write({"module": "qms_old_layout"})
        foreign = Data.create(
            {
                "module": "qms_old_layout",
                "name": "not_ours",
                "model": "res.partner",
                "res_id": self.customer_a.id,
            }
        )
        # the hook runs SQL: what the ORM holds must be in the database first
        self.env.flush_all()
        moved = claim_xmlids(self.env, "qms_crm_evidence", old_module="qms_old_layout")
        self.assertGreaterEqual(moved, 3)
        Data.invalidate_model()
        for xmlid in (clause, model, field):
            self.assertEqual(xmlid.module, "qms_crm_evidence", xmlid.name)
        self.assertEqual(
            self.env.ref("qms_crm_evidence.clause_5").code,
            "5",
            "the same record, under its old name",
        )
        self.assertEqual(foreign.module, "qms_old_layout")
        # a database that never had the old addon: nothing to do
        self.assertEqual(
            claim_xmlids(self.env, "qms_crm_evidence", old_module="qms_old_layout"), 0
        )

    def test_review_prepares_once_then_approves(self):
        """The review framework, with whatever sections the installed addons
        register: prepared once (frozen), then approved, by whom and when."""
        Review = self.env["qms.management.review"].with_user(self.qms_manager)
        review = Review.create({"date_from": "2026-01-01", "date_to": "2026-03-31"})
        self.assertTrue(review.name)
        self.assertEqual(review.state, "draft")
        with self.assertRaisesRegex(UserError, "prepare"):
            review.action_approve()
        review.action_prepare()
        self.assertEqual(review.state, "prepared")
        self.assertEqual(review.prepared_uid, self.qms_manager)
        self.assertTrue(review.period_tz)
        with self.assertRaisesRegex(UserError, "already prepared"):
            review.action_prepare()
        review.action_approve()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.approved_uid, self.qms_manager)

    def test_quality_user_reads_reviews_but_cannot_create_them(self):
        with self.assertRaises(AccessError):
            self.env["qms.management.review"].with_user(self.qms_user).create(
                {"date_from": "2026-01-01", "date_to": "2026-03-31"}
            )
