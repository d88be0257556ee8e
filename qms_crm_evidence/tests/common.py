# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import sys
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger
from odoo.tools.func import reset_cached_properties

# a day that is never UTC's, nor each other's: UTC+14 is already tomorrow from
# 10:00 UTC, UTC-11 still yesterday until 11:00 UTC, and they are 25 hours apart
FAR_EAST = "Pacific/Kiritimati"
FAR_WEST = "Pacific/Pago_Pago"


def qms_in_far_time_zones(cls):
    """Class decorator for the tests whose result depends on the day: they run
    twice in the same run, whatever the hour. In ``cls`` the admin and OdooBot
    (who runs the crons and ``self.env``) live in UTC+14 and every other user
    (the test users) in UTC-11; in the twin ``<cls>AdminFarWest``, added to
    the same module (both runners find it there), the other way round. The
    time zones are set in ``setUpClass`` before the fixtures are made and go
    with the class's transaction. Put it under ``@tagged``."""
    assert issubclass(cls, QmsCrmCommon), cls
    cls._qms_time_zones = (FAR_EAST, FAR_WEST)
    name = f"{cls.__name__}AdminFarWest"
    twin = type(cls)(
        name,
        (cls,),
        {
            "__module__": cls.__module__,
            "__qualname__": name,
            "__doc__": f"{cls.__name__} with the admin in {FAR_WEST} and the "
            f"users in {FAR_EAST}.",
            "_qms_time_zones": (FAR_WEST, FAR_EAST),
            # Odoo's runner skips inherited test methods without it
            "allow_inherited_tests_method": True,
        },
    )
    setattr(sys.modules[cls.__module__], name, twin)
    return cls


class QmsCrmCommon(TransactionCase):
    """Users per group and reusable customers (and, in the addons built on
    Sales, a product and ``_order()``): the base of every Quality CRM test."""

    # (admin and OdooBot's time zone, other users' time zone) for the class,
    # see qms_in_far_time_zones; None: the database's
    _qms_time_zones = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        company = cls.env.company
        cls.salesman = new_test_user(
            cls.env,
            "qms_salesman",
            groups="sales_team.group_sale_salesman",
            name="Sam Salesman",
            email="sam@example.com",
            company_id=company.id,
        )
        cls.salesman2 = new_test_user(
            cls.env,
            "qms_salesman2",
            groups="sales_team.group_sale_salesman",
            name="Sue Salesman",
            email="sue@example.com",
            company_id=company.id,
        )
        cls.salesman_all = new_test_user(
            cls.env,
            "qms_salesman_all",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Ann All-Documents",
            email="ann@example.com",
            company_id=company.id,
        )
        cls.qms_user = new_test_user(
            cls.env,
            "qms_quality",
            groups="qms_crm_evidence.group_qms_user",
            name="Quinn Quality",
            email="quinn@example.com",
            company_id=company.id,
        )
        cls.qms_manager = new_test_user(
            cls.env,
            "qms_manager",
            groups="qms_crm_evidence.group_qms_manager,sales_team.group_sale_salesman_all_leads",
            name="Max Manager",
            email="max@example.com",
            company_id=company.id,
        )
        cls.employee = new_test_user(
            cls.env,
            "qms_employee",
            groups="base.group_user",
            name="Eve Employee",
            email="eve@example.com",
            company_id=company.id,
        )
        cls.customer_a = cls.env["res.partner"].create(
            {
                "name": "Alpha Customer",
                "is_company": True,
                "email": "alpha@example.com",
                "user_id": cls.salesman.id,
            }
        )
        cls.contact_a = cls.env["res.partner"].create(
            {
                "name": "Alice Alpha",
                "parent_id": cls.customer_a.id,
                "email": "alice@example.com",
            }
        )
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Beta Customer",
                "is_company": True,
                "email": "beta@example.com",
                "user_id": cls.salesman2.id,
            }
        )
        cls.portal_a = new_test_user(
            cls.env,
            "qms_portal_a",
            groups="base.group_portal",
            name="Alice Portal",
            email="alice.portal@example.com",
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b = new_test_user(
            cls.env,
            "qms_portal_b",
            groups="base.group_portal",
            name="Bob Portal",
            email="bob.portal@example.com",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        # addons built on Sales (all but qms_crm_evidence itself) sell this
        if "product.product" in cls.env:
            cls.product = cls.env["product.product"].create(
                {"name": "QMS Test Widget", "type": "consu", "list_price": 10.0}
            )
        cls._qms_apply_time_zones()

    @classmethod
    def _qms_apply_time_zones(cls):
        if not cls._qms_time_zones:
            return
        admin_tz, users_tz = cls._qms_time_zones
        Users = cls.env["res.users"].with_context(active_test=False)
        admins = Users.browse(SUPERUSER_ID) | cls.env.ref("base.user_admin")
        admins.partner_id.write({"tz": admin_tz})
        Users.search([("id", "not in", admins.ids)]).partner_id.write({"tz": users_tz})
        # and the users (partners) the fixtures of subclasses make next
        cls.startClassPatcher(
            patch.object(
                cls.env["res.partner"]._fields["tz"], "default", lambda _m: users_tz
            )
        )
        cls.env.flush_all()
        # env.tz is cached per environment, and the session context per user
        for env in cls.env.transaction.envs:
            reset_cached_properties(env)
        cls.env.registry.clear_cache()

    # ------------------------------------------------------------------
    @classmethod
    def _order(cls, partner=None, user=None, **vals):
        partner = partner or cls.customer_a
        return cls.env["sale.order"].create(
            dict(
                {
                    "partner_id": partner.id,
                    "user_id": (user or cls.salesman).id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_uom_qty": 3}
                        )
                    ],
                },
                **vals,
            )
        )


class QmsJsonRpcMixin:
    """For ``HttpCase`` tests: call the ORM as a real logged-in user through
    JSON-RPC (``/web/dataset/call_kw``), the path a client takes, and expect
    a refusal. Used by the forgery tests of every addon."""

    # the errors a refused call may raise (a test class may narrow them)
    _qms_refused_errors = r"AccessError|UserError"

    def _rpc(self, login, model, method, args, context=None, **kwargs):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": dict(kwargs, context=context or {}),
            },
        )

    def _refused(self, login, model, method, args, context=None, **kwargs):
        """The call is refused (and the test's cache forgets what it read)."""
        with (
            mute_logger("odoo.http"),
            self.assertRaisesRegex(JsonRpcException, self._qms_refused_errors),
        ):
            self._rpc(login, model, method, args, context, **kwargs)
        self.env.invalidate_all()
