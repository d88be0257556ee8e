# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED
from odoo.addons.qms_crm_evidence.models.qms_evidence_seal import chain_hash

from .test_management_review import QmsReviewCommon


@tagged("post_install", "-at_install")
class TestEvidenceIntegrity(QmsReviewCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(
            cls.env["qms.management.review"].with_user(cls.qms_manager)
        )

    def _approved_review(self, days):
        review = self._review(self.today - timedelta(days=days), self.today)
        review.action_prepare()
        review.action_approve()
        return review

    def _seals(self, review):
        return (
            self.env["qms.evidence.seal"]
            .sudo()
            .search(
                [("res_model", "=", review._name), ("res_id", "=", review.id)],
                order="id",
            )
        )

    def _check(self):
        self.env.cr.flush()  # what a commit runs: the sealing precommit hook
        self.env.invalidate_all()
        check = (
            self.env["qms.evidence.integrity"].with_user(self.qms_manager).create({})
        )
        check.action_check()
        return check

    def _line(self, check, model="qms.management.review"):
        return check.line_ids.filtered(lambda line: line.res_model == model)

    def test_freezing_seals_in_a_chain_and_untouched_chains_pass(self):
        review = self._review(self.today - timedelta(days=9), self.today)
        review.action_prepare()
        self.env.cr.flush()
        self.assertFalse(self._seals(review), "a prepared review is not frozen yet")
        Seal = self.env["qms.evidence.seal"].sudo()
        before = Seal.search([("res_model", "=", review._name)], order="sequence desc")
        review.action_approve()
        self.env.cr.flush()
        seal = self._seals(review)
        self.assertEqual(len(seal), 1)
        self.assertEqual(seal.kind, "freeze")
        self.assertEqual(seal.create_uid, self.qms_manager)
        self.assertEqual(seal.company_id, review.company_id)
        last = before[:1]
        self.assertEqual(seal.sequence, (last.sequence or 0) + 1)
        self.assertEqual(
            seal.chain_hash,
            chain_hash(
                last.chain_hash,
                review._name,
                review.id,
                seal.sequence,
                seal.content_hash,
            ),
        )
        self.assertIn("summary", seal.hash_fields.split(","))
        self.assertIn("approved_uid", seal.hash_fields.split(","))
        self.assertNotIn("write_date", seal.hash_fields.split(","))
        # writing an unsealed field (clause tags) or nothing decisive: no new seal
        review.write(
            {"qms_clause_ids": [(4, self.env.ref("qms_crm_evidence.clause_9_1_2").id)]}
        )
        self.env.cr.flush()
        self.assertEqual(len(self._seals(review)), 1)
        check = self._check()
        self.assertEqual(check.state, "ok", check.line_ids.mapped("break_reason"))
        line = self._line(check)
        self.assertEqual(line.state, "ok")
        self.assertGreaterEqual(line.seal_count, 1)
        self.assertFalse(check.line_ids.filtered(lambda line: line.state == "broken"))

    def test_sql_edit_of_a_frozen_record_is_named_with_who_and_when(self):
        first = self._approved_review(20)
        second = self._approved_review(10)
        self.assertEqual(self._check().state, "ok")
        self.env.cr.execute(
            "SELECT summary FROM qms_management_review WHERE id = %s", [first.id]
        )
        original = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            "UPDATE qms_management_review SET summary = '<p>Nothing to report</p>' "
            "WHERE id = %s",
            [first.id],
        )
        check = self._check()
        self.assertEqual(check.state, "broken")
        line = self._line(check)
        self.assertEqual(line.state, "broken")
        self.assertEqual(line.break_seal_id, self._seals(first))
        self.assertEqual(line.break_record, first.display_name)
        self.assertEqual(
            line.break_reason, "the record was changed after it was frozen"
        )
        self.assertEqual(line.break_sealed_by, self.qms_manager)
        self.assertTrue(line.break_sealed_on)
        self.assertEqual(line.break_write_uid, self.qms_manager)
        self.assertTrue(line.break_create_date)
        # the other chains stay intact
        others = check.line_ids - line
        self.assertEqual(set(others.mapped("state")), {"ok"})
        # the PDF names it too
        html = (
            self.env["ir.actions.report"]
            .with_user(self.qms_manager)
            ._render_qweb_html(
                "qms_crm_evidence.action_report_evidence_integrity", check.ids
            )[0]
            .decode()
        )
        self.assertIn(first.name, html)
        self.assertIn("the record was changed after it was frozen", html)
        # undo the edit: intact again; then a deleted seal breaks the next link
        self.env.cr.execute(
            "UPDATE qms_management_review SET summary = %s WHERE id = %s",
            [original, first.id],
        )
        self.assertEqual(self._check().state, "ok")
        self.env.cr.execute(
            "DELETE FROM qms_evidence_seal WHERE id = %s", [self._seals(first).id]
        )
        line = self._line(self._check())
        self.assertEqual(line.break_seal_id, self._seals(second))
        self.assertEqual(line.break_reason, "a seal is missing before this one")

    def test_forged_seal_and_removed_last_seal_break_the_chain(self):
        review = self._approved_review(15)
        self.env.cr.flush()
        seal = self._seals(review)
        # a forger rewrites the content hash to match an edited record
        self.env.cr.execute(
            "UPDATE qms_management_review SET summary = '<p>x</p>' WHERE id = %s",
            [review.id],
        )
        self.env.cr.execute(
            "UPDATE qms_evidence_seal SET content_hash = md5('x') WHERE id = %s",
            [seal.id],
        )
        line = self._line(self._check())
        self.assertEqual(line.break_seal_id, seal)
        self.assertEqual(
            line.break_reason, "the chain hash does not follow from the previous seal"
        )
        self.env.cr.execute("DELETE FROM qms_evidence_seal WHERE id = %s", [seal.id])
        line = self._line(self._check())
        self.assertEqual(line.break_reason, "the last seals of the chain were removed")

    def test_tracked_correction_adds_a_seal_and_keeps_the_chain(self):
        review = self._approved_review(12)
        with self.assertRaises(UserError):
            review.write({"summary": "<p>Changed afterwards</p>"})
        review.with_context(qms_correction=QMS_TRUSTED).write(
            {"summary": "<p>Corrected minutes</p>"}
        )
        self.env.cr.flush()
        seals = self._seals(review)
        self.assertEqual(seals.mapped("kind"), ["freeze", "correction"])
        self.assertEqual(seals[1].sequence, seals[0].sequence + 1)
        self.assertEqual(self._check().state, "ok")

    def test_existing_frozen_records_are_sealed_in_chain_order(self):
        first = self._approved_review(30)
        second = self._approved_review(25)
        self.env.cr.flush()
        # as on a database from the previous release: no seal at all
        self.env.cr.execute(
            "DELETE FROM qms_evidence_seal WHERE res_model = %s", [first._name]
        )
        self.env.cr.execute(
            "DELETE FROM qms_evidence_seal_head WHERE res_model = %s", [first._name]
        )
        Seal = self.env["qms.evidence.seal"].sudo()
        Seal._qms_seal_existing(first._name)
        one, two = self._seals(first), self._seals(second)
        self.assertEqual((one.kind, two.kind), ("upgrade", "upgrade"))
        self.assertLess(one.sequence, two.sequence)
        draft = self._review(self.today - timedelta(days=3), self.today)
        Seal._qms_seal_existing(first._name)
        self.assertFalse(self._seals(draft), "drafts are not frozen")
        self.assertEqual(self._check().state, "ok")

    def test_integrity_check_and_seals_are_for_quality_managers(self):
        with self.assertRaises(AccessError):
            self.env["qms.evidence.integrity"].with_user(self.qms_user).create({})
        with self.assertRaises(AccessError):
            self.env["qms.evidence.seal"].with_user(self.qms_user).search([])
        review = self._approved_review(5)
        self.env.cr.flush()
        seal = self._seals(review).with_user(self.qms_manager)
        with self.assertRaises(AccessError):
            seal.write({"content_hash": "0"})
        with self.assertRaises(AccessError):
            seal.unlink()


