# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaints on the customer portal, over real HTTP."""

from lxml import html

from odoo import Command, http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common_complaint import QmsComplaintCommon

MUTED = (
    "odoo.http",
    "odoo.addons.http_routing.models.ir_http",
    "odoo.addons.portal_request_hardening.models.ir_http",
)


class QmsComplaintPortalCase(HttpCase, QmsComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_b = cls.env["product.product"].create(
            {"name": "QMS Beta-only gadget", "type": "consu", "list_price": 5.0}
        )
        cls.product_other = cls.env["product.product"].create(
            {"name": "QMS Alpha spare part", "type": "consu", "list_price": 2.0}
        )
        cls.order_a = cls._order(cls.customer_a)
        cls.order_a2 = cls._order(
            cls.customer_a,
            order_line=[
                Command.create(
                    {"product_id": cls.product_other.id, "product_uom_qty": 1}
                )
            ],
        )
        cls.order_b = cls._order(
            cls.customer_b,
            user=cls.salesman2,
            order_line=[
                Command.create({"product_id": cls.product_b.id, "product_uom_qty": 1})
            ],
        )
        (cls.order_a | cls.order_a2 | cls.order_b).action_confirm()
        cls.ticket_a = cls._complaint(partner_id=cls.portal_a.partner_id.id)
        cls.ticket_b = cls._complaint(partner_id=cls.portal_b.partner_id.id)
        for ticket in cls.ticket_a | cls.ticket_b:
            ticket.write(
                {
                    "qms_root_cause_id": cls.root_cause.id,
                    "qms_resolution": "Re-delivered by express.",
                }
            )
            ticket.stage_id = cls.stage_done

    def _csrf(self):
        return http.Request.csrf_token(self)

    def _post(self, url, **data):
        data.setdefault("csrf_token", self._csrf())
        data = {k: v for k, v in data.items() if v is not None}
        return self.url_open(url, data=data, allow_redirects=False)

    def _state(self, ticket):
        self.env.invalidate_all()
        return ticket.qms_confirmation_state, ticket.stage_id, len(ticket.message_ids)


@tagged("post_install", "-at_install")
class TestComplaintPortalSubmit(QmsComplaintPortalCase):
    def test_form_offers_kind_and_only_the_customers_orders_and_products(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self.url_open("/new/ticket")
        self.assertEqual(response.status_code, 200)
        tree = html.fromstring(response.content)
        kinds = tree.xpath("//select[@name='qms_feedback_kind']/option/@value")
        self.assertIn("complaint", kinds)
        orders = tree.xpath("//select[@name='sale_order_id']/option/@value")
        self.assertIn(str(self.order_a.id), orders)
        self.assertNotIn(str(self.order_b.id), orders)
        products = tree.xpath("//select[@name='product_id']/option/@value")
        self.assertIn(str(self.product.id), products)
        self.assertNotIn(str(self.product_b.id), products)

    def test_customer_submits_a_complaint_with_order_product_and_attachment(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self._csrf(),
                "subject": "QMS portal complaint",
                "description": "The widgets arrived late and scratched.",
                "qms_feedback_kind": "complaint",
                "sale_order_id": str(self.order_a.id),
                "product_id": str(self.product.id),
            },
            files={"attachment": ("photo.txt", b"scratches", "text/plain")},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "QMS portal complaint")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.qms_feedback_kind, "complaint")
        self.assertEqual(ticket.qms_channel, "portal")
        self.assertEqual(ticket.qms_sale_order_id, self.order_a)
        self.assertEqual(ticket.qms_product_id, self.product)
        self.assertTrue(ticket.qms_resolve_deadline)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["photo.txt"])
        self.env["helpdesk.ticket"]._cron_qms_send_receipts()
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: m.subject == f"We received your complaint {ticket.number}"
            )
        )
        # the customer follows it on its page
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"Handling of your complaint {ticket.number}", page.text)
        self.assertNotIn("confirm the resolution", page.text)

    def test_bad_kind_or_product_not_on_order_shows_the_form_again(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        cases = [
            (
                {"qms_feedback_kind": "lawsuit"},
                "Please choose what your message is about from the list.",
            ),
            (
                {
                    "sale_order_id": str(self.order_a.id),
                    "product_id": str(self.product_other.id),
                },
                "The selected product is not on the selected order.",
            ),
            (
                {"sale_order_id": str(self.order_b.id)},
                "The selected order is not available.",
            ),
            (
                {"product_id": str(self.product_b.id)},
                "The selected product is not available.",
            ),
        ]
        for extra, message in cases:
            with self.subTest(extra=extra):
                response = self._post(
                    "/submitted/ticket",
                    subject="QMS bad complaint",
                    description="text",
                    **extra,
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "QMS bad complaint")])
        )

    def test_plain_ticket_without_kind_still_works(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self._post(
            "/submitted/ticket", subject="QMS plain question", description="How?"
        )
        self.assertIn(response.status_code, (302, 303))
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "QMS plain question")]
        )
        self.assertFalse(ticket.qms_feedback_kind)
        self.assertFalse(ticket.qms_is_complaint)


