# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Our addons install together under one "Quality CRM" app menu."""

from odoo.tests import TransactionCase, tagged

ADDON_MENUS = {
    "qms_crm": (
        "qms_crm_evidence.menu_qms_customers",
        "qms_crm_requirement.menu_qms_requirement",
    ),
    "qms_crm_survey": (
        "qms_crm_survey.menu_qms_satisfaction",
        "qms_crm_survey.menu_qms_satisfaction_surveys",
    ),
    "qms_crm_recall": (
        "qms_crm_recall.menu_qms_recall",
        "qms_crm_recall.menu_qms_recall_lots",
    ),
}


@tagged("post_install", "-at_install")
class TestInstallMenus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality_user = cls.env["res.users"].create(
            {
                "name": "Menu Quality User",
                "login": "qms_menu_user",
                "group_ids": [
                    (6, 0, [cls.env.ref("qms_crm_evidence.group_qms_user").id])
                ],
            }
        )
        cls.plain_user = cls.env["res.users"].create(
            {
                "name": "Menu Plain User",
                "login": "qms_menu_plain",
                "group_ids": [(6, 0, [cls.env.ref("base.group_user").id])],
            }
        )

    def test_all_three_addons_are_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", list(ADDON_MENUS))]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)

    def test_each_addon_menu_sits_under_quality_crm_and_quality_users_see_it(self):
        root = self.env.ref("qms_crm_evidence.menu_qms_root")
        visible = (
            self.env["ir.ui.menu"].with_user(self.quality_user)._visible_menu_ids()
        )
        self.assertIn(root.id, visible)
        for addon, (section_xmlid, entry_xmlid) in ADDON_MENUS.items():
            section = self.env.ref(section_xmlid)
            entry = self.env.ref(entry_xmlid)
            self.assertEqual(section.parent_id, root, addon)
            self.assertIn(section.id, visible, addon)
            self.assertIn(entry.id, visible, addon)

    def test_employees_without_quality_or_sales_rights_do_not_see_the_app(self):
        visible = self.env["ir.ui.menu"].with_user(self.plain_user)._visible_menu_ids()
        self.assertNotIn(self.env.ref("qms_crm_evidence.menu_qms_root").id, visible)


@tagged("post_install", "-at_install")
class TestRecallMrpBridge(TransactionCase):
    def test_the_recall_mrp_bridge_is_installed_with_mrp(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("mrp", "qms_crm_recall_mrp"))]
        )
        self.assertEqual(
            dict(zip(modules.mapped("name"), modules.mapped("state"), strict=True)),
            {"mrp": "installed", "qms_crm_recall_mrp": "installed"},
        )
