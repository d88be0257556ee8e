# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Management review decisions and figures forged over JSON-RPC (issue 17):
figures added to an approved review, a review approved by writing its state,
the files of an approved review removed. Refused, nothing written; the
buttons still work."""

import base64

from odoo.tests import HttpCase, tagged

from .common import QmsCrmCommon, QmsJsonRpcMixin


@tagged("post_install", "-at_install")
class TestManagementReviewForgery(QmsJsonRpcMixin, HttpCase, QmsCrmCommon):
    def _review(self):
        return (
            self.env["qms.management.review"]
            .with_user(self.qms_manager)
            .create({"date_from": "2026-01-01", "date_to": "2026-03-31"})
        )

    def test_review_is_approved_only_with_its_buttons(self):
        review = self._review()
        for vals in (
            {"state": "approved"},
            {"approved_uid": self.qms_manager.id},
            {"approved_date": "2020-01-01 00:00:00", "prepared_date": False},
        ):
            with self.subTest(vals=vals):
                self._refused(
                    "qms_manager", "qms.management.review", "write", [review.ids, vals]
                )
                self.assertEqual(review.state, "draft")
                self.assertFalse(review.approved_uid)
                self.assertFalse(review.approved_date)
        self._refused(
            "qms_manager",
            "qms.management.review",
            "create",
            [{"date_from": "2026-01-01", "date_to": "2026-03-31"}],
            context={"default_state": "approved"},
        )
        self._rpc(
            "qms_manager", "qms.management.review", "action_prepare", [review.ids]
        )
        self._rpc(
            "qms_manager", "qms.management.review", "action_approve", [review.ids]
        )
        self.env.invalidate_all()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.approved_uid, self.qms_manager)

    def test_no_figure_is_added_to_a_prepared_or_approved_review(self):
        review = self._review()
        review.action_prepare()
        review.action_approve()
        figures = review.figure_ids
        self._refused(
            "qms_manager",
            "qms.management.review.figure",
            "create",
            [
                {
                    "review_id": review.id,
                    "section": "forged",
                    "section_label": "Forged",
                    "code": "forged.figure",
                    "name": "Customer satisfaction",
                    "value": 100.0,
                }
            ],
        )
        self.assertEqual(review.figure_ids, figures)
        if figures:
            self._refused(
                "qms_manager",
                "qms.management.review.figure",
                "write",
                [figures[:1].ids, {"value": 99.0}],
            )

    def test_files_of_an_approved_review_are_frozen(self):
        review = self._review()
        minutes = self.env["ir.attachment"].create(
            {
                "name": "minutes.pdf",
                "datas": base64.b64encode(b"%PDF minutes"),
                "res_model": "qms.management.review",
                "res_id": review.id,
            }
        )
        review.action_prepare()
        review.action_approve()
        self._refused("qms_manager", "ir.attachment", "unlink", [minutes.ids])
        self._refused(
            "qms_manager",
            "ir.attachment",
            "write",
            [minutes.ids, {"raw": "forged minutes"}],
        )
        self._refused(
            "qms_manager",
            "ir.attachment",
            "write",
            [minutes.ids, {"res_id": 0}],
        )
        self.assertTrue(minutes.exists())
        self.assertEqual(minutes.raw, b"%PDF minutes")
        self.assertEqual(minutes.res_id, review.id)
        # a draft review's files are still its authors' to manage
        draft = self._review()
        notes = self.env["ir.attachment"].create(
            {
                "name": "notes.txt",
                "raw": b"agenda",
                "res_model": "qms.management.review",
                "res_id": draft.id,
            }
        )
        self._rpc("qms_manager", "ir.attachment", "unlink", [notes.ids])
        self.assertFalse(notes.exists())
