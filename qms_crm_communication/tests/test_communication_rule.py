# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Communication rules (ISO 9001 7.4): every trigger kind fires once and only
once, recipients and responsible are resolved, the history is tagged, and a
broken rule is refused with a clear error."""

from datetime import timedelta
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.qms_crm_evidence.tests.common import QmsCrmCommon


class QmsCommunicationCommon(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["qms.communication.rule"]
        cls.Comm = cls.env["qms.communication"]
        cls.topic = cls.env["qms.communication.topic"].create(
            {"name": "QMS Test Topic"}
        )
        cls.lead_model = cls.env["ir.model"]._get("crm.lead")
        cls.partner_model = cls.env["ir.model"]._get("res.partner")
        cls.order_model = cls.env["ir.model"]._get("sale.order")

    @classmethod
    def _field(cls, model, name):
        return cls.env["ir.model.fields"]._get(model, name)

    @classmethod
    def _rule(cls, **vals):
        return cls.Rule.create(
            dict(
                {
                    "name": "Test rule",
                    "topic_id": cls.topic.id,
                    "model_id": cls.lead_model.id,
                    "trigger": "create",
                    "action_kind": "todo",
                    "recipient_kind": "customer",
                    "responsible_kind": "record_user",
                },
                **vals,
            )
        )

    @classmethod
    def _lead(cls, **vals):
        return cls.env["crm.lead"].create(
            dict(
                {
                    "name": "Enquiry for widgets",
                    "partner_id": cls.contact_a.id,
                    "user_id": cls.salesman.id,
                    "type": "opportunity",
                },
                **vals,
            )
        )

    def _comms(self, rule, record=None):
        domain = [("rule_id", "=", rule.id)]
        if record is not None:
            domain += [("res_model", "=", record._name), ("res_id", "=", record.id)]
        return self.Comm.search(domain)


@tagged("post_install", "-at_install")
class TestCommunicationRule(QmsCommunicationCommon):
    # ------------------------------------------------------------------
    # automation rules kept in sync
    # ------------------------------------------------------------------
    def test_rule_owns_an_automation_rule_kept_in_sync(self):
        rule = self._rule()
        automation = rule.automation_id
        self.assertTrue(automation)
        self.assertEqual(automation.trigger, "on_create")
        self.assertEqual(automation.model_id, self.lead_model)
        action = automation.action_server_ids
        self.assertEqual(action.state, "code")
        self.assertIn(f"browse({rule.id})._qms_execute(records)", action.code)
        rule.write(
            {"trigger": "condition", "filter_domain": "[('probability', '>=', 50)]"}
        )
        self.assertEqual(automation.trigger, "on_create_or_write")
        self.assertEqual(automation.filter_domain, "[('probability', '>=', 50)]")
        self.assertIn("probability", automation.trigger_field_ids.mapped("name"))
        rule.active = False
        self.assertFalse(automation.active)
        rule.active = True
        self.assertTrue(automation.active)
        rule.unlink()
        self.assertFalse(automation.exists())

    def test_rule_with_history_cannot_be_deleted_only_switched_off(self):
        rule = self._rule()
        self._lead()
        self.assertEqual(len(self._comms(rule)), 1)
        with self.assertRaisesRegex(UserError, "Switch the rule off"):
            rule.unlink()
        rule.active = False
        lead = self._lead(name="After switch-off")
        self.assertFalse(self._comms(rule, lead))

    # ------------------------------------------------------------------
    # each trigger kind fires once and only once
    # ------------------------------------------------------------------
    def test_create_event_fires_once_with_activity_for_record_user(self):
        rule = self._rule(
            activity_summary="Call back the enquirer", activity_deadline_days=2
        )
        lead = self._lead()
        comm = self._comms(rule, lead)
        self.assertEqual(len(comm), 1)
        self.assertEqual(comm.state, "planned")
        self.assertEqual(comm.channel, "task")
        self.assertEqual(comm.partner_id, self.customer_a)
        self.assertEqual(comm.contact_id, self.contact_a)
        self.assertEqual(comm.user_id, self.salesman)
        self.assertEqual(comm.activity_id.user_id, self.salesman)
        self.assertEqual(comm.activity_id.res_id, lead.id)
        self.assertEqual(
            comm.planned_date, fields.Date.context_today(comm) + timedelta(days=2)
        )
        lead.write({"description": "more details"})
        rule._qms_execute(lead)
        self.assertEqual(len(self._comms(rule, lead)), 1)

    def test_concurrent_update_is_retried_not_logged_as_a_failed_rule(self):
        """A serialization failure (two agents confirming one order at once,
        found by tests/bench/bench_load.py) reaches Odoo's retry of the
        request; a failure of the rule itself is logged and skipped."""
        rule = self._rule(activity_summary="Call back")
        Rule = type(self.Rule)
        with (
            patch.object(
                Rule, "_qms_communicate", side_effect=SerializationFailure("x")
            ),
            self.assertRaises(SerializationFailure),
        ):
            self._lead(name="Confirmed by two agents")
        with (
            patch.object(Rule, "_qms_communicate", side_effect=ValueError("broken")),
            self.assertLogs(
                "odoo.addons.qms_crm_communication.models.qms_communication_rule",
                "ERROR",
            ),
        ):
            lead = self._lead(name="Rule broken")
        self.assertFalse(self._comms(rule, lead))
        self.assertIn("broken", rule.message_ids[0].body)

    def test_state_event_fires_once_per_reached_state(self):
        rule = self._rule(
            model_id=self.order_model.id,
            trigger="state",
            filter_domain="[('state', '=', 'sale')]",
            action_kind="call",
        )
        self.assertEqual(rule.automation_id.trigger_field_ids.mapped("name"), ["state"])
        order = self._order()
        self.assertFalse(self._comms(rule, order))
        order.action_confirm()
        comm = self._comms(rule, order)
        self.assertEqual(len(comm), 1)
        self.assertEqual(comm.channel, "phone")
        self.assertEqual(comm.occurrence_key, "change:state=sale")
        order.write({"note": "a note"})
        self.assertEqual(len(self._comms(rule, order)), 1)

    def test_field_change_fires_per_new_value_and_not_on_create(self):
        rule = self._rule(
            trigger="field",
            trigger_field_ids=[
                Command.set(self._field("crm.lead", "expected_revenue").ids)
            ],
        )
        lead = self._lead(expected_revenue=1000)
        self.assertFalse(self._comms(rule, lead))
        lead.expected_revenue = 2000
        self.assertEqual(len(self._comms(rule, lead)), 1)
        lead.write({"expected_revenue": 2000, "description": "same revenue"})
        self.assertEqual(len(self._comms(rule, lead)), 1)
        lead.expected_revenue = 3000
        self.assertEqual(len(self._comms(rule, lead)), 2)

    def test_condition_fires_once_when_record_comes_to_match(self):
        rule = self._rule(
            trigger="condition", filter_domain="[('probability', '>=', 50)]"
        )
        lead = self._lead(probability=10)
        self.assertFalse(self._comms(rule, lead))
        lead.probability = 60
        self.assertEqual(len(self._comms(rule, lead)), 1)
        lead.probability = 70
        self.assertEqual(len(self._comms(rule, lead)), 1)
        matching = self._lead(name="Hot from the start", probability=90)
        self.assertEqual(len(self._comms(rule, matching)), 1)

    def test_time_rule_before_a_date_fires_once(self):
        rule = self._rule(
            trigger="time",
            date_field_id=self._field("crm.lead", "date_deadline").id,
            delay=2,
            delay_unit="day",
            delay_mode="before",
        )
        automation = rule.automation_id
        self.assertEqual(automation.trigger, "on_time")
        self.assertEqual(automation.trg_date_range_mode, "before")
        today = fields.Date.context_today(rule)
        due = self._lead(name="Closes soon", date_deadline=today + timedelta(days=1))
        later = self._lead(
            name="Closes later", date_deadline=today + timedelta(days=30)
        )
        self.assertFalse(self._comms(rule))  # created: no time rule yet
        automation.last_run = fields.Datetime.now() - timedelta(days=1)
        for _run in range(2):
            now = fields.Datetime.now()
            records = automation._search_time_based_automation_records(until=now)
            for record in records:
                automation._process(record)
            rule._qms_execute(due)  # a run by hand changes nothing either
        self.assertEqual(len(self._comms(rule, due)), 1)
        self.assertFalse(self._comms(rule, later))
        self.assertEqual(
            self._comms(rule, due).occurrence_key, f"time:{due.date_deadline}"
        )

    def test_time_rule_after_a_date_via_automation_cron_window(self):
        rule = self._rule(
            trigger="time",
            date_field_id=self._field("crm.lead", "date_deadline").id,
            delay=1,
            delay_unit="day",
            delay_mode="after",
        )
        automation = rule.automation_id
        today = fields.Date.context_today(rule)
        overdue = self._lead(
            name="Deadline passed", date_deadline=today - timedelta(days=2)
        )
        future = self._lead(
            name="Deadline ahead", date_deadline=today + timedelta(days=2)
        )
        automation.last_run = fields.Datetime.now() - timedelta(days=5)
        records = automation._search_time_based_automation_records(
            until=fields.Datetime.now()
        )
        self.assertIn(overdue, records)
        self.assertNotIn(future, records)
        rule._qms_execute(records)
        rule._qms_execute(records)
        self.assertEqual(len(self._comms(rule, overdue)), 1)

    def test_new_time_rule_does_not_replay_the_past(self):
        rule = self._rule(
            trigger="time",
            date_field_id=self._field("crm.lead", "date_deadline").id,
            delay=0,
        )
        self.assertTrue(rule.automation_id.last_run)

    def test_periodic_segment_rule_every_n_days(self):
        tag = self.env["res.partner.category"].create({"name": "QMS Test Key"})
        self.customer_a.category_id = tag
        rule = self._rule(
            model_id=self.partner_model.id,
            trigger="periodic",
            interval_days=90,
            segment_domain="[('is_company', '=', True)]",
            segment_tag_ids=[Command.set(tag.ids)],
            action_kind="call",
            responsible_kind="salesperson",
        )
        self.assertFalse(rule.automation_id.active)
        self.Rule._cron_run_periodic_rules()
        self.Rule._cron_run_periodic_rules()
        comms = self._comms(rule)
        self.assertEqual(comms.partner_id, self.customer_a)
        self.assertEqual(len(comms), 1)
        self.assertEqual(comms.user_id, self.salesman)
        self.assertEqual(
            comms.activity_id.activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )
        # 91 days later the customer is due again
        past = fields.Datetime.now() - timedelta(days=91)
        comms.write({"date": past, "occurrence_key": f"period:{past.date()}"})
        self.Rule._cron_run_periodic_rules()
        self.assertEqual(len(self._comms(rule)), 2)

    # ------------------------------------------------------------------
    # with whom / who
    # ------------------------------------------------------------------
    def test_mail_rule_sends_template_to_tagged_contacts(self):
        tag = self.env["res.partner.category"].create({"name": "Quality contact"})
        quality = self.env["res.partner"].create(
            {
                "name": "Quentin Quality",
                "parent_id": self.customer_a.id,
                "email": "quentin@example.com",
                "category_id": [Command.set(tag.ids)],
            }
        )
        template = self.env["mail.template"].create(
            {
                "name": "QMS test lead template",
                "model_id": self.lead_model.id,
                "subject": "About {{ object.name }}",
                "body_html": "<p>Hello <t t-out='object.partner_id.name'/></p>",
            }
        )
        rule = self._rule(
            action_kind="mail",
            mail_template_id=template.id,
            recipient_kind="tagged",
            recipient_tag_ids=[Command.set(tag.ids)],
        )
        lead = self._lead()
        comm = self._comms(rule, lead)
        self.assertEqual(comm.state, "done")
        self.assertEqual(comm.channel, "email")
        self.assertEqual(comm.name, "About Enquiry for widgets")
        message = comm.message_id
        self.assertEqual(message.model, "crm.lead")
        self.assertEqual(message.res_id, lead.id)
        self.assertEqual(message.partner_ids, quality)
        self.assertEqual(message.author_id, self.salesman.partner_id)
        self.assertIn("Hello", str(message.body))

    def test_internal_recipients_and_fixed_or_team_leader_responsible(self):
        team = self.env["crm.team"].create(
            {"name": "QMS Team", "user_id": self.salesman2.id}
        )
        rule = self._rule(
            action_kind="todo",
            recipient_kind="internal",
            recipient_user_ids=[Command.set(self.qms_user.ids)],
            responsible_kind="team_leader",
            responsible_team_id=team.id,
        )
        lead = self._lead(team_id=False)
        comm = self._comms(rule, lead)
        self.assertEqual(comm.user_id, self.salesman2)
        rule.write(
            {"responsible_kind": "fixed", "responsible_user_id": self.qms_manager.id}
        )
        lead2 = self._lead(name="Second")
        self.assertEqual(self._comms(rule, lead2).user_id, self.qms_manager)
        self.assertEqual(
            rule._qms_recipients(lead2, lead2.partner_id), self.qms_user.partner_id
        )

    def test_record_user_falls_back_to_customer_salesperson(self):
        rule = self._rule()
        lead = self._lead(user_id=False)
        self.assertEqual(self._comms(rule, lead).user_id, self.salesman)

    def test_record_without_customer_makes_no_communication(self):
        rule = self._rule()
        lead = self._lead(partner_id=False)
        self.assertFalse(self._comms(rule, lead))

    # ------------------------------------------------------------------
    # history tagged, planned -> done
    # ------------------------------------------------------------------
    def test_history_entry_is_tagged_in_both_chatters(self):
        self.topic.qms_clause_ids = self.env.ref("qms_crm_evidence.clause_8_2_1_b")
        rule = self._rule(name="Tag check rule")
        lead = self._lead()
        comm = self._comms(rule, lead)
        codes = comm.qms_clause_ids.mapped("code")
        self.assertIn("7.4", codes)
        self.assertIn("8.2.1 b)", codes)
        for record in (self.customer_a, lead):
            note = record.message_ids.filtered(
                lambda m, comm=comm: "Tag check rule" in str(m.body)
            )
            self.assertTrue(note, record)
            body = str(note[0].body)
            self.assertIn("QMS Test Topic", body)
            self.assertIn("To-Do", body)
            self.assertIn("7.4", body)

    def test_activity_done_marks_communication_done_and_unlink_cancels(self):
        rule = self._rule()
        lead = self._lead()
        comm = self._comms(rule, lead)
        self.assertEqual(comm.state, "planned")
        comm.activity_id.with_user(self.salesman).action_feedback(
            feedback="Spoke to Alice"
        )
        self.assertEqual(comm.state, "done")
        self.assertTrue(comm.done_date)
        self.assertIn("Spoke to Alice", str(comm.body))
        lead2 = self._lead(name="Other")
        comm2 = self._comms(rule, lead2)
        comm2.activity_id.unlink()
        self.assertEqual(comm2.state, "cancelled")

    def test_overdue_planned_communications_are_found(self):
        rule = self._rule()
        lead = self._lead()
        comm = self._comms(rule, lead)
        comm.planned_date = fields.Date.context_today(comm) - timedelta(days=1)
        self.assertTrue(comm.is_overdue)
        self.assertIn(comm, self.Comm.search([("is_overdue", "=", True)]))
        comm.action_done()
        self.assertFalse(comm.is_overdue)
        self.assertNotIn(comm, self.Comm.search([("is_overdue", "=", True)]))

    def test_done_communication_is_evidence(self):
        rule = self._rule()
        comm = self._comms(rule, self._lead())
        comm.action_done()
        with self.assertRaises(UserError):
            comm.with_user(self.qms_user).write({"name": "rewritten"})
        with self.assertRaises(UserError):
            comm.with_user(self.qms_manager).unlink()
        with self.assertRaises(UserError):
            comm.action_cancel()

    # ------------------------------------------------------------------
    # bad input: clear errors
    # ------------------------------------------------------------------
    def test_time_rule_without_date_field_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "needs a date field"):
            self._rule(trigger="time")

    def test_mail_rule_without_template_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "needs an email template"):
            self._rule(action_kind="mail")

    def test_domain_that_does_not_parse_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "is not a valid domain"):
            self._rule(trigger="condition", filter_domain="[('probability', '>=' 50)")
        with self.assertRaisesRegex(ValidationError, "is not a valid domain"):
            self._rule(trigger="condition", filter_domain="[('no_such_field', '=', 1)]")

    def test_incomplete_rules_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "needs a condition"):
            self._rule(trigger="condition")
        with self.assertRaisesRegex(ValidationError, "needs the fields to watch"):
            self._rule(trigger="field")
        with self.assertRaisesRegex(ValidationError, "applies to"):
            self._rule(trigger="ticket_closed")
        with self.assertRaisesRegex(ValidationError, "tags of the contacts"):
            self._rule(recipient_kind="tagged")
        with self.assertRaisesRegex(ValidationError, "users or teams"):
            self._rule(recipient_kind="internal")
        with self.assertRaisesRegex(ValidationError, "responsible user"):
            self._rule(responsible_kind="fixed")
        with self.assertRaisesRegex(ValidationError, "positive interval"):
            self._rule(
                model_id=self.partner_model.id, trigger="periodic", interval_days=0
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._rule(
                trigger="time",
                date_field_id=self._field("crm.lead", "date_deadline").id,
                delay=-1,
            )
        order_template = self.env.ref(
            "qms_crm_communication.mail_template_order_confirmed"
        )
        with self.assertRaisesRegex(ValidationError, "another model"):
            self._rule(action_kind="mail", mail_template_id=order_template.id)

    def test_salesman_cannot_configure_rules(self):
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.salesman).create(
                {
                    "name": "Sneaky",
                    "topic_id": self.topic.id,
                    "model_id": self.lead_model.id,
                    "action_kind": "todo",
                }
            )
