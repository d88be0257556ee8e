# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every list, report and dashboard of our menus opens for every role without
an access error (issue 18): for each role, each window action behind a menu
of our addons that the role sees is searched and grouped as the web client
does, with the role's rights; and the evidence pack is built by each role
that may build one."""

import base64
from datetime import timedelta

from qms_repo import addon_list

from odoo import Command, fields
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

from odoo.addons.qms_crm_survey.tests.common import QmsSurveyCommon

ADDONS = addon_list()


@tagged("post_install", "-at_install")
class TestDashboardsPerRole(QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company2 = cls.env["res.company"].create({"name": "Dashboards Second Co"})
        roles = {
            "salesman": cls.salesman,
            "sales_all": cls.salesman_all,
            "qms_user": cls.qms_user,
            "qms_manager": cls.qms_manager,
        }
        for name, groups, company in (
            ("helpdesk_own", "helpdesk_mgmt.group_helpdesk_user_own", None),
            ("helpdesk_all", "helpdesk_mgmt.group_helpdesk_user", None),
            ("dpo", "qms_crm_evidence.group_qms_dpo", None),
            (
                "company2",
                "qms_crm_evidence.group_qms_manager,qms_crm_evidence.group_qms_dpo",
                company2,
            ),
        ):
            company = company or cls.env.company
            roles[name] = new_test_user(
                cls.env,
                f"qms_dash_{name}",
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
        cls.roles = roles
        # something in every report: a complaint, an answer, a data request
        cls._complaint(cls.customer_a)
        cls._answer(cls.nps, cls.customer_a, {"nps": 4})
        cls.env["qms.data.request"].create(
            {"partner_id": cls.contact_a.id, "kind": "access"}
        )

    def _actions(self, user):
        """(menu, action) of the window actions behind our menus the user
        sees."""
        Menu = self.env["ir.ui.menu"].with_user(user)
        visible = Menu.browse(Menu._visible_menu_ids())
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.ui.menu"), ("module", "in", ADDONS)]
        )
        ours = visible.filtered(lambda m: m.id in set(data.mapped("res_id")))
        return [
            (menu, menu.action.sudo())
            for menu in ours
            if menu.action and menu.action._name == "ir.actions.act_window"
        ]

    def _eval(self, text, user):
        context = {
            "uid": user.id,
            "user": user,
            "time": time,
            "datetime": datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "context_today": lambda: datetime.datetime.now(),
            "allowed_company_ids": user.company_ids.ids,
            "current_company_id": user.company_id.id,
            "active_id": False,
            "active_ids": [],
        }
        return safe_eval(text or "{}", context)

    def test_every_menu_opens_for_every_role(self):
        opened, failures, skipped = 0, [], []
        for role, user in self.roles.items():
            actions = self._actions(user)
            if role in ("qms_user", "qms_manager", "dpo"):
                self.assertTrue(actions, f"{role} sees none of our menus")
            for menu, action in actions:
                try:
                    domain = self._eval(action.domain or "[]", user)
                    context = self._eval(action.context or "{}", user)
                except Exception as exc:  # noqa: BLE001 - not a plain domain
                    skipped.append(f"{menu.complete_name}: {exc!r}")
                    continue
                context = {
                    key: value
                    for key, value in context.items()
                    if not key.startswith(("search_default_", "default_"))
                }
                Model = (
                    self.env[action.res_model]
                    .with_user(user)
                    .with_context(**context)
                    .with_company(user.company_id)
                )
                try:
                    Model.web_search_read(domain, {"display_name": {}}, limit=80)
                    if "graph" in action.view_mode or "pivot" in action.view_mode:
                        Model._read_group(domain, [], ["__count"])
                    opened += 1
                except Exception as exc:  # noqa: BLE001 - reported below
                    failures.append(
                        f"{role}: {menu.complete_name} ({action.res_model}): {exc!r}"
                    )
        self.assertFalse(failures, "\n".join(failures))
        self.assertGreater(opened, 50, skipped[:5])

    def test_evidence_pack_for_every_role_that_builds_one(self):
        clauses = self.env["qms.clause"].search([("parent_id", "=", False)])
        today = fields.Date.context_today(self.env["qms.evidence.pack"])
        for role in ("qms_user", "qms_manager", "dpo", "company2"):
            with self.subTest(role=role):
                wizard = (
                    self.env["qms.evidence.pack"]
                    .with_user(self.roles[role])
                    .create(
                        {
                            "clause_ids": [Command.set(clauses.ids)],
                            "date_from": today - timedelta(days=2),
                            "date_to": today,
                            "include_attachments": False,
                        }
                    )
                )
                wizard.action_export()
                self.assertTrue(base64.b64decode(wizard.pack_file))
