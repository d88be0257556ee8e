# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix of ``tests/access_matrix.md``: generated from the access
control lists and record rules, then checked with real operations by real
users of every group on every model of our addons.

``tests/access_matrix.md`` is never edited by hand. After a change of ACLs,
record rules or models, regenerate it (one command, from the repository root,
on a database where the addons are up to date)::

    QMS_WRITE_ACCESS_MATRIX=1 .venv/bin/python -m pytest -c pytest.ini \\
        --rootdir=. -p no:cacheprovider --odoo-config=.local/odoo.conf \\
        --odoo-database=qms_test \\
        --odoo-addons-path=/opt/odoo19/addons,/opt/odoo19/odoo/addons,$PWD \\
        tests/test_access_matrix.py -k matrix_file

and review the diff like code. Without the variable, that test fails when the
file differs from what the database says (a rule or ACL changed without the
table, or the other way round).

How a cell is made (``build_matrix``): for each model, one record is created
as the administrator (``_sample``) for customer A (sold by ``salesman``) in the
first company; for each column's user and each operation the cell says ``r``,
``w``, ``c`` or ``u`` when the access control lists grant the operation
(``ir.model.access``) *and* the user's record rules for that operation
(``ir.rule._compute_domain``) match that record. ``test_real_operations``
then does each operation for real (``read``, ``write``, ``create`` with the
record's values, ``unlink``) with ``with_user`` and expects an
``AccessError`` exactly where the cell says ``-``.

Records are made generically: required fields get a value of their type,
customer fields the customer A, company fields the first company. A model
whose records need more (a wizard's context, a parent in a given state) gets
a factory in ``FACTORIES``; a model the generic way cannot create fails the
test with its name and the error (a row nobody can test is a failure).
"""

import logging
import os
import re
from pathlib import Path

import psycopg2
from qms_repo import addon_list

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_recall.tests.common import QmsRecallCommon
from odoo.addons.qms_crm_survey.tests.common import QmsSurveyCommon

_logger = logging.getLogger(__name__)

MATRIX_FILE = Path(__file__).with_name("access_matrix.md")
ADDONS = addon_list()  # our addons, discovered (tests/qms_repo.py)
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
# column -> (description, groups of its user); None: the public user
COLUMNS = {
    "public": ("the website visitor (`base.public_user`)", None),
    "portal": ("customer A's portal user", "base.group_portal"),
    "employee": ("an internal user with none of the groups below", "base.group_user"),
    "salesman": (
        "customer A's salesperson, own documents only",
        "sales_team.group_sale_salesman",
    ),
    "sales_other": (
        "another salesperson, own documents only (not customer A's)",
        "sales_team.group_sale_salesman",
    ),
    "sales_all": (
        "a salesperson with All Documents",
        "sales_team.group_sale_salesman_all_leads",
    ),
    "helpdesk_own": (
        "a helpdesk user, personal tickets (not assigned to the record's ticket)",
        "helpdesk_mgmt.group_helpdesk_user_own",
    ),
    "helpdesk_all": (
        "a helpdesk user, all tickets",
        "helpdesk_mgmt.group_helpdesk_user",
    ),
    "qms_user": ("Quality CRM / User", "qms_crm_evidence.group_qms_user"),
    "qms_manager": ("Quality CRM / Manager", "qms_crm_evidence.group_qms_manager"),
    "dpo": (
        "Quality CRM / Data Protection Officer",
        "qms_crm_evidence.group_qms_dpo",
    ),
    "company2": (
        "a user of the second company only, with every group above (manager, "
        "officer, All Documents, helpdesk manager)",
        "qms_crm_evidence.group_qms_manager,qms_crm_evidence.group_qms_dpo,"
        "sales_team.group_sale_salesman_all_leads,helpdesk_mgmt.group_helpdesk_manager",
    ),
}
MUTED = ("odoo.models", "odoo.models.unlink", "odoo.sql_db", "odoo.addons.base")


class _Undo(Exception):
    """Raised to roll back an operation that went through."""


class MissingFactory(Exception):
    """A model whose test record the generic way cannot make."""


# ----------------------------------------------------------------------
# Factories: only for the models the generic creation cannot handle.
# ``factory(test, env) -> record``: made in ``env`` (the administrator's for
# the sample record, a user's for their own wizard), for customer A.
# ----------------------------------------------------------------------
def _f_requirement_change(test, env):
    return (
        env["qms.requirement.change"]
        .with_context(active_model="qms.requirement", active_id=test.req_a.id)
        .create(
            {
                "requirement_id": test.req_a.id,
                "name": "Matrix change",
                "description": "Matrix text",
                "category": "stated",
                "change_reason": "Matrix",
            }
        )
    )


def _f_gate_override(test, env):
    return env["qms.gate.override"].create(
        {"order_id": test.order_a.id, "reason": "Matrix override"}
    )


def _f_evidence_pack(test, env):
    return env["qms.evidence.pack"].create(
        {"clause_ids": [Command.set(test.clause.ids)]}
    )


def _f_communication_rule(test, env):
    topic = env["qms.communication.topic"].search([], limit=1)
    return env["qms.communication.rule"].create(
        {
            "name": "Matrix rule",
            "topic_id": topic.id,
            "model_id": env["ir.model"]._get_id("res.partner"),
            "action_kind": "todo",
            "active": False,
        }
    )


def _f_complaint_target(test, env):
    team = env["helpdesk.ticket.team"].create({"name": "Matrix team"})
    return env["qms.complaint.target"].create({"team_id": team.id})


def _f_requirement_review(test, env):
    return env["qms.requirement.review"].create({"order_id": test.order_a.id})


def _f_review_line(test, env):
    return test._sample("qms.requirement.review").line_ids[:1]


def _f_ticket(test, env):
    return test._complaint(test.customer_a)


def _f_evidence(test, env):
    env.flush_all()
    return env["qms.evidence"].search(
        [("res_model", "=", "qms.requirement"), ("res_id", "=", test.req_a.id)],
        limit=1,
    )


def _f_recall_campaign(test, env):
    test._deliver(test.customer_a, [(test.valve, test.lot_bad, 2)])
    campaign = test._campaign()
    campaign.action_scope()
    return campaign


def _f_recall_line(test, env):
    return test._sample("qms.recall.campaign").line_ids[:1]


def _f_focus_group(test, env):
    return env["qms.focus.group"].create(
        {
            "name": "Matrix panel",
            "purpose": "design_review",
            "member_ids": [Command.create({"partner_id": test.customer_a.id})],
        }
    )


def _f_focus_group_member(test, env):
    return test._sample("qms.focus.group").member_ids


def _f_acceptance_act(test, env):
    # the customer's signer is stamped by the act's signing methods only
    return env["qms.acceptance.act"].create(
        {"installation_id": test._sample("qms.installation").id}
    )


FACTORIES = {
    "qms.acceptance.act": _f_acceptance_act,
    "helpdesk.ticket": _f_ticket,
    "qms.evidence": _f_evidence,
    "qms.recall.campaign": _f_recall_campaign,
    "qms.recall.line": _f_recall_line,
    "qms.focus.group": _f_focus_group,
    "qms.focus.group.member": _f_focus_group_member,
    "qms.requirement.review.line": _f_review_line,
    "qms.communication.rule": _f_communication_rule,
    "qms.complaint.target": _f_complaint_target,
    "qms.requirement.review": _f_requirement_review,
    "qms.requirement.change": _f_requirement_change,
    "qms.gate.override": _f_gate_override,
    "qms.evidence.pack": _f_evidence_pack,
}


def render_matrix(matrix, rules, kinds):
    """Markdown of the matrix {model: {column: "rwcu"}} and of the rules
    {model: [(name, groups, perms, domain)]}."""
    cols = list(COLUMNS)
    lines = [
        "# Access matrix of the Quality CRM addons",
        "",
        "GENERATED by `tests/test_access_matrix.py` (`build_matrix`) from the access",
        "control lists and record rules of the database: do not edit by hand, see",
        "the test's docstring for the one command that regenerates it.",
        "",
        "A cell is what the column's user may do on a record of the model made by",
        "the administrator for customer A (sold by `salesman`) in the first",
        "company: `r` read, `w` write, `c` create, `u` unlink; `-` refused by the",
        "access control lists or the record rules. The same test does every",
        "operation for real as that user and expects exactly these refusals.",
        "Business rules come on top (evidence is never deleted, decided records",
        "are not edited...), see `tests/test_evidence_integrity.py`.",
        "Kind: `T` wizard (transient, each user sees their own), `V` SQL view.",
        "",
        "Columns:",
        "",
    ]
    for col, (label, groups) in COLUMNS.items():
        lines.append(f"- `{col}`: {label}" + (f" (`{groups}`)" if groups else ""))
    lines.append("")
    header = ["model", *cols, "kind"]
    widths = [max(len(h), 4) for h in header]
    widths[0] = max([len("model"), *(len(m) for m in matrix)])
    lines.append(
        "| "
        + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
        + " |"
    )
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for model in sorted(matrix):
        cells = [model, *(matrix[model][c] for c in cols), kinds[model]]
        lines.append(
            "| "
            + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
            + " |"
        )
    lines += ["", "## Record rules", ""]
    lines.append(
        "Per model: the rule, the groups it applies to (global: everyone), the "
        "operations (`rwcu`) and its domain."
    )
    for model in sorted(rules):
        if not rules[model]:
            continue
        lines += ["", f"### {model}", ""]
        for name, groups, perms, domain in rules[model]:
            lines.append(f"- {name} [{groups}] `{perms}`: `{domain}`")
    return "\n".join(lines) + "\n"


def parse_matrix(text=None):
    """{model: {column: {operation: allowed}}} from the Markdown table."""
    text = MATRIX_FILE.read_text(encoding="utf-8") if text is None else text
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.split("## Record rules")[0].splitlines()
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line.strip())
    ]
    header, *body = rows
    assert header[0] == "model", header
    columns = header[1:]
    assert set(COLUMNS) <= set(columns), (
        f"missing columns: {set(COLUMNS) - set(columns)}"
    )
    matrix = {}
    for model, *cells in body:
        assert model not in matrix, f"{model} has two rows"
        assert len(cells) == len(columns), f"bad row for {model}"
        row = dict(zip(columns, cells, strict=True))
        matrix[model] = {}
        for column in COLUMNS:
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
        company = cls.env.company
        cls.company2 = cls.env["res.company"].create({"name": "Matrix Second Co"})
        users = {"public": cls.env.ref("base.public_user"), "portal": cls.portal_a}
        known = {
            "employee": cls.employee,
            "salesman": cls.salesman,
            "sales_other": cls.salesman2,
            "sales_all": cls.salesman_all,
            "qms_user": cls.qms_user,
        }
        for column, (_label, groups) in COLUMNS.items():
            if column in users:
                continue
            if column in known:
                users[column] = known[column]
                continue
            target = cls.company2 if column == "company2" else company
            users[column] = new_test_user(
                cls.env,
                f"qms_matrix_{column}",
                groups=groups,
                name=f"Matrix {column}",
                email=f"{column}@matrix.example.com",
                company_id=target.id,
                company_ids=[Command.set(target.ids)],
            )
        # the fixture's manager also has All Documents: a plain one here
        cls.users = users
        # what the records of the models hang on
        cls.clause = cls.env["qms.clause"].search([("code", "=", "8.2.1")], limit=1)
        cls.order_a = cls._order(cls.customer_a, cls.salesman)
        cls.req_a = cls._requirement(cls.customer_a, order_id=cls.order_a.id)

    def setUp(self):
        super().setUp()
        # made per test: each test's records are rolled back after it
        self.samples = {}
        self.sample_vals = {}

    # ------------------------------------------------------------------
    # The models and their records
    # ------------------------------------------------------------------
    @classmethod
    def _our_models(cls):
        env = cls.env
        models = {
            name
            for name in env
            if env[name]._original_module in ADDONS and not env[name]._abstract
        }
        Data = env["ir.model.data"]
        access = env["ir.model.access"].browse(
            Data.search(
                [("module", "in", ADDONS), ("model", "=", "ir.model.access")]
            ).mapped("res_id")
        )
        return sorted(models | set(access.mapped("model_id.model")))

    def _generic_value(self, field, depth):
        if field.type == "many2one":
            comodel = field.comodel_name
            preset = {
                "res.partner": self.customer_a,
                "res.company": self.env.company,
                "res.users": self.salesman,
                "sale.order": self.order_a,
                "qms.requirement": self.req_a,
                "qms.clause": self.clause,
            }
            if comodel in preset:
                return preset[comodel].id
            if depth < 2 and comodel in self._our_models():
                return self._sample(comodel, depth + 1).id
            return self.env[comodel].search([], limit=1).id
        if field.type == "selection":
            selection = field._description_selection(self.env)
            return selection[0][0] if selection else False
        return {
            "char": "Access matrix",
            "text": "Access matrix",
            "html": "<p>Access matrix</p>",
            "integer": 1,
            "float": 1.0,
            "monetary": 1.0,
            "boolean": True,
            "date": fields.Date.today(),
            "datetime": fields.Datetime.now(),
        }.get(field.type, False)

    def _sample(self, model, depth=0):
        """One record of ``model`` for customer A in the first company, made
        by the administrator (the factory, or generically)."""
        if model in self.samples:
            return self.samples[model]
        Model = self.env[model]
        if model in FACTORIES:
            try:
                with self.env.cr.savepoint():
                    record = FACTORIES[model](self, self.env)
            except Exception as exc:  # noqa: BLE001 - reported with the model
                raise MissingFactory(f"{model}: its factory fails ({exc!r})") from exc
        elif not Model._auto:
            # SQL view: a row of customer A, else any row of the first company
            self.env.flush_all()
            domains = []
            if "partner_id" in Model._fields:
                domains.append([("partner_id", "=", self.customer_a.id)])
            domains.append([])
            record = Model.browse()
            for domain in domains:
                record = Model.sudo().search(domain, limit=1)
                if record:
                    break
            if not record:
                raise MissingFactory(
                    f"{model}: the SQL view has no row; add records it shows to "
                    "the fixture or a factory in FACTORIES"
                )
        else:
            defaults = Model.default_get(list(Model._fields))
            vals = {}
            for name, field in Model._fields.items():
                if (
                    name in defaults
                    or not field.store
                    or field.compute
                    or field.related
                    or name in models.MAGIC_COLUMNS
                ):
                    continue
                if field.required or (
                    field.type == "many2one"
                    and field.comodel_name in ("res.partner", "res.company")
                ):
                    vals[name] = self._generic_value(field, depth)
            try:
                with self.env.cr.savepoint():
                    record = Model.create(vals)
                    self.env.flush_all()
                self.sample_vals[model] = vals
            except Exception as exc:  # noqa: BLE001 - reported with the model
                raise MissingFactory(
                    f"{model}: the generic record ({vals}) cannot be created "
                    f"({exc!r}); add a factory to FACTORIES"
                ) from exc
        self.samples[model] = record
        return record

    # ------------------------------------------------------------------
    # The matrix, from the ACLs and the record rules
    # ------------------------------------------------------------------
    def _rule_allows(self, user, record, operation):
        domain = (
            self.env["ir.rule"].with_user(user)._compute_domain(record._name, operation)
        )
        if domain.is_true():
            return True
        return bool(
            record.sudo()
            .with_context(active_test=False)
            .search_count(Domain("id", "=", record.id) & domain)
        )

    def build_matrix(self):
        """({model: {column: "rwcu"}}, {model: rules}, {model: kind}) of the
        database, for the sample record of every model."""
        matrix, rules, kinds, missing = {}, {}, {}, []
        Rule = self.env["ir.rule"].sudo()
        for model in self._our_models():
            Model = self.env[model]
            kinds[model] = "T" if Model._transient else ("V" if not Model._auto else "")
            try:
                record = self._sample(model)
            except MissingFactory as exc:
                missing.append(str(exc))
                continue
            matrix[model] = {}
            for column, user in self.users.items():
                letters = ""
                for letter, operation in OPERATIONS.items():
                    allowed = Model.with_user(user).has_access(operation)
                    if allowed and Model._transient:
                        # a wizard: each user works on their own
                        allowed = True
                    elif allowed:
                        allowed = self._rule_allows(user, record, operation)
                    letters += letter if allowed else "-"
                matrix[model][column] = letters
            rules[model] = [
                (
                    rule.name,
                    ", ".join(
                        sorted(g.get_external_id()[g.id] or g.name for g in rule.groups)
                    )
                    or "global",
                    "".join(
                        letter if rule[f"perm_{op}"] else "-"
                        for letter, op in OPERATIONS.items()
                    ),
                    rule.domain_force,
                )
                for rule in Rule.search(
                    [("model_id.model", "=", model), ("active", "=", True)],
                    order="name, id",
                )
            ]
        return matrix, rules, kinds, missing

    def test_matrix_file_is_generated_from_the_database(self):
        matrix, rules, kinds, missing = self.build_matrix()
        self.assertFalse(missing, "models nobody can test:\n" + "\n".join(missing))
        text = render_matrix(matrix, rules, kinds)
        if os.environ.get("QMS_WRITE_ACCESS_MATRIX"):
            MATRIX_FILE.write_text(text, encoding="utf-8")
            _logger.info("access matrix written to %s", MATRIX_FILE)
        self.assertEqual(
            MATRIX_FILE.read_text(encoding="utf-8"),
            text,
            f"{MATRIX_FILE.name} is not what the ACLs and rules say: regenerate it "
            "(see the docstring of tests/test_access_matrix.py) and review the diff",
        )

    def test_parser_rejects_a_bad_table(self):
        table = (
            "| model | " + " | ".join(COLUMNS) + " |\n|---|\n"
            "| x.y | rw | " + " | ".join("----" for _c in list(COLUMNS)[1:]) + " |\n"
        )
        with self.assertRaises(AssertionError):
            parse_matrix(table)

    # ------------------------------------------------------------------
    # Real operations as real users
    # ------------------------------------------------------------------
    def _try(self, callable_):
        """Run callable_ in a savepoint that is always rolled back: the
        exception it raised, or None."""
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
        expected = parse_matrix()
        ours = self._our_models()
        missing = sorted(set(ours) - set(expected))
        self.assertFalse(missing, f"models without a row: {missing} (regenerate)")
        tried = {"refused": 0, "refused by a business rule first": 0, "allowed": 0}
        failures = []
        for model in ours:
            record = self._sample(model)
            Model = self.env[model]
            values = {}
            if Model._auto and not Model._transient:
                # the record's values, without the empty lists of links
                values = {
                    name: value
                    for name, value in record.copy_data()[0].items()
                    if not (
                        Model._fields[name].type in ("one2many", "many2many")
                        and not any(command[2] for command in value or ())
                    )
                }
            for column, user in self.users.items():
                cell = expected[model][column]
                mine = record
                if Model._transient and cell["create"]:
                    # a wizard: the user's own
                    factory = FACTORIES.get(model)
                    mine = (
                        factory(self, self.env(user=user))
                        if factory
                        else Model.with_user(user).create(self.sample_vals[model])
                    )
                attempts = {
                    "read": lambda r=mine, u=user: r.with_user(u).read(
                        ["display_name"]
                    ),
                    "write": lambda r=mine, u=user: r.with_user(u).write({}),
                    "create": lambda m=model, u=user, v=values: (
                        self.env[m].with_user(u).create(v)
                    ),
                    "unlink": lambda r=mine, u=user: r.with_user(u).unlink(),
                }
                if not Model._auto or Model._transient:
                    attempts.pop("create")
                for operation, attempt in attempts.items():
                    allowed = cell[operation]
                    error = self._try(attempt)
                    if allowed:
                        if isinstance(error, AccessError):
                            failures.append(
                                f"{model} / {column} / {operation}: refused "
                                f"though the matrix allows it: {error}"
                            )
                        tried["allowed"] += 1
                    elif isinstance(error, AccessError):
                        tried["refused"] += 1
                    elif operation in ("create", "unlink") and isinstance(
                        error, UserError | ValidationError | psycopg2.IntegrityError
                    ):
                        # refused by a check that runs before the access
                        # check: nothing was created or deleted either
                        tried["refused by a business rule first"] += 1
                    else:
                        failures.append(
                            f"{model} / {column} / {operation}: not refused ({error!r})"
                        )
        print(f"access matrix, real operations: {tried}")
        self.assertFalse(failures, "\n".join(failures))
        self.assertGreater(tried["refused"], 300)
        self.assertGreater(tried["allowed"], 100)
