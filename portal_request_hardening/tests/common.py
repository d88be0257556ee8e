# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two customers with portal users, their tickets and sale orders.

Addons whose tests build their own customers (and portal users named
``portal_a``/``portal_b``, a ``salesman2`` and a ``product``) reuse the
helpdesk and sale fixtures by overriding ``_setup_hardening_customers``.
"""

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user

MUTED = (
    "odoo.http",
    "odoo.addons.http_routing.models.ir_http",
    "odoo.addons.portal_request_hardening.models.ir_http",
)
SCRIPT = "<script>alert('prh')</script>"


class PortalHardeningCommon(HttpCase):
    """Tickets and orders of two customers, helpdesk teams and stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_hardening_customers()
        cls.company = cls.env.company
        cls.company.write(
            {
                "helpdesk_mgmt_portal_select_team": True,
                "helpdesk_mgmt_portal_team_id_required": False,
                "helpdesk_mgmt_portal_select_category": True,
                "helpdesk_mgmt_portal_category_id_required": False,
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "PRH Support", "show_in_portal": True}
        )
        cls.team_other = cls.env["helpdesk.ticket.team"].create(
            {"name": "PRH Back Office", "show_in_portal": True}
        )
        cls.team_hidden = cls.env["helpdesk.ticket.team"].create(
            {"name": "PRH Internal Team", "show_in_portal": False}
        )
        cls.category = cls.env["helpdesk.ticket.category"].create(
            {"name": "PRH Delivery", "show_in_portal": True}
        )
        cls.category_hidden = cls.env["helpdesk.ticket.category"].create(
            {"name": "PRH Internal Category", "show_in_portal": False}
        )
        ref = cls.env.ref
        cls.stage_new = ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.stage_rejected = ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        # a customer-closable stage of another team only
        cls.stage_other_team = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "Solved by back office",
                "closed": True,
                "close_from_portal": True,
                "team_ids": [Command.set(cls.team_other.ids)],
            }
        )
        cls.ticket_a = cls._ticket(cls.portal_a, "Alpha pump leaks")
        cls.ticket_b = cls._ticket(cls.portal_b, "Beta secret valve issue")
        cls.order_a = cls._hardening_order(cls.customer_a, cls.product)
        cls.product_b = cls.env["product.product"].create(
            {"name": "PRH Beta-only gadget", "type": "consu", "list_price": 5.0}
        )
        cls.order_b = cls._hardening_order(
            cls.customer_b, cls.product_b, user=cls.salesman2
        )
        cls.order_a.action_confirm()
        cls.order_b.action_confirm()
        cls.order_a._portal_ensure_token()
        cls.order_b._portal_ensure_token()
        cls.ticket_a._portal_ensure_token()
        cls.ticket_b._portal_ensure_token()

    @classmethod
    def _setup_hardening_customers(cls):
        """Customers A and B, a portal user of each, their salespeople, a product."""
        cls.salesman = new_test_user(
            cls.env,
            "prh_salesman",
            groups="sales_team.group_sale_salesman",
            name="Sam Salesman",
        )
        cls.salesman2 = new_test_user(
            cls.env,
            "prh_salesman2",
            groups="sales_team.group_sale_salesman",
            name="Sue Salesman",
        )
        cls.customer_a = cls.env["res.partner"].create(
            {"name": "Alpha Customer", "is_company": True, "email": "alpha@example.com"}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Beta Customer", "is_company": True, "email": "beta@example.com"}
        )
        cls.portal_a = new_test_user(
            cls.env,
            "prh_portal_a",
            groups="base.group_portal",
            name="Alice Portal",
            email="alice.portal@example.com",
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b = new_test_user(
            cls.env,
            "prh_portal_b",
            groups="base.group_portal",
            name="Bob Portal",
            email="bob.portal@example.com",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.product = cls.env["product.product"].create(
            {"name": "PRH Test Widget", "type": "consu", "list_price": 10.0}
        )

    @classmethod
    def _ticket(cls, user, name, **vals):
        return cls.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": name,
                    "description": f"<p>{name}: details</p>",
                    "partner_id": user.partner_id.id,
                    "team_id": cls.team.id,
                    "stage_id": cls.stage_new.id,
                },
                **vals,
            )
        )

    @classmethod
    def _hardening_order(cls, partner, product, user=None):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.salesman).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 3})
                ],
            }
        )

    # ------------------------------------------------------------------
    def _csrf(self):
        return http.Request.csrf_token(self)

    def _login(self, user):
        """Log in as ``user`` (new_test_user: the password is the login), or
        as a visitor for None."""
        login = user.login if user else None
        self.authenticate(login, login)

    def _login_a(self):
        self._login(self.portal_a)

    def _state(self, ticket):
        """What a refused request must not change: stage and messages."""
        self.env.invalidate_all()
        return ticket.stage_id, ticket.closed_date, len(ticket.message_ids)

    def _post_multipart(self, url, fields, files):
        """POST a multipart form with file names sent byte for byte.

        requests percent-encodes control characters of file names (HTML5
        style): a hostile client does not.
        """
        boundary = "prhBoundary7MA4YWxkTrZu0gW"
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                f"\r\n\r\n{value}\r\n".encode()
            )
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.url_open(
            url,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            allow_redirects=False,
        )

    def _tickets_named(self, name):
        self.env.invalidate_all()
        return self.env["helpdesk.ticket"].search([("name", "ilike", name)])
