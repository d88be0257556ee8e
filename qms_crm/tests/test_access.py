# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may read, create, change and delete quality records.

The record rules of qms_crm with real operations (search, read, write, unlink)
by two salespeople on two customers, employees and portal users. The access
control lists of every model of the addons, for every group, are in one table,
``tests/access_matrix.md``, checked by ``tests/test_access_matrix.py``.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_requirement.tests.common import (
    QmsRequirementCommon as QmsCrmCommon,
)


@tagged("post_install", "-at_install")
class TestQmsAccess(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one accepted requirement, its review and a risk per customer
        cls.order_a = cls._order(cls.customer_a, cls.salesman)
        cls.order_b = cls._order(cls.customer_b, cls.salesman2)
        cls.req_a = cls._requirement(cls.customer_a, order_id=cls.order_a.id)
        cls.req_b = cls._requirement(cls.customer_b, order_id=cls.order_b.id)
        cls.review_a = cls._approve(cls.order_a)
        cls.review_b = cls._approve(cls.order_b)
        Risk = cls.env["qms.customer.risk"]
        cls.risk_a = Risk.create(
            {"name": "Late payer", "partner_id": cls.customer_a.id}
        )
        cls.risk_b = Risk.create(
            {"name": "Single source", "partner_id": cls.customer_b.id}
        )
        Confirmation = cls.env["qms.requirement.confirmation"]
        cls.confirmation_a, cls.confirmation_b = Confirmation.create(
            [
                {
                    "requirement_id": req.id,
                    "version": req.version,
                    "text_confirmed": req._confirmation_text(),
                    "decision": "confirmed",
                }
                for req in (cls.req_a, cls.req_b)
            ]
        )
        # a change of a customer_a requirement that the plain employee must
        # acknowledge: they are told of changes for the sales team of the order
        cls.team = cls.env["crm.team"].create(
            {
                "name": "QMS access team",
                "qms_change_notify_user_ids": [Command.link(cls.employee.id)],
            }
        )
        cls.order_ack = cls._order(cls.customer_a, cls.salesman, team_id=cls.team.id)
        cls.req_ack = cls._requirement(
            cls.customer_a, name="Pack in crates", order_id=cls.order_ack.id
        )
        cls._approve(cls.order_ack)
        cls.version_ack = cls._change(cls.req_ack)
        cls.ack_employee = cls.version_ack.ack_ids.filtered(
            lambda a: a.user_id == cls.employee
        )
        cls.ack_salesman = cls.version_ack.ack_ids.filtered(
            lambda a: a.user_id == cls.salesman
        )

    def _per_customer(self):
        """(model, customer_a's records, customer_b's records) for each model
        that the own-customers rules restrict."""
        return [
            ("qms.requirement", self.req_a, self.req_b),
            ("qms.requirement.review", self.review_a, self.review_b),
            (
                "qms.requirement.review.line",
                self.review_a.line_ids,
                self.review_b.line_ids,
            ),
            ("qms.requirement.version", self.req_a.version_ids, self.req_b.version_ids),
            ("qms.requirement.confirmation", self.confirmation_a, self.confirmation_b),
            ("qms.customer.risk", self.risk_a, self.risk_b),
        ]

    def _assert_sees(self, user, model, visible, hidden):
        """user finds and reads `visible`, finds nothing of `hidden` and is
        refused reading it."""
        Model = self.env[model].with_user(user)
        found = Model.search([("id", "in", (visible | hidden).ids)])
        self.assertEqual(found, visible.with_user(user), f"{user.login} on {model}")
        visible.with_user(user).read(["create_date"])
        if hidden:
            with self.assertRaises(AccessError, msg=f"{user.login} reads {model}"):
                hidden.with_user(user).read(["create_date"])

    # ------------------------------------------------------------------
    # Access control lists
    # ------------------------------------------------------------------
    def test_fixture_is_what_the_tests_rely_on(self):
        self.assertEqual(self.req_a.state, "accepted")
        self.assertTrue(self.req_a.version_ids and self.req_b.version_ids)
        self.assertTrue(self.review_a.line_ids and self.review_b.line_ids)
        self.assertEqual(self.req_ack.version, 2)
        self.assertEqual(self.req_ack.team_id, self.team)
        self.assertEqual(len(self.ack_employee), 1)
        self.assertEqual(len(self.ack_salesman), 1)
        self.assertEqual(
            (self.ack_employee | self.ack_salesman).mapped("state"), ["pending"] * 2
        )

    # ------------------------------------------------------------------
    # Record rules: own customers
    # ------------------------------------------------------------------
    def test_salesman_sees_only_the_customers_they_sell_to(self):
        for model, records_a, records_b in self._per_customer():
            with self.subTest(model=model):
                self._assert_sees(self.salesman, model, records_a, records_b)
                self._assert_sees(self.salesman2, model, records_b, records_a)

    def test_all_documents_and_quality_users_see_every_customer(self):
        for user in (self.salesman_all, self.qms_user, self.qms_manager):
            for model, records_a, records_b in self._per_customer():
                with self.subTest(user=user.login, model=model):
                    self._assert_sees(
                        user, model, records_a | records_b, records_a.browse()
                    )

    def test_salesman_changes_only_the_customers_they_sell_to(self):
        self.risk_a.with_user(self.salesman).write({"treatment": "Ask for prepayment"})
        self.assertEqual(self.risk_a.treatment, "Ask for prepayment")
        with self.assertRaises(AccessError):
            self.risk_b.with_user(self.salesman).write({"treatment": "Nothing"})
        self.assertFalse(self.risk_b.treatment)
        Requirement = self.env["qms.requirement"].with_user(self.salesman)
        own = Requirement.create(
            {
                "name": "Label in Spanish",
                "description": "Labels in es_ES.",
                "partner_id": self.customer_a.id,
                "documented": True,
            }
        )
        self.assertEqual(own.user_id, self.salesman)
        with self.assertRaises(AccessError):
            Requirement.create(
                {
                    "name": "Label in Dutch",
                    "description": "Labels in nl_NL.",
                    "partner_id": self.customer_b.id,
                    "documented": True,
                    "user_id": self.salesman2.id,
                }
            )

    def test_salesman_sees_a_requirement_they_own_for_another_customer(self):
        req = self._requirement(self.customer_b, user_id=self.salesman.id)
        self._assert_sees(self.salesman, "qms.requirement", req, self.req_b)

    def test_salesman_sees_a_customer_through_its_contacts_company(self):
        # a requirement recorded on a contact of the customer's company
        req = self._requirement(self.contact_a)
        self._assert_sees(self.salesman, "qms.requirement", req, self.req_b)
        self._assert_sees(self.salesman2, "qms.requirement", self.req_b, req)

    # ------------------------------------------------------------------
    # Plain employees and acknowledgements of changes (8.2.4)
    # ------------------------------------------------------------------
    def test_employee_sees_only_requirements_they_must_acknowledge(self):
        Requirement = self.env["qms.requirement"].with_user(self.employee)
        self.assertEqual(Requirement.search([]), self.req_ack.with_user(self.employee))
        for req in (self.req_a, self.req_b):
            with self.assertRaises(AccessError):
                req.with_user(self.employee).read(["description"])
        Version = self.env["qms.requirement.version"].with_user(self.employee)
        self.assertEqual(Version.search([]), self.req_ack.version_ids)
        Ack = self.env["qms.requirement.ack"].with_user(self.employee)
        self.assertEqual(Ack.search([]), self.ack_employee)
        # still no access to reviews, risks or customer confirmations
        for model in (
            "qms.requirement.review",
            "qms.customer.risk",
            "qms.requirement.confirmation",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.employee).search([])

    def test_employee_without_acknowledgement_sees_no_requirement(self):
        other = self.env["res.users"].create(
            {
                "name": "Olga Other",
                "login": "qms_other_employee",
                "group_ids": [Command.link(self.env.ref("base.group_user").id)],
            }
        )
        self.assertFalse(self.env["qms.requirement"].with_user(other).search([]))
        self.assertFalse(
            self.env["qms.requirement.version"].with_user(other).search([])
        )
        with self.assertRaises(AccessError):
            self.req_ack.with_user(other).read(["description"])

    def test_employee_acknowledges_the_change_they_were_asked_to(self):
        version = self.version_ack.with_user(self.employee)
        self.assertIn("3 working days", version.description)
        version.action_acknowledge()
        self.assertEqual(self.ack_employee.state, "done")
        self.assertTrue(self.ack_employee.ack_date)
        self.assertEqual(self.ack_salesman.state, "pending")
        self.assertEqual(self.version_ack.ack_state, "pending")
        # the acknowledgement marked their to-do done (archived in 19.0)
        activity = self.ack_employee.activity_id
        self.assertTrue(activity)
        self.assertFalse(activity.active)
        self.assertEqual(activity.feedback, "Change acknowledged.")
        # acknowledging twice is refused, not silently repeated
        with self.assertRaisesRegex(UserError, "no pending acknowledgement"):
            version.action_acknowledge()

    def test_nobody_acknowledges_for_someone_else(self):
        # the employee cannot even see the salesman's acknowledgement
        with self.assertRaises(AccessError):
            self.ack_salesman.with_user(self.employee).action_acknowledge()
        # the salesman sees the employee's (own customer) but cannot sign it
        with self.assertRaisesRegex(UserError, "Only Eve Employee"):
            self.ack_employee.with_user(self.salesman).action_acknowledge()
        with self.assertRaises(AccessError):
            self.ack_employee.with_user(self.salesman).write({"state": "done"})
        # a quality user with nothing to acknowledge on the version
        with self.assertRaisesRegex(UserError, "no pending acknowledgement"):
            self.version_ack.with_user(self.qms_user).action_acknowledge()
        self.assertEqual(
            (self.ack_employee | self.ack_salesman).mapped("state"), ["pending"] * 2
        )

    def test_employee_cannot_edit_what_they_acknowledge(self):
        with self.assertRaises(AccessError):
            self.req_ack.with_user(self.employee).write({"user_id": self.employee.id})
        with self.assertRaises(UserError):
            self.ack_employee.with_user(self.employee).write(
                {"user_id": self.salesman.id}
            )
        self.assertEqual(self.ack_employee.user_id, self.employee)

    # ------------------------------------------------------------------
    # Evidence is never deleted (7.5.3)
    # ------------------------------------------------------------------
    @mute_logger("odoo.models.unlink")
    def test_nobody_deletes_evidence(self):
        evidence = [
            self.req_a,
            self.review_a,
            self.req_a.version_ids[:1],
            self.confirmation_a,
            self.ack_salesman,
            self.risk_a,
        ]
        for record in evidence:
            for user in (
                self.salesman,
                self.salesman_all,
                self.qms_user,
                self.qms_manager,
            ):
                with self.subTest(model=record._name, user=user.login):
                    with self.assertRaises(AccessError):
                        record.with_user(user).unlink()
            with self.subTest(model=record._name, user="sudo"):
                with self.assertRaises(UserError) as err:
                    record.sudo().unlink()
                self.assertNotIsInstance(err.exception, AccessError)
            self.assertTrue(record.exists(), record._name)

    @mute_logger("odoo.models.unlink")
    def test_review_lines_go_only_while_the_review_is_in_progress(self):
        decided_line = self.review_a.line_ids[:1]
        for record in (decided_line.with_user(self.salesman), decided_line.sudo()):
            with self.assertRaisesRegex(UserError, "has been decided"):
                record.unlink()
        self.assertTrue(decided_line.exists())
        draft = self.env["qms.requirement.review"].create({"order_id": self.order_a.id})
        self.assertTrue(draft.line_ids)
        line = draft.line_ids[:1]
        with self.assertRaises(AccessError):
            line.with_user(self.salesman2).unlink()
        line.with_user(self.salesman).unlink()
        self.assertFalse(line.exists())

    # ------------------------------------------------------------------
    # Clause registry
    # ------------------------------------------------------------------
    def test_employees_read_clauses_only_managers_change_them(self):
        Clause = self.env["qms.clause"]
        clause = Clause.search([("code", "=", "8.2.3.2")])
        self.assertTrue(clause)
        for user in (self.employee, self.salesman, self.qms_user):
            with self.subTest(user=user.login):
                self.assertEqual(clause.with_user(user).code, "8.2.3.2")
                with self.assertRaises(AccessError):
                    clause.with_user(user).write({"guidance": "Anything goes"})
                with self.assertRaises(AccessError):
                    Clause.with_user(user).create({"code": "X.1", "name": "Mine"})
        as_manager = Clause.with_user(self.qms_manager)
        clause.with_user(self.qms_manager).write({"guidance": "Keep the email."})
        self.assertEqual(clause.guidance, "Keep the email.")
        extra = as_manager.create(
            {"code": "X.9", "name": "Company clause", "parent_id": clause.id}
        )
        self.assertEqual(extra.parent_id, clause)
        extra.unlink()
        self.assertFalse(extra.exists())

    def test_portal_user_has_no_clause_access(self):
        with self.assertRaises(AccessError):
            self.env["qms.clause"].with_user(self.portal_a).search([])

    # ------------------------------------------------------------------
    # Portal users (8.2.3.2)
    # ------------------------------------------------------------------
    def test_portal_reads_own_requirements_awaiting_confirmation_only(self):
        oral_a = self._requirement(self.customer_a, documented=False, name="Oral A")
        oral_b = self._requirement(self.customer_b, documented=False, name="Oral B")
        self.assertEqual(self.req_a.confirmation_state, "not_needed")
        self.assertEqual(oral_a.confirmation_state, "to_send")
        # not yet sent: not on the portal
        self._assert_sees(
            self.portal_a,
            "qms.requirement",
            oral_a.browse(),
            self.req_a | oral_a | oral_b,
        )
        oral_a.with_user(self.salesman).action_send_confirmation()
        oral_b.with_user(self.salesman2).action_send_confirmation()
        self._assert_sees(self.portal_b, "qms.requirement", oral_b, self.req_b | oral_a)
        self.assertEqual(oral_a.confirmation_state, "pending")
        self._assert_sees(self.portal_a, "qms.requirement", oral_a, self.req_a | oral_b)
        # documented again: no confirmation needed, no longer on the portal
        oral_a.documented = True
        oral_a.confirmation_state = "not_needed"
        self._assert_sees(self.portal_a, "qms.requirement", oral_a.browse(), oral_a)

    def test_portal_user_cannot_change_requirements(self):
        oral_a = self._requirement(self.customer_a, documented=False, name="Oral A")
        with self.assertRaises(AccessError):
            oral_a.with_user(self.portal_a).write({"confirmation_state": "confirmed"})
        self.assertEqual(oral_a.confirmation_state, "to_send")
        with self.assertRaises(AccessError):
            self.env["qms.requirement"].with_user(self.portal_a).create(
                {
                    "name": "Mine",
                    "description": "Mine",
                    "partner_id": self.customer_a.id,
                }
            )
