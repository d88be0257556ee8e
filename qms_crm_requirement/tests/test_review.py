# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.qms_crm_evidence.models.qms_evidence_mixin import QMS_TRUSTED

from .common import QmsRequirementCommon as QmsCrmCommon


@tagged("post_install", "-at_install")
class TestRequirementReview(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Housing deal",
                "type": "opportunity",
                "partner_id": cls.customer_a.id,
            }
        )
        cls.order = cls._order(opportunity_id=cls.lead.id)
        cls.req_stated = cls._requirement(name="Stated", order_id=cls.order.id)
        cls.req_law = cls._requirement(
            name="Law",
            category="statutory",
            regulation_ref="EU 2017/745",
            lead_id=cls.lead.id,
        )
        cls.req_ours = cls._requirement(
            name="Ours", category="organisation", order_id=cls.order.id
        )

    def _review(self):
        return (
            self.env["qms.requirement.review"]
            .with_user(self.salesman)
            .create({"order_id": self.order.id})
        )

    def test_review_is_prefilled_from_order_and_opportunity_requirements(self):
        review = self._review()
        self.assertTrue(review.name.startswith("REV/"))
        self.assertEqual(review.lead_id, self.lead)
        self.assertEqual(review.partner_id, self.customer_a)
        self.assertEqual(
            review.line_ids.requirement_id,
            self.req_stated | self.req_law | self.req_ours,
        )
        self.assertEqual(set(review.line_ids.mapped("requirement_version")), {1})
        self.assertEqual(
            review.line_ids.filtered(
                lambda line: line.requirement_id == self.req_law
            ).category,
            "statutory",
        )
        # submitting for review is implied by starting one
        self.assertEqual(
            set((self.req_stated | self.req_law | self.req_ours).mapped("state")),
            {"review"},
        )
        # refilling adds nothing twice
        review.action_prefill()
        self.assertEqual(len(review.line_ids), 3)

    def test_review_needs_a_subject(self):
        with self.assertRaises(ValidationError):
            self.env["qms.requirement.review"].create({})

    def test_approve_requires_every_answer_and_notes_for_conditions(self):
        review = self._review()
        with self.assertRaisesRegex(UserError, "Answer 'Can we meet it\\?'"):
            review.action_approve()
        review.line_ids.write({"can_meet": "yes"})
        line = review.line_ids.filtered(
            lambda line: line.requirement_id == self.req_ours
        )
        line.can_meet = "conditions"
        with self.assertRaisesRegex(UserError, "Explain the conditions"):
            review.action_approve()
        line.note = "Only with the new tooling"
        review.with_user(self.salesman).action_approve()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.user_id, self.salesman)
        self.assertTrue(review.review_date)
        reqs = review.line_ids.requirement_id
        self.assertEqual(set(reqs.mapped("state")), {"accepted"})
        self.assertEqual(reqs.version_ids.mapped("number"), [1, 1, 1])

    def test_a_no_answer_cannot_be_approved_but_can_be_rejected_with_conclusion(self):
        review = self._review()
        review.line_ids.write({"can_meet": "yes"})
        no_line = review.line_ids.filtered(
            lambda line: line.requirement_id == self.req_law
        )
        no_line.write({"can_meet": "no", "note": "Not certified"})
        with self.assertRaisesRegex(UserError, "cannot be approved"):
            review.action_approve()
        with self.assertRaisesRegex(UserError, "conclusion"):
            review.action_reject()
        review.outcome_note = "We lack the certification"
        review.action_reject()
        self.assertEqual(review.state, "rejected")
        self.assertEqual(self.req_law.state, "rejected")
        self.assertEqual(self.req_stated.state, "review")

    def test_decided_review_is_a_record(self):
        review = self._review()
        review.line_ids.write({"can_meet": "yes"})
        review.action_approve()
        with self.assertRaisesRegex(UserError, "has been decided"):
            review.line_ids[0].with_user(self.salesman).note = "afterthought"
        with self.assertRaisesRegex(UserError, "final evidence"):
            review.with_user(self.salesman).outcome_note = "rewritten"
        with self.assertRaises(UserError):
            review.action_approve()
        with self.assertRaises(UserError):
            review.sudo().unlink()

    def test_outdated_line_blocks_approval(self):
        review = self._review()
        review.line_ids.write({"can_meet": "yes"})
        review.action_approve()
        version = self._change(self.req_stated)
        second = self._review()
        self.assertEqual(
            second.line_ids.filtered(
                lambda line: line.requirement_id == self.req_stated
            ).requirement_version,
            version.number,
        )
        line = second.line_ids.filtered(
            lambda line: line.requirement_id == self.req_stated
        )
        self.assertFalse(line.is_outdated)
        # a requirement that changed after being added to a review makes the
        # review line outdated: approving it is refused
        second.line_ids.write({"can_meet": "yes"})
        self.req_stated.with_context(
            qms_requirement_change=QMS_TRUSTED, qms_correction=QMS_TRUSTED
        ).write({"version": 3})
        self.assertTrue(line.is_outdated)
        with self.assertRaisesRegex(UserError, "refill the review"):
            second.action_approve()
        # and a requirement that was accepted once is only changed by a new version
        with self.assertRaisesRegex(UserError, "Change Requirement"):
            self.req_stated.description = "edited behind the review's back"

    def test_report_groups_lines_by_category(self):
        review = self._review()
        review.line_ids.write({"can_meet": "yes"})
        review.action_approve()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "qms_crm_requirement.report_requirement_review", review.ids
            )[0]
            .decode()
        )
        self.assertIn(review.name, html)
        self.assertIn("a) Stated by the customer", html)
        self.assertIn("c) Specified by our organisation", html)
        self.assertIn("d) Statutory / regulatory", html)
        self.assertNotIn("e) Differing from previously expressed", html)
        self.assertLess(
            html.index("a) Stated by the customer"),
            html.index("d) Statutory / regulatory"),
        )
        self.assertIn(self.req_law.description, html)


@tagged("post_install", "-at_install")
class TestRequirementReviewPdf(HttpCase):
    """wkhtmltopdf needs a running server for the CSS: render the PDF in an
    HttpCase (the report's content is checked through HTML above)."""

    def test_review_record_renders_as_pdf(self):
        partner = self.env["res.partner"].create(
            {"name": "PDF Customer", "is_company": True}
        )
        order = self.env["sale.order"].create({"partner_id": partner.id})
        self.env["qms.requirement"].create(
            {
                "name": "Printed requirement",
                "description": "Appears in the review record.",
                "partner_id": partner.id,
                "order_id": order.id,
                "documented": True,
            }
        )
        review = self.env["qms.requirement.review"].create({"order_id": order.id})
        review.line_ids.write({"can_meet": "yes"})
        review.action_approve()
        # a configured company prints at once (else Odoo asks for a layout first)
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        self.assertEqual(
            review.action_print()["report_name"],
            "qms_crm_requirement.report_requirement_review",
        )
        # in tests Odoo returns HTML unless the real rendering is forced
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report._render_qweb_pdf(
            "qms_crm_requirement.report_requirement_review", review.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 1000)
