# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One "Quality CRM" block in Settings holds every switch of our addons, each
with help text, and a fresh database works without touching it."""

from lxml import etree
from qms_repo import addon_list

from odoo.tests import TransactionCase, tagged

ADDONS = addon_list()  # our addons, discovered (tests/qms_repo.py)

# what the code uses when nobody opened Settings
DEFAULTS = {
    "qms_gate_mode": "block",
    "qms_confirmation_days": 30,
    "qms_risk_review_days": 90,
    "qms_complaint_followup_days": 14,
    "qms_alert_feedback_days": 3,
    "qms_dsr_response_months": 1,
    "qms_dsr_extension_months": 2,
    "qms_invoice_retention_years": 5,
    "qms_survey_fatigue_days": 30,
    "qms_survey_reminder_days": 5,
    "qms_recall_remind_days": 7,
    "qms_recall_notice_batch": 50,
}


@tagged("post_install", "-at_install")
class TestQualityCrmSettings(TransactionCase):
    def _our_setting_fields(self):
        Settings = self.env["res.config.settings"]
        return {
            name: field
            for name, field in Settings._fields.items()
            if field._module in ADDONS
        }

    def test_every_switch_sits_in_the_quality_crm_block_with_help(self):
        arch = self.env["res.config.settings"].get_view(view_type="form")["arch"]
        doc = etree.fromstring(arch)
        apps = doc.xpath("//app[@name='qms_crm']")
        self.assertEqual(len(apps), 1, "one Quality CRM app block")
        self.assertEqual(apps[0].get("string"), "Quality CRM")
        problems = []
        for name in self._our_setting_fields():
            nodes = apps[0].xpath(f".//field[@name='{name}']")
            if not nodes:
                problems.append(f"{name}: not in the Quality CRM block")
                continue
            setting = nodes[0].xpath("ancestor::setting")
            if not setting or not (setting[0].get("help") or "").strip():
                problems.append(f"{name}: no help text")
        self.assertFalse(problems, "\n".join(problems))
        outside = [
            node.get("name")
            for node in doc.xpath("//field[starts-with(@name, 'qms_')]")
            if node.xpath("ancestor::app/@name") != ["qms_crm"]
        ]
        self.assertFalse(outside, "Quality CRM settings outside its block")

    def test_fresh_database_defaults_without_opening_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        params.search(
            [
                "|",
                "|",
                ("key", "=like", "qms_crm.%"),
                ("key", "=like", "qms_crm_survey.%"),
                ("key", "=like", "qms_crm_recall.%"),
            ]
        ).unlink()
        ours = self._our_setting_fields()
        self.assertLessEqual(set(DEFAULTS), set(ours))
        settings = self.env["res.config.settings"].create({})
        for name, value in DEFAULTS.items():
            self.assertEqual(settings[name], value, name)
        # what the models read when nothing is stored
        self.assertEqual(self.env["sale.order"]._qms_gate_mode(), "block")
        self.assertEqual(self.env["qms.recall.line"]._qms_notice_batch_size(), 50)
        self.assertEqual(
            self.env["qms.recall.campaign"].default_get(["remind_days"]),
            {"remind_days": 7},
        )
        self.assertEqual(
            self.env["qms.survey.invitation"]._qms_param_int("fatigue_days", 30), 30
        )
        # complaint targets are seeded, so a new complaint gets deadlines at once
        self.assertTrue(
            self.env["qms.complaint.target"].search_count(
                [("team_id", "=", False), ("severity", "=", "medium")]
            )
        )
        # saving the untouched form keeps the defaults
        settings.execute()
        self.assertEqual(params.get_param("qms_crm.gate_mode"), "block")
        self.assertEqual(params.get_param("qms_crm_recall.notice_batch"), "50")

    def test_recall_settings_drive_new_campaigns_and_the_sending_job(self):
        settings = self.env["res.config.settings"].create(
            {"qms_recall_remind_days": 10, "qms_recall_notice_batch": 5}
        )
        settings.execute()
        self.assertEqual(
            self.env["qms.recall.campaign"].default_get(["remind_days"]),
            {"remind_days": 10},
        )
        self.assertEqual(self.env["qms.recall.line"]._qms_notice_batch_size(), 5)
        cron = self.env.ref("qms_crm_recall.ir_cron_qms_recall_send_notices")
        self.assertNotIn("batch_size", cron.code)

    def test_settings_links_open_targets_and_root_causes(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            settings.action_qms_complaint_targets()["res_model"],
            "qms.complaint.target",
        )
        self.assertEqual(
            settings.action_qms_complaint_root_causes()["res_model"],
            "qms.complaint.root.cause",
        )
