# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Integrity of evidence (ISO 9001 7.5.3), through the ORM as users and
through JSON-RPC (``/web/dataset/call_kw``) over real HTTP.

Reviews, customer confirmations, requirement versions, acknowledgements,
property incidents, recall notices and their acknowledgements, communications
and satisfaction-survey answers: nobody deletes them, the final ones are not
edited, a client cannot lift these checks by sending a context key, and the
changes that are allowed leave ``mail.tracking.value`` rows.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_recall.tests.common import QmsRecallCommon
from odoo.addons.qms_crm_survey.tests.common import QmsSurveyCommon

MUTED = ("odoo.http", "odoo.models.unlink", "odoo.addons.base.models.ir_rule")
# the context keys that lift our checks in server code; sent by a client
# they must change nothing
FORGED_CONTEXT = {
    "qms_correction": True,
    "qms_requirement_change": True,
    "qms_gate_override": True,
}


@tagged("post_install", "-at_install")
class TestEvidenceIntegrity(HttpCase, QmsRecallCommon, QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env,
            "qms_integrity_dpo",
            groups="qms_crm_evidence.group_qms_dpo",
            name="Dina Officer",
        )
        cls.order = cls._order(cls.customer_a, cls.salesman)
        cls.req = cls._requirement(cls.customer_a, order_id=cls.order.id)
        cls.review = cls._approve(cls.order)
        cls.confirmation = cls.env["qms.requirement.confirmation"].create(
            {
                "requirement_id": cls.req.id,
                "version": cls.req.version,
                "text_confirmed": cls.req._confirmation_text(),
                "decision": "confirmed",
            }
        )
        # a change the employee must acknowledge
        team = cls.env["crm.team"].create(
            {
                "name": "QMS integrity team",
                "qms_change_notify_user_ids": [Command.link(cls.employee.id)],
            }
        )
        cls.order_ack = cls._order(cls.customer_a, cls.salesman, team_id=team.id)
        cls.req_ack = cls._requirement(
            cls.customer_a, name="Pack in crates", order_id=cls.order_ack.id
        )
        cls._approve(cls.order_ack)
        cls.version = cls._change(cls.req_ack)
        cls.ack = cls.version.ack_ids.filtered(lambda a: a.user_id == cls.employee)
        item = cls.env["qms.property"].create(
            {
                "name": "Customer mould",
                "kind": "equipment",
                "partner_id": cls.customer_a.id,
                "quantity": 1,
            }
        )
        cls.incident = cls.env["qms.property.incident"].create(
            {
                "property_id": item.id,
                "kind": "damaged",
                "description": "Dented parting line on cavity 2.",
                "action_taken": "Repair by the toolmaker at our cost.",
            }
        )
        cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls.campaign, cls.notice, _others = cls._notified_campaign()
        cls.communication = cls.env["qms.communication"].create(
            {
                "name": "Price increase announced",
                "partner_id": cls.customer_a.id,
                "topic_id": cls.env["qms.communication.topic"].search([], limit=1).id,
                "channel": "email",
                "state": "planned",
                "user_id": cls.salesman.id,
            }
        )
        cls.answer = cls._answer(cls.nps, cls.customer_a, {"nps": 2})
        cls.evidence = {
            "review": cls.review,
            "confirmation": cls.confirmation,
            "requirement version": cls.version,
            "acknowledgement": cls.ack,
            "incident": cls.incident,
            "recall notice": cls.notice,
            "recall campaign": cls.campaign,
            "communication": cls.communication,
            "survey answer": cls.answer,
        }

    def test_fixture(self):
        self.assertEqual(self.review.state, "approved")
        self.assertEqual(self.notice.state, "notified")
        self.assertTrue(self.ack)
        self.assertEqual(self.answer.state, "done")
        self.assertTrue(self.answer.qms_has_score)

    # ------------------------------------------------------------------
    # Deleting
    # ------------------------------------------------------------------
    @mute_logger(*MUTED)
    def test_nobody_deletes_evidence_through_the_orm(self):
        users = (
            self.salesman,
            self.employee,
            self.qms_user,
            self.qms_manager,
            self.dpo,
            self.env.ref("base.user_admin"),
        )
        for kind, record in self.evidence.items():
            for user in users:
                with self.subTest(kind=kind, user=user.login):
                    with self.assertRaises(UserError):  # AccessError included
                        with self.env.cr.savepoint():
                            record.with_user(user).unlink()
            with self.subTest(kind=kind, user="superuser"):
                # even the superuser: evidence is archived, not deleted
                with self.assertRaises(UserError) as caught:
                    with self.env.cr.savepoint():
                        record.sudo().unlink()
                self.assertNotIsInstance(caught.exception, AccessError)
            self.assertTrue(record.exists(), kind)

    def _rpc(self, record, method, *args, context=None, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": record._name,
                "method": method,
                "args": [record.ids, *args],
                "kwargs": dict(kwargs, context=context or {}),
            },
        )

    @mute_logger(*MUTED)
    def test_nobody_deletes_evidence_through_rpc(self):
        for login in ("qms_manager", "admin"):
            self.authenticate(login, login)
            for kind, record in self.evidence.items():
                with self.subTest(kind=kind, user=login):
                    with self.assertRaises(JsonRpcException):
                        self._rpc(record, "unlink", context=FORGED_CONTEXT)
                self.assertTrue(record.exists(), kind)

    def test_unfinished_survey_answers_can_still_go(self):
        draft = self._answer(self.nps, self.customer_b, {"nps": 8}, done=False)
        draft.with_user(self.qms_user).unlink()
        self.assertFalse(draft.exists())

    # ------------------------------------------------------------------
    # Editing
    # ------------------------------------------------------------------
    @mute_logger(*MUTED)
    def test_final_evidence_is_not_edited_through_the_orm(self):
        edits = [
            (self.review, self.salesman, {"outcome_note": "Rewritten"}),
            (self.review, self.qms_manager, {"outcome_note": "Rewritten"}),
            (self.confirmation, self.qms_manager, {"comment": "Rewritten"}),
            (self.version, self.qms_manager, {"description": "Rewritten"}),
            (self.ack, self.employee, {"user_id": self.salesman.id}),
            (self.req, self.salesman, {"description": "Rewritten"}),
        ]
        for record, user, vals in edits:
            with self.subTest(model=record._name, user=user.login):
                before = record.read(list(vals))[0]
                with self.assertRaises(UserError):
                    with self.env.cr.savepoint():
                        record.with_user(user).write(vals)
                record.invalidate_recordset()
                self.assertEqual(record.read(list(vals))[0], before)

    @mute_logger(*MUTED)
    def test_a_client_cannot_lift_the_checks_with_a_context_key(self):
        """The integrity checks read context keys that server code sets; a
        client sending the same keys through RPC changes nothing."""
        cases = [
            ("qms_salesman", self.review, {"outcome_note": "Rewritten"}),
            ("qms_manager", self.review, {"outcome_note": "Rewritten"}),
            ("qms_employee", self.ack, {"user_id": self.salesman.id}),
            ("qms_salesman", self.req, {"description": "Rewritten"}),
            ("qms_manager", self.version, {"description": "Rewritten"}),
        ]
        for login, record, vals in cases:
            self.authenticate(login, login)
            before = record.read(list(vals))[0]
            with self.subTest(model=record._name, user=login):
                with self.assertRaises(JsonRpcException):
                    self._rpc(record, "write", vals, context=FORGED_CONTEXT)
            record.invalidate_recordset()
            self.assertEqual(record.read(list(vals))[0], before)

    @mute_logger(*MUTED)
    def test_a_client_cannot_override_the_review_gate_with_a_context_key(self):
        order = self._order(self.customer_a, self.salesman)
        self._requirement(self.customer_a, order_id=order.id)
        self.authenticate("qms_salesman", "qms_salesman")
        with self.assertRaises(JsonRpcException):
            self._rpc(order, "action_confirm", context=FORGED_CONTEXT)
        order.invalidate_recordset()
        self.assertIn(order.state, ("draft", "sent"))
        self.assertFalse(order.qms_confirmed_without_review)

    # ------------------------------------------------------------------
    # Tracking
    # ------------------------------------------------------------------
    def _tracked(self, record, field):
        self.env.flush_all()
        self.env.cr.precommit.run()
        return self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", record._name),
                ("mail_message_id.res_id", "=", record.id),
                ("field_id.name", "=", field),
            ]
        )

    def test_allowed_changes_are_tracked(self):
        draft_review = self.env["qms.requirement.review"].create(
            {"order_id": self._order(self.customer_a, self.salesman).id}
        )
        changes = [
            (draft_review, self.salesman, "user_id", self.salesman2.id),
            (self.incident, self.qms_user, "description", "Two cavities dented."),
            # the customer's answer itself (ack_*) is theirs: see
            # qms_crm_recall/tests/test_forgery.py
            (self.notice, self.qms_user, "remedy", "repair"),
            (self.communication, self.salesman, "name", "Price increase, 3 %"),
            (self.campaign, self.qms_user, "regulator_ref", "REG-2026-7"),
            (self.answer, self.qms_user, "partner_id", self.customer_b.id),
            (self.answer, self.qms_user, "email", "someone@example.com"),
        ]
        for record, user, field, value in changes:
            with self.subTest(model=record._name, field=field):
                self.assertFalse(self._tracked(record, field))
                record.with_user(user).write({field: value})
                tracked = self._tracked(record, field)
                self.assertTrue(tracked, f"{record._name}.{field} is not tracked")
                self.assertEqual(tracked.create_uid, user)

    def test_changes_through_rpc_are_tracked(self):
        self.authenticate("qms_quality", "qms_quality")
        self._rpc(self.notice, "write", {"remedy": "return"})
        self._rpc(self.answer, "write", {"partner_id": self.customer_b.id})
        for record, field in ((self.notice, "remedy"), (self.answer, "partner_id")):
            with self.subTest(model=record._name):
                self.assertTrue(self._tracked(record, field))
