# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Hostile portal requests against the routes of our addons, over HTTP.

The generic hardening of helpdesk_mgmt's and sale's portal (closing and
submitting tickets, listing pages, NUL bytes, tokens) is tested in
portal_request_hardening, with the same fixtures (``QmsPortalHardeningCase``
builds them on our customers and portal users). Here: every state-changing
route of ours is POST-only with CSRF, OPTIONS never runs one, and the order
and product a ticket form sends are ones of this customer.
"""

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.portal_request_hardening.tests.common import PortalHardeningCommon
from odoo.addons.qms_crm_requirement.tests.common import QmsRequirementCommon

MUTED = (
    "odoo.http",
    "odoo.addons.http_routing.models.ir_http",
    "odoo.addons.portal_request_hardening.models.ir_http",
)


class QmsPortalHardeningCase(PortalHardeningCommon, QmsRequirementCommon):
    """Tickets and orders of two customers, helpdesk teams and stages."""

    @classmethod
    def _setup_hardening_customers(cls):
        """QmsCrmCommon has made the customers, portal users and products."""


@tagged("post_install", "-at_install")
class TestQmsRouteHardening(QmsPortalHardeningCase):
    @mute_logger(*MUTED)
    def test_options_never_runs_a_post_only_route(self):
        """Odoo adds OPTIONS (a "safe" method, no CSRF check) to every route
        that declares its methods, for CORS preflights."""
        req = self._requirement(self.customer_a, documented=False, source="call")
        req.with_user(self.salesman).action_send_confirmation()
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/qms/requirements/{req.id}/answer",
            params={
                "access_token": req.access_token,
                "decision": "confirmed",
                "text_hash": req.text_hash,
            },
            method="OPTIONS",
        )
        self.assertEqual(response.status_code, 405)
        self.env.invalidate_all()
        self.assertEqual(req.confirmation_state, "pending")

    def test_state_changing_routes_of_ours_are_post_only_with_csrf(self):
        """Every route of our addons that accepts GET is a read-only page.

        A route that confirms, acknowledges or closes something must be declared
        ``methods=["POST"]`` without ``csrf=False``; a new read-only page is added
        to ``read_only`` below.
        """
        read_only = {
            "/my/qms/requirements",
            "/my/qms/requirements/page/<int:page>",
            "/my/qms/requirements/<int:requirement_id>",
            # customer property register (issue 5)
            "/my/qms/property",
            "/my/qms/property/page/<int:page>",
            "/my/qms/property/<int:property_id>",
            "/my/qms/property/incident/<int:incident_id>",
            "/my/recall/<int:line_id>",
            # acceptance acts (qms_crm_process)
            "/my/qms/acceptance",
            "/my/qms/acceptance/page/<int:page>",
            "/my/qms/acceptance/<int:act_id>",
        }
        ours = []
        IrHttp = self.env["ir.http"]
        rules = IrHttp._generate_routing_rules(
            sorted(self.env.registry._init_modules), IrHttp._get_converters()
        )
        for url, endpoint in rules:
            module = getattr(endpoint, "__module__", "") or ""
            if not module.startswith("odoo.addons.qms_crm"):
                continue
            ours.append(url)
            if url in read_only:
                continue
            with self.subTest(route=url):
                self.assertEqual(endpoint.routing.get("methods"), ["POST"])
                self.assertIsNot(endpoint.routing.get("csrf"), False)
        for route in (
            "/my/qms/requirements/<int:requirement_id>/answer",
            "/my/ticket/<int:ticket_id>/qms/confirm",
            "/my/ticket/<int:ticket_id>/qms/reject",
        ):
            self.assertIn(route, ours)


@tagged("post_install", "-at_install")
class TestTicketFormOrderProduct(QmsPortalHardeningCase):
    def test_order_or_product_the_customer_may_not_use_shows_the_form_again(self):
        self._login_a()
        cases = [
            ("product_id", "abc", "The selected product is not available."),
            # a product only the other customer ordered
            (
                "product_id",
                str(self.product_b.id),
                "The selected product is not available.",
            ),
            ("sale_order_id", "x1", "The selected order is not available."),
            (
                "sale_order_id",
                str(self.order_b.id),
                "The selected order is not available.",
            ),
        ]
        subject = "QMS probe subject"
        for name, value, message in cases:
            with self.subTest(name=name, value=value):
                response = self.url_open(
                    "/submitted/ticket",
                    data={
                        "csrf_token": self._csrf(),
                        "subject": subject,
                        "description": "Something is wrong.",
                        name: value,
                    },
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 400, response.text[:300])
                self.assertIn(message, response.text)
                self.assertIn("Your ticket was not sent.", response.text)
                # the form is shown again, with what the customer typed
                tree = html.fromstring(response.content)
                self.assertEqual(
                    tree.xpath("//input[@name='subject']/@value"), [subject]
                )
        self.assertFalse(self._tickets_named(subject))