@tagged("post_install", "-at_install")
class TestComplaintPortalAnswer(QmsComplaintPortalCase):
    def test_page_offers_the_answer_while_pending(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertEqual(page.status_code, 200)
        tree = html.fromstring(page.content)
        self.assertTrue(
            tree.xpath(
                f"//form[@action='/my/ticket/{self.ticket_a.id}/qms/confirm']"
                "[@method='POST']//input[@name='csrf_token']"
            )
        )
        self.assertIn("Re-delivered by express.", page.text)

    def test_customer_confirms_on_the_portal(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        response = self._post(f"/my/ticket/{self.ticket_a.id}/qms/confirm")
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.qms_confirmation_state, "confirmed")
        confirmed = self.ticket_a.message_ids.filtered(
            lambda m: "confirmed the resolution" in (m.body or "")
        )
        self.assertEqual(confirmed.author_id, self.portal_a.partner_id)
        # a second answer is refused with a clear message
        response = self._post(f"/my/ticket/{self.ticket_a.id}/qms/confirm")
        self.assertEqual(response.status_code, 400)
        self.assertIn("This complaint does not await your confirmation.", response.text)

    def test_customer_rejects_with_a_reason_and_it_reopens(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        before = self._state(self.ticket_a)
        response = self._post(f"/my/ticket/{self.ticket_a.id}/qms/reject", reason=" ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please tell us why", response.text)
        self.assertEqual(self._state(self.ticket_a), before)
        response = self._post(
            f"/my/ticket/{self.ticket_a.id}/qms/reject",
            reason="Still scratched",
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.qms_confirmation_state, "rejected")
        self.assertFalse(self.ticket_a.closed)
        rejected = self.ticket_a.message_ids.filtered(
            lambda m: "Still scratched" in (m.body or "")
        )
        self.assertEqual(rejected.author_id, self.portal_a.partner_id)

    def test_visitor_with_the_mailed_link_answers_with_the_token(self):
        token = self.ticket_a.access_token
        self.assertTrue(token)
        self.authenticate(None, None)
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("qms/confirm", page.text)
        response = self._post(
            f"/my/ticket/{self.ticket_a.id}/qms/confirm", access_token=token
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            response.headers["Location"].split("?")[0].rsplit("/", 2)[-2:],
            [str(self.ticket_a.id), token],
        )
        self.env.invalidate_all()
        self.assertEqual(self.ticket_a.qms_confirmation_state, "confirmed")
        confirmed = self.ticket_a.message_ids.filtered(
            lambda m: "confirmed the resolution" in (m.body or "")
        )
        self.assertEqual(confirmed.author_id, self.portal_a.partner_id)

    @mute_logger(*MUTED)
    def test_other_customers_ticket_or_wrong_token_is_not_found(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        before = self._state(self.ticket_b)
        missing = (
            self.env["helpdesk.ticket"].search([], order="id desc", limit=1).id + 99
        )
        for url, extra in (
            (f"/my/ticket/{self.ticket_b.id}/qms/confirm", {}),
            (f"/my/ticket/{self.ticket_b.id}/qms/reject", {"reason": "x"}),
            (f"/my/ticket/{self.ticket_b.id}/qms/confirm", {"access_token": "wrong"}),
            (
                f"/my/ticket/{self.ticket_b.id}/qms/confirm",
                {"access_token": self.ticket_a.access_token},
            ),
            (f"/my/ticket/{missing}/qms/confirm", {}),
        ):
            with self.subTest(url=url, extra=extra):
                response = self._post(url, **extra)
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self._state(self.ticket_b), before)
        # logged out: a wrong token is a 404 too
        self.logout()
        self.authenticate(None, None)
        response = self._post(
            f"/my/ticket/{self.ticket_b.id}/qms/confirm", access_token="0" * 36
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._state(self.ticket_b), before)

    @mute_logger(*MUTED)
    def test_answers_need_post_and_csrf(self):
        self.authenticate("qms_portal_a", "qms_portal_a")
        before = self._state(self.ticket_a)
        url = f"/my/ticket/{self.ticket_a.id}/qms/confirm"
        for method in ("GET", "HEAD"):
            with self.subTest(method=method):
                response = self.url_open(url, method=method, allow_redirects=False)
                self.assertEqual(response.status_code, 405)
        response = self._post(url, csrf_token="forged")
        self.assertIn(response.status_code, (400, 403))
        self.assertEqual(self._state(self.ticket_a), before)
