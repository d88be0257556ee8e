# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access leaks of issue 18, each tried as the role would (real users,
``with_user``): every test here failed before the record rules and field
groups of that issue.

- salespeople without "All Documents" read other customers' compensation
  lines, property, property incidents, recall campaigns, focus groups and
  satisfaction figures on contacts;
- a helpdesk user limited to their own tickets read every team's and
  company's complaints in the complaint analysis;
- a quality user who is not a data protection officer saw data subject
  requests, with the person's name, in the evidence index, and could not
  build an evidence pack when one fell in the period;
- portal users read internal labels (ABC class...) of their own company.
"""

import base64
import io
import zipfile
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.qms_crm_recall.tests.common import QmsRecallCommon
from odoo.addons.qms_crm_survey.tests.common import QmsSurveyCommon


@tagged("post_install", "-at_install")
class TestAccessLeaks(QmsRecallCommon, QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env,
            "qms_leak_dpo",
            groups="qms_crm_evidence.group_qms_dpo",
            name="Dora Data-Officer",
        )
        cls.company2 = cls.env["res.company"].create({"name": "QMS Second Company"})
        # complaints of two teams and of a second company
        cls.team_a, cls.team_b = cls.env["helpdesk.ticket.team"].create(
            [{"name": "Leak team A"}, {"name": "Leak team B"}]
        )
        cls.team_c = cls.env["helpdesk.ticket.team"].create(
            {"name": "Leak team C", "company_id": cls.company2.id}
        )
        cls.agent = new_test_user(
            cls.env,
            "qms_leak_agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Otto Own-Tickets",
        )
        cls.team_a.user_ids = [Command.link(cls.agent.id)]
        # the agent's own ticket, an unassigned one of another team, and one
        # assigned to the agent in a company they are not allowed in
        cls.ticket_a = cls._complaint(
            cls.customer_a, team_id=cls.team_a.id, user_id=cls.agent.id
        )
        cls.ticket_b = cls._complaint(
            cls.customer_b, team_id=cls.team_b.id, user_id=False
        )
        cls.ticket_c = cls._complaint(
            cls.customer_b,
            team_id=cls.team_c.id,
            company_id=cls.company2.id,
            user_id=cls.agent.id,
        )
        Line = cls.env["qms.compensation.line"]
        cls.comp_a, cls.comp_b = Line.create(
            [
                {
                    "ticket_id": ticket.id,
                    "kind": "discount",
                    "description": "Goodwill",
                    "amount": 10.0,
                }
                for ticket in (cls.ticket_a, cls.ticket_b)
            ]
        )
        # property and incidents of both customers
        Property = cls.env["qms.property"]
        cls.prop_a, cls.prop_b = Property.create(
            [
                {"name": f"Mould {p.name}", "partner_id": p.id, "kind": "equipment"}
                for p in (cls.customer_a, cls.customer_b)
            ]
        )
        cls.incident_a, cls.incident_b = cls.env["qms.property.incident"].create(
            [
                {"property_id": item.id, "kind": "damaged", "description": "Dented"}
                for item in (cls.prop_a, cls.prop_b)
            ]
        )
        # a recall campaign of each customer
        cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls._stock(cls.cable, 10)
        cls._deliver(cls.customer_b, [(cls.cable, False, 3)])
        cls.campaign_a = cls._campaign(lot_ids=[Command.set(cls.lot_bad.ids)])
        cls.campaign_b = cls._campaign(
            product_ids=[Command.set(cls.cable.ids)], lot_ids=[Command.clear()]
        )
        for campaign in cls.campaign_a | cls.campaign_b:
            campaign.action_scope()
        # a focus group of each customer, with a session
        cls.focus_a, cls.focus_b = cls.env["qms.focus.group"].create(
            [
                {
                    "name": f"Panel {p.name}",
                    "purpose": "design_review",
                    "user_id": cls.qms_manager.id,
                    "member_ids": [Command.create({"partner_id": p.id})],
                }
                for p in (cls.customer_a, cls.customer_b)
            ]
        )
        cls.session_a, cls.session_b = cls.env["qms.focus.group.session"].create(
            [
                {
                    "name": f"Session {group.name}",
                    "focus_group_id": group.id,
                    "participation_ids": [
                        Command.create({"partner_id": group.member_ids.partner_id.id})
                    ],
                }
                for group in (cls.focus_a, cls.focus_b)
            ]
        )
        cls._answer(cls.csat, cls.customer_a, {"csat": 5})
        cls._answer(cls.csat, cls.customer_b, {"csat": 1})
        # a data subject request of a person, today
        cls.person = cls.env["res.partner"].create(
            {"name": "Petra Private", "email": "petra.private@example.com"}
        )
        cls.data_request = (
            cls.env["qms.data.request"]
            .with_user(cls.dpo)
            .create(
                {
                    "partner_id": cls.person.id,
                    "kind": "access",
                    "identity_method": "ID card seen",
                }
            )
        )
        cls.env.flush_all()

    def _assert_sees(self, user, visible, hidden):
        Model = self.env[visible._name].with_user(user)
        found = Model.search([("id", "in", (visible | hidden).ids)])
        self.assertEqual(
            sorted(found.ids), sorted(visible.ids), f"{user.login} on {visible._name}"
        )
        visible.with_user(user).read(["display_name"])
        for record in hidden:
            with self.assertRaises(AccessError, msg=f"{user.login} reads {record}"):
                record.with_user(user).read(["display_name"])

    # ------------------------------------------------------------------
    def test_fixture(self):
        for records in (
            self.campaign_a.line_ids,
            self.campaign_b.line_ids,
            self.focus_a.member_ids,
            self.session_b.participation_ids,
        ):
            self.assertTrue(records)
        self.assertEqual(self.campaign_a.line_ids.partner_id, self.customer_a)
        self.assertEqual(self.campaign_b.line_ids.partner_id, self.customer_b)

    def _per_customer(self):
        return [
            (self.comp_a, self.comp_b),
            (self.prop_a, self.prop_b),
            (self.incident_a, self.incident_b),
            (self.campaign_a, self.campaign_b),
            (self.focus_a, self.focus_b),
            (self.focus_a.member_ids, self.focus_b.member_ids),
            (self.session_a, self.session_b),
            (self.session_a.participation_ids, self.session_b.participation_ids),
        ]

    def test_salespeople_see_their_own_customers_only(self):
        for records_a, records_b in self._per_customer():
            with self.subTest(model=records_a._name):
                self._assert_sees(self.salesman, records_a, records_b)
                self._assert_sees(self.salesman2, records_b, records_a)

    def test_all_documents_and_quality_staff_see_every_customer(self):
        for user in (self.salesman_all, self.qms_user):
            for records_a, records_b in self._per_customer():
                with self.subTest(user=user.login, model=records_a._name):
                    self._assert_sees(user, records_a | records_b, records_a.browse())

    def test_salespeople_see_satisfaction_of_their_own_customers_only(self):
        for partner in (self.customer_a, self.customer_b):
            partner.invalidate_recordset()
        mine = self.customer_a.with_user(self.salesman)
        other = self.customer_b.with_user(self.salesman)
        self.assertEqual(mine.qms_survey_answer_count, 1)
        self.assertIn("o_qms_satisfaction_history", mine.qms_satisfaction_html)
        self.assertEqual(other.qms_survey_answer_count, 0)
        self.assertFalse(other.qms_csat_avg_12m)
        self.assertFalse(other.qms_satisfaction_html)
        panel = other._qms_customer_360_data()[self.customer_b.id]
        self.assertNotIn("satisfaction", panel)
        # quality staff see both
        self.assertEqual(
            self.customer_b.with_user(self.qms_user).qms_survey_answer_count, 1
        )

    def test_helpdesk_own_tickets_user_reads_own_complaints_in_the_analysis(self):
        Report = self.env["qms.complaint.report"].with_user(self.agent)
        tickets = Report.search([]).ticket_id
        self.assertIn(self.ticket_a, tickets)
        self.assertNotIn(self.ticket_b, tickets)
        self.assertNotIn(self.ticket_c, tickets)
        # compensation lines follow the tickets
        self._assert_sees(self.agent, self.comp_a, self.comp_b)

    def test_complaint_analysis_keeps_to_the_users_companies(self):
        Report = self.env["qms.complaint.report"].with_user(self.qms_user)
        self.assertNotIn(self.ticket_c, Report.search([]).ticket_id)
        self.assertIn(self.ticket_b, Report.search([]).ticket_id)

    def test_evidence_index_names_personal_data_to_officers_only(self):
        Evidence = self.env["qms.evidence"]
        domain = [("res_model", "=", "qms.data.request")]
        rows = Evidence.sudo().search(domain)
        self.assertTrue(rows)
        self.assertTrue(all(rows.mapped("is_personal_data")))
        self.assertFalse(Evidence.with_user(self.qms_user).search(domain))
        with self.assertRaises(AccessError):
            rows.with_user(self.qms_user).read(["partner_id"])
        self.assertEqual(Evidence.with_user(self.dpo).search(domain), rows)
        # counted for everyone in the statistics per clause
        stats = (
            self.env["qms.evidence.stat"]
            .with_user(self.qms_user)
            .search([("res_model", "=", "qms.data.request")])
        )
        self.assertEqual(sum(stats.mapped("record_count")), len(rows))

    def test_evidence_pack_as_quality_user_with_a_data_request_in_the_period(self):
        clauses = self.env["qms.clause"].search([("code", "=", "8.5.3")])
        today = fields.Date.context_today(self.env["qms.evidence.pack"])
        for user in (self.qms_user, self.dpo):
            with self.subTest(user=user.login):
                wizard = (
                    self.env["qms.evidence.pack"]
                    .with_user(user)
                    .create(
                        {
                            "clause_ids": [Command.set(clauses.ids)],
                            "date_from": today - timedelta(days=1),
                            "date_to": today + timedelta(days=1),
                        }
                    )
                )
                wizard.action_export()
                names = zipfile.ZipFile(
                    io.BytesIO(base64.b64decode(wizard.pack_file))
                ).namelist()
                self.assertEqual(
                    "records/qms.data.request.csv" in names, user == self.dpo
                )

    def test_portal_users_read_no_internal_label_of_their_company(self):
        company = self.portal_a.partner_id.commercial_partner_id
        for name in (
            "qms_abc_class",
            "qms_nps_category",
            "qms_csat_avg_12m",
            "qms_complaint_count",
            "qms_requirement_count",
        ):
            with self.subTest(field=name):
                with self.assertRaises(AccessError):
                    company.with_user(self.portal_a).read([name])
        # what is meant for them stays readable
        company.with_user(self.portal_a).read(["name", "email"])
