# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix of tests/access_matrix.md, checked for every model of our
four addons and every kind of user.

For each cell: ``has_access`` / ``check_access`` agree with the table, and a
real operation as a real user of that group does what the table says (a
refused read, create, write or unlink raises ``AccessError`` on a real record;
an allowed one gets past the access check). Record rules are checked with two
salespeople selling to two customers, on the models of the survey and recall
addons (``qms_crm/tests/test_access.py`` covers those of qms_crm).
"""

import logging
import re
from pathlib import Path

from qms_repo import addon_list

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_recall.tests.common import QmsRecallCommon
from odoo.addons.qms_crm_survey.tests.common import QmsSurveyCommon

_logger = logging.getLogger(__name__)

MATRIX_FILE = Path(__file__).with_name("access_matrix.md")
ADDONS = addon_list()  # our addons, discovered (tests/qms_repo.py)
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# column of the table -> group xmlid (None: the public user)
GROUPS = {
    "public": None,
    "portal": "base.group_portal",
    "employee": "base.group_user",
    "salesman": "sales_team.group_sale_salesman",
    "qms_user": "qms_crm_evidence.group_qms_user",
    "qms_manager": "qms_crm_evidence.group_qms_manager",
    "dpo": "qms_crm_evidence.group_qms_dpo",
}
MUTED = ("odoo.models", "odoo.models.unlink", "odoo.sql_db", "odoo.addons.base")


class _Undo(Exception):
    """Raised to roll back an operation that went through."""


def parse_matrix(text=None):
    """{model: {column: {operation: allowed}}} from the Markdown table."""
    text = MATRIX_FILE.read_text(encoding="utf-8") if text is None else text
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line.strip())
    ]
    header, *body = rows
    assert header[0] == "model", header
    columns = header[1:]
    assert set(GROUPS) <= set(columns), f"missing columns: {set(GROUPS) - set(columns)}"
    matrix = {}
    for model, *cells in body:
        assert model not in matrix, f"{model} has two rows"
        assert len(cells) == len(columns), f"bad row for {model}"
        row = dict(zip(columns, cells, strict=True))
        matrix[model] = {}
        for column in GROUPS:
            flags = row[column]
            assert re.fullmatch(r"[r-][w-][c-][u-]", flags), (model, column, flags)
            matrix[model][column] = {
                op: letter in flags for letter, op in OPERATIONS.items()
            }
    return matrix


@tagged("post_install", "-at_install")
class TestAccessMatrix(QmsRecallCommon, QmsSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = parse_matrix()
        cls.dpo = new_test_user(
            cls.env,
            "qms_matrix_dpo",
            groups="qms_crm_evidence.group_qms_dpo",
            name="Dora Data-Officer",
            email="dora@example.com",
        )
        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal": cls.portal_a,
            "employee": cls.employee,
            "salesman": cls.salesman,
            "qms_user": cls.qms_user,
            "qms_manager": cls.qms_manager,
            "dpo": cls.dpo,
        }
        # records of customer_a (salesman) and customer_b (salesman2) in the
        # survey and recall addons
        cls._deliver(cls.customer_a, [(cls.valve, cls.lot_bad, 5)])
        cls._deliver(cls.customer_b, [(cls.valve, cls.lot_bad, 3)])
        cls.campaign = cls._campaign()
        cls.campaign.action_scope()
        cls.recall_a = cls.campaign.line_ids.filtered(
            lambda line: line.partner_id == cls.customer_a
        )
        cls.recall_b = cls.campaign.line_ids.filtered(
            lambda line: line.partner_id == cls.customer_b
        )
        cls.answer_a = cls._answer(cls.nps, cls.customer_a, {"nps": 9})
        cls.answer_b = cls._answer(cls.nps, cls.customer_b, {"nps": 3})
        cls.invitation_a, cls.invitation_b = cls.env["qms.survey.invitation"].create(
            [
                {
                    "survey_id": cls.nps.id,
                    "partner_id": partner.id,
                    "customer_id": partner.id,
                    "state": "sent",
                    "trigger": "manual",
                }
                for partner in (cls.customer_a, cls.customer_b)
            ]
        )

    # ------------------------------------------------------------------
    # The table itself
    # ------------------------------------------------------------------
    def _our_models(self):
        models = {
            name
            for name in self.env
            if self.env[name]._original_module in ADDONS
            and not self.env[name]._abstract
        }
        Data = self.env["ir.model.data"]
        access = self.env["ir.model.access"].browse(
            Data.search(
                [("module", "in", ADDONS), ("model", "=", "ir.model.access")]
            ).mapped("res_id")
        )
        return models | set(access.mapped("model_id.model"))

    def test_every_model_of_the_addons_has_a_row(self):
        ours = self._our_models()
        self.assertIn("qms.requirement", ours)
        self.assertIn("qms.recall.line", ours)
        self.assertIn("qms.survey.invitation", ours)
        self.assertIn("helpdesk.ticket", ours)
        missing = sorted(ours - set(self.matrix))
        self.assertFalse(
            missing,
            f"models without a row in {MATRIX_FILE.name}: {missing} "
            "(add a row with the access each group must have)",
        )
        stale = sorted(set(self.matrix) - ours)
        self.assertFalse(stale, f"rows of models that are not ours: {stale}")

    def test_parser_rejects_a_bad_table(self):
        table = (
            "| model | public | portal | employee | salesman | qms_user "
            "| qms_manager | dpo |\n|---|---|---|---|---|---|---|---|\n"
            "| x.y | ---- | ---- | rw | ---- | ---- | ---- | ---- |\n"
        )
        with self.assertRaises(AssertionError):
            parse_matrix(table)

    def test_acl_of_every_model_and_group_is_as_designed(self):
        checked = 0
        for model, row in self.matrix.items():
            for column, expected in row.items():
                Model = self.env[model].with_user(self.users[column])
                for operation, allowed in expected.items():
                    with self.subTest(model=model, group=column, op=operation):
                        self.assertEqual(Model.has_access(operation), allowed)
                        if allowed:
                            Model.check_access(operation)
                        else:
                            with self.assertRaises(AccessError):
                                Model.check_access(operation)
                    checked += 1
        print(f"access matrix: {len(self.matrix)} models, {checked} checks")

    # ------------------------------------------------------------------
    # Real operations as real users
    # ------------------------------------------------------------------
    def _sample(self, model):
        """A record of the model (superuser), or an empty recordset."""
        Model = self.env[model].sudo()
        if Model._transient:
            return Model.browse()
        domain = [("active", "in", (True, False))] if "active" in Model._fields else []
        return Model.search(domain, limit=1)

    def _try(self, callable_):
        """Run callable_ in a savepoint that is always rolled back: the
        exception it raised, or None."""
        error = None
        try:
            with self.env.cr.savepoint():
                callable_()
                self.env.flush_all()
                raise _Undo()
        except _Undo:
            error = None
        except Exception as exc:  # noqa: BLE001 - classified by the caller
            error = exc
        self.env.invalidate_all()
        return error

    @mute_logger(*MUTED)
    def test_real_operations_as_real_users_follow_the_matrix(self):
        tried = {"refused": 0, "refused by validation first": 0, "let through": 0}
        for model, row in self.matrix.items():
            sample = self._sample(model)
            for column, expected in row.items():
                user = self.users[column]
                Model = self.env[model].with_user(user)
                record = sample.with_user(user)
                visible = Model.browse()
                if expected["read"]:
                    # the user's own records, as the record rules let them
                    visible = Model.search([], limit=20)
                attempts = {
                    "read": (
                        lambda Model=Model: Model.search([], limit=1).read(
                            ["display_name"]
                        )
                    ),
                    "create": lambda Model=Model: Model.create({}),
                }
                if record:
                    attempts["write"] = lambda record=record: record.write({})
                    attempts["unlink"] = lambda record=record: record.unlink()
                for operation, attempt in attempts.items():
                    allowed = expected[operation]
                    if operation in ("write", "unlink") and allowed:
                        # an allowed write or unlink: on a record the rules
                        # give the user for that operation
                        mine = visible._filtered_access(operation)[:1]
                        if not mine:
                            continue
                        attempt = (
                            (lambda mine=mine: mine.write({}))
                            if operation == "write"
                            else (lambda mine=mine: mine.unlink())
                        )
                    with self.subTest(model=model, group=column, op=operation):
                        error = self._try(attempt)
                        if allowed:
                            # past the access check: it may still fail on
                            # missing values or a business rule
                            self.assertNotIsInstance(error, AccessError)
                            tried["let through"] += 1
                        elif isinstance(error, AccessError):
                            tried["refused"] += 1
                        elif operation == "create" and isinstance(
                            error, UserError | ValidationError
                        ):
                            # refused by a check that runs before the access
                            # check of create: nothing was created either
                            tried["refused by validation first"] += 1
                        else:
                            self.fail(f"not refused: {error!r}")
        print(f"access matrix, real operations: {tried}")
        self.assertGreater(tried["refused"], 500)
        self.assertGreater(tried["let through"], 100)

    # ------------------------------------------------------------------
    # Record rules: two salespeople, two customers
    # ------------------------------------------------------------------
    def _assert_sees(self, user, model, visible, hidden):
        Model = self.env[model].with_user(user)
        found = Model.search([("id", "in", (visible | hidden).ids)])
        self.assertEqual(
            sorted(found.ids), sorted(visible.ids), f"{user.login} on {model}"
        )
        visible.with_user(user).read(["display_name"])
        if hidden:
            with self.assertRaises(AccessError, msg=f"{user.login} reads {model}"):
                hidden.with_user(user).read(["display_name"])

    def _per_customer(self):
        self.env.flush_all()
        report = self.env["qms.satisfaction.report"]
        return [
            ("qms.recall.line", self.recall_a, self.recall_b),
            ("qms.survey.invitation", self.invitation_a, self.invitation_b),
            (
                "qms.satisfaction.report",
                report.search([("user_input_id", "=", self.answer_a.id)]),
                report.search([("user_input_id", "=", self.answer_b.id)]),
            ),
        ]

    def test_fixture_has_records_of_both_customers(self):
        for model, records_a, records_b in self._per_customer():
            with self.subTest(model=model):
                self.assertTrue(records_a)
                self.assertTrue(records_b)

    def test_salespeople_see_only_their_own_customers(self):
        for model, records_a, records_b in self._per_customer():
            with self.subTest(model=model):
                self._assert_sees(self.salesman, model, records_a, records_b)
                self._assert_sees(self.salesman2, model, records_b, records_a)

    def test_quality_staff_and_all_documents_see_every_customer(self):
        for user in (self.salesman_all, self.qms_user, self.qms_manager, self.dpo):
            for model, records_a, records_b in self._per_customer():
                with self.subTest(user=user.login, model=model):
                    self._assert_sees(
                        user, model, records_a | records_b, records_a.browse()
                    )

    def test_salespeople_change_nothing_of_recalls_and_invitations(self):
        for user in (self.salesman, self.salesman2):
            for record in (self.recall_a, self.invitation_a, self.campaign):
                with self.subTest(user=user.login, model=record._name):
                    with self.assertRaises(AccessError):
                        record.with_user(user).write({})

    def test_portal_and_public_users_see_no_recall_or_survey_record(self):
        for user in (self.portal_a, self.portal_b, self.users["public"]):
            for model, records_a, records_b in self._per_customer():
                with self.subTest(user=user.login, model=model):
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).search([])
                    with self.assertRaises(AccessError):
                        (records_a | records_b).with_user(user).read(["id"])

    def test_portal_owner_reads_own_property_only(self):
        Property = self.env["qms.property"]
        prop_a, prop_b = Property.create(
            [
                {
                    "name": f"Mould of {partner.name}",
                    "partner_id": partner.id,
                    "kind": "equipment",
                }
                for partner in (self.customer_a, self.customer_b)
            ]
        )
        self._assert_sees(self.portal_a, "qms.property", prop_a, prop_b)
        self._assert_sees(self.portal_b, "qms.property", prop_b, prop_a)
        with self.assertRaises(AccessError):
            prop_a.with_user(self.portal_a).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            Property.with_user(self.portal_a).create(
                {"name": "x", "partner_id": self.customer_a.id, "kind": "equipment"}
            )
