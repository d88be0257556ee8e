# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A visitor's request through website_crm's contact form, over real HTTP."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.qms_crm_process.tests.common import QmsProcessCommon


@tagged("post_install", "-at_install")
class TestWebsiteLead(HttpCase, QmsProcessCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.websites = cls.env["website"].search([])
        cls.other_team = cls.env["crm.team"].create(
            {"name": "QMS Web Plain Team", "user_id": cls.leader.id}
        )

    def _post_contact_form(self, team, default_team=None, **values):
        """The visitor sends the contact form (as its page does: the form of
        /contactus posts to /website/form/crm.lead) and it lands in ``team``,
        the website's default team unless the form names it. Return the
        lead created."""
        self.websites.write(
            {
                "crm_default_team_id": (default_team or team).id,
                "crm_default_user_id": False,
            }
        )
        self.authenticate(None, None)
        response = self.url_open(
            "/website/form/crm.lead",
            data=dict(
                {
                    "contact_name": "Wendy Visitor",
                    "email_from": "wendy.visitor@example.com",
                    "phone": "+1 555 0100",
                    "partner_name": "Wendy's Bakery",
                    "name": "Two windows for the shop",
                    "description": "Please call me about two shop windows.",
                },
                **values,
            ),
        )
        self.assertEqual(response.status_code, 200, response.text[:2000])
        answer = json.loads(response.text)
        self.assertIn("id", answer, answer)
        lead = self.env["crm.lead"].browse(answer["id"])
        self.assertTrue(lead.exists())
        self.assertEqual(lead.contact_name, "Wendy Visitor")
        self.assertEqual(lead.team_id, team)
        return lead

    def test_web_request_lands_in_the_first_stage_with_its_first_task(self):
        lead = self._post_contact_form(self.team)
        # the same as a lead created in the team from the backend
        backend = self._lead()
        self.assertEqual(backend.stage_id, self.stages[0])
        self.assertEqual(lead.stage_id, self.stages[0])
        self.assertEqual(lead.stage_id.qms_process_stage_id, self.template.stage_ids[0])
        task = self._tasks(lead)
        self.assertEqual(len(task), 1, task.mapped("summary"))
        self.assertEqual(task.qms_process_task_id, self.task_call)
        self.assertEqual(
            task.qms_process_task_id, self._tasks(backend).qms_process_task_id
        )
        # the template step's role holder, its activity type and checklist,
        # a deadline counted in the team's calendar
        self.assertEqual(task.user_id, self.salesman)
        self.assertEqual(
            task.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertIn("Agree the date", task.note)
        self.assertTrue(task.qms_deadline_at)

    def test_team_chosen_in_the_form_editor_gets_the_same(self):
        # the form's "Sales Team" option (website_crm's form editor) is sent
        # with the request as team_id
        lead = self._post_contact_form(
            self.team, default_team=self.other_team, team_id=str(self.team.id)
        )
        self.assertEqual(lead.stage_id, self.stages[0])
        self.assertEqual(self._tasks(lead).qms_process_task_id, self.task_call)

    def test_web_request_to_a_team_without_template_is_stock(self):
        lead = self._post_contact_form(self.other_team)
        # website_crm's and crm's own behaviour: the team's first unfolded
        # stage as crm finds it, no task
        self.assertEqual(
            lead.stage_id,
            self.env["crm.lead"]._stage_find(
                team_id=self.other_team.id, domain=[("fold", "=", False)]
            ),
        )
        self.assertFalse(lead.stage_id.qms_process_stage_id)
        self.assertFalse(self._tasks(lead))
        self.assertFalse(self._tasks(lead, active=False))