@tagged("post_install", "-at_install")
class TestEvidenceSealConcurrency(TransactionCase):
    """Two transactions sealing in the same chain: while the first holds the
    chain's head row (locked FOR UPDATE, like account locks the moves it
    hashes), the second waits (here: a lock timeout) instead of forking the
    chain; once the first commits, the second's REPEATABLE READ snapshot makes
    it fail to serialize and Odoo retries it. Two real connections, nothing
    committed."""

    def test_head_row_serialises_sealing(self):
        connection = sql_db.db_connect(self.env.cr.dbname)
        with connection.cursor() as cr1, connection.cursor() as cr2:
            try:
                cr1.execute(
                    "SELECT last_sequence FROM qms_evidence_seal_head "
                    "WHERE res_model = 'qms.management.review' FOR UPDATE"
                )
                self.assertTrue(cr1.fetchone())
                cr2.execute("SET LOCAL lock_timeout = '500ms'")
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                review = env2["qms.management.review"].search(
                    [("state", "=", "approved")], limit=1
                )
                # a content change to seal: in cr2 only
                cr2.execute(
                    "UPDATE qms_management_review SET summary = '<p>x</p>' "
                    "WHERE id = %s",
                    [review.id],
                )
                with (
                    mute_logger("odoo.sql_db"),
                    self.assertRaises(psycopg2.errors.LockNotAvailable),
                ):
                    env2["qms.evidence.seal"]._qms_seal(
                        review._name, {review.id: SUPERUSER_ID}
                    )
            finally:
                cr1.rollback()
                cr2.rollback()
