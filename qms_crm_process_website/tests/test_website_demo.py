# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo's contact form team: set when the process demo team exists, left
alone (and no error) in a database whose process demo ran before the team had
its xml id."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from odoo.addons.qms_crm_process_website.models.website import DEMO_TEAM_XMLID


@tagged("post_install", "-at_install")
class TestWebsiteDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = cls.env["res.users"].create(
            {"name": "Demo Leader", "login": "qms_web_demo_leader"}
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "QMS Web Demo Team",
                "user_id": cls.leader.id,
                "company_id": cls.env.company.id,
            }
        )
        cls.before = cls.env["crm.team"].create({"name": "QMS Web Team Before"})
        cls.websites = cls.env["website"].search(
            [("company_id", "=", cls.team.company_id.id)]
        )
        assert cls.websites, "no website of the test team's company"

    def _name_demo_team(self, team):
        self.env["ir.model.data"].search(
            [("module", "=", "qms_crm_process"), ("name", "=", "qms_process_demo_team")]
        ).unlink()
        if team:
            self.env["ir.model.data"]._update_xmlids(
                [{"xml_id": DEMO_TEAM_XMLID, "record": team, "noupdate": True}]
            )
        self.env.registry.clear_cache()

    def _load_demo_file(self):
        """Load demo/website_demo.xml as an install with demo data does."""
        convert_file(
            self.env,
            "qms_crm_process_website",
            "demo/website_demo.xml",
            {},
            mode="init",
            noupdate=True,
        )

    def test_demo_contact_form_goes_to_the_process_demo_team(self):
        # what make test's demo database holds
        demo_team = self.env.ref(DEMO_TEAM_XMLID)
        self.assertEqual(demo_team.name, "Windows & Installation")
        self.assertTrue(demo_team.qms_process_template_id)
        website = self.env.ref("website.default_website")
        self.assertEqual(website.crm_default_team_id, demo_team)
        self.assertEqual(website.crm_default_user_id, demo_team.user_id)

    def test_demo_function_sets_the_team_when_it_exists(self):
        self._name_demo_team(self.team)
        self.websites.write({"crm_default_team_id": self.before.id})
        self._load_demo_file()
        for website in self.websites:
            self.assertEqual(website.crm_default_team_id, self.team)
            self.assertEqual(website.crm_default_user_id, self.leader)

    def test_demo_function_without_the_xml_id_changes_nothing(self):
        # an upgraded database: qms_crm_process's demo ran before the team
        # was given its xml id
        self._name_demo_team(None)
        self.assertFalse(self.env.ref(DEMO_TEAM_XMLID, raise_if_not_found=False))
        self.websites.write(
            {"crm_default_team_id": self.before.id, "crm_default_user_id": False}
        )
        # the install goes on: the file loads without "External ID not found"
        self._load_demo_file()
        self.assertFalse(self.env["website"]._qms_process_website_demo())
        for website in self.websites:
            self.assertEqual(website.crm_default_team_id, self.before)
            self.assertFalse(website.crm_default_user_id)
