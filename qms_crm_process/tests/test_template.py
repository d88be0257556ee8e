# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import QmsProcessCommon


@tagged("post_install", "-at_install")
class TestProcessTemplate(QmsProcessCommon):
    def test_apply_creates_the_stages_and_one_standard_automation(self):
        self.assertEqual(
            self.stages.mapped("name"),
            self.template.stage_ids.mapped("name"),
        )
        self.assertTrue(self.stages.filtered("is_won"))
        automation = self.team.qms_process_automation_id
        self.assertTrue(automation.active)
        self.assertEqual(automation.model_id.model, "crm.lead")
        self.assertEqual(automation.trigger_field_ids.name, "stage_id")
        self.assertIn(str(self.team.id), automation.filter_domain)
        self.assertEqual(self.team.qms_process_template_id, self.template)
        # the communication rule of the installation stage is switched on
        rule = self.env.ref("qms_crm_process.qms_communication_rule_visit_planned")
        self.assertTrue(rule.active)
        self.assertTrue(rule.automation_id.active)

    def test_applying_again_updates_the_same_stages(self):
        tstage = self.template.stage_ids[0]
        tstage.name = "First Call Back"
        self.team.action_qms_apply_process()
        stages = self.env["crm.stage"].search([("team_ids", "in", self.team.ids)])
        self.assertEqual(stages, self.stages)
        self.assertEqual(self.stages[0].name, "First Call Back")
        automations = self.env["base.automation"].search(
            [("name", "=", f"Process template: {self.team.name}")]
        )
        self.assertEqual(len(automations), 1)

    def test_new_lead_lands_in_the_first_stage_with_its_first_task(self):
        lead = self._lead()
        self.assertEqual(lead.stage_id, self.stages[0])
        task = self._tasks(lead)
        self.assertEqual(task.qms_process_task_id, self.task_call)
        self.assertEqual(task.user_id, self.salesman)
        self.assertEqual(
            task.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertIn("Agree the date", task.note)

    def test_each_stage_creates_its_tasks_for_the_role(self):
        lead = self._lead()
        self._tasks(lead).action_feedback("Called")
        lead.stage_id = self._stage("Measurements")
        task = self._tasks(lead)
        self.assertEqual(task.qms_process_task_id, self.task_measure)
        self.assertEqual(task.user_id, self.measurer)

    def test_remove_keeps_stages_leads_and_history(self):
        lead = self._lead()
        task = self._tasks(lead)
        automation = self.team.qms_process_automation_id
        self.team.action_qms_remove_process()
        self.assertFalse(self.team.qms_process_template_id)
        self.assertFalse(automation.active)
        self.assertTrue(automation.exists())
        self.assertTrue(self.stages.exists())
        self.assertEqual(lead.stage_id, self.stages[0])
        self.assertTrue(task.exists())
        # no gate any more and no new tasks
        lead.stage_id = self._stage("Payment")
        self.assertEqual(self._tasks(lead), task)
        self.assertFalse(lead.qms_gate_missing)
        # the rule stays on only while another team's template uses it
        others = self.env["crm.team"].search(
            [("qms_process_template_id", "=", self.template.id)]
        )
        self.assertEqual(
            self.env.ref("qms_crm_process.qms_communication_rule_visit_planned").active,
            bool(others),
        )
        others.action_qms_remove_process()
        self.team.qms_process_template_id = self.template
        self.team.action_qms_remove_process()
        self.assertFalse(
            self.env.ref("qms_crm_process.qms_communication_rule_visit_planned").active
        )

    def test_other_teams_are_untouched(self):
        other = self.env["crm.team"].create({"name": "Other team"})
        lead = self._lead(team_id=other.id)
        self.assertFalse(self._tasks(lead))
