# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A newcomer's first hour: every list explains how its records arrive, every
evidence form shows the clauses of the standard it serves, every menu leads
somewhere."""

from lxml import etree
from qms_repo import addon_list

from odoo.tests import TransactionCase, tagged

ADDONS = addon_list()  # our addons, discovered (tests/qms_repo.py)
LIST_VIEWS = {"list", "kanban", "pivot", "graph", "calendar", "activity"}


@tagged("post_install", "-at_install")
class TestOnboarding(TransactionCase):
    def _our_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", model)]
        )
        return {f"{d.module}.{d.name}": self.env[model].browse(d.res_id) for d in data}

    def test_every_list_action_has_empty_state_help(self):
        missing = []
        for xmlid, action in self._our_records("ir.actions.act_window").items():
            if not set((action.view_mode or "").split(",")) & LIST_VIEWS:
                continue
            help_html = str(action.help or "")
            if "o_view_nocontent_" not in help_html:
                missing.append(f"{xmlid}: no empty-state title")
                continue
            doc = etree.fromstring(f"<div>{help_html}</div>", etree.HTMLParser())
            paragraphs = [
                " ".join(p.itertext()).strip() for p in doc.iter("p") if p.itertext()
            ]
            if len([p for p in paragraphs if p]) < 2:
                missing.append(f"{xmlid}: no sentence on how records arrive")
        self.assertFalse(missing, "\n".join(missing))

    def test_every_evidence_form_shows_its_clauses(self):
        missing = []
        registry = self.env.registry
        for name in registry.descendants(["qms.evidence.mixin"], "_inherit"):
            if registry[name]._abstract or not registry[name]._auto:
                continue
            arch = self.env[name].get_view(view_type="form")["arch"]
            doc = etree.fromstring(arch)
            fields = doc.xpath("//field[@name='qms_clause_ids']")
            visible = [
                f
                for f in fields
                if f.get("invisible") not in ("1", "True", "true")
                and not f.xpath("ancestor::*[@invisible='1' or @invisible='True']")
            ]
            if not visible:
                missing.append(name)
        self.assertFalse(missing, "forms without clause tags: %s" % missing)

    def test_every_menu_of_ours_leads_somewhere(self):
        empty = []
        for xmlid, menu in self._our_records("ir.ui.menu").items():
            if not menu.action and not menu.child_id:
                empty.append(xmlid)
        self.assertFalse(empty, "menus without action or submenus: %s" % empty)

    def test_seeded_surveys_have_a_person_responsible(self):
        surveys = self.env["survey.survey"].search([("qms_survey_kind", "!=", False)])
        self.assertTrue(surveys)
        self.assertNotIn(self.env.ref("base.user_root"), surveys.user_id)

    def test_coverage_wizard_opens_on_its_button_not_a_date_picker(self):
        arch = self.env["qms.clause.coverage"].get_view(view_type="form")["arch"]
        doc = etree.fromstring(arch)
        self.assertTrue(doc.xpath("//button[@name='action_open'][@default_focus='1']"))

    def test_demo_recall_campaigns_have_a_person_responsible(self):
        campaigns = self.env["qms.recall.campaign"].search([])
        self.assertNotIn(self.env.ref("base.user_root"), campaigns.user_id)

    def test_complaint_page_names_its_clauses(self):
        arch = self.env["helpdesk.ticket"].get_view(view_type="form")["arch"]
        doc = etree.fromstring(arch)
        hint = doc.xpath(
            "//page[@name='qms_complaint']//div[@name='qms_complaint_clauses']"
        )
        self.assertTrue(hint)
        self.assertIn("8.2.1 c)", "".join(hint[0].itertext()))
