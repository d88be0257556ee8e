# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones
from odoo.addons.qms_crm_requirement.tests.common import (
    QmsRequirementCommon as QmsCrmCommon,
)

MIXIN = "qms.evidence.indexed"

# every clause the product serves, with the code of its parent
SERVED_CLAUSES = {
    "5.1.2 a)": "5.1.2",
    "5.1.2 b)": "5.1.2",
    "5.1.2 c)": "5.1.2",
    "7.4 a)": "7.4",
    "7.4 b)": "7.4",
    "7.4 c)": "7.4",
    "7.4 d)": "7.4",
    "7.4 e)": "7.4",
    "8.2.1 a)": "8.2.1",
    "8.2.1 b)": "8.2.1",
    "8.2.1 c)": "8.2.1",
    "8.2.1 d)": "8.2.1",
    "8.2.1 e)": "8.2.1",
    "8.2.3.1 a)": "8.2.3.1",
    "8.2.3.1 b)": "8.2.3.1",
    "8.2.3.1 c)": "8.2.3.1",
    "8.2.3.1 d)": "8.2.3.1",
    "8.2.3.1 e)": "8.2.3.1",
    "8.2.3.2": "8.2.3",
    "8.2.4": "8.2",
    "8.3.2 g)": "8.3.2",
    "8.5.1": "8.5",
    "8.5.3": "8.5",
    "8.5.5": "8.5",
    "8.7.1 c)": "8.7.1",
    "9.1.2": "9.1",
    "9.3.2 c) 1)": "9.3.2",
}


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestClause(QmsCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Clause = cls.env["qms.clause"]
        cls.clause = {
            code: Clause.search([("code", "=", code)])
            for code in ("8", "8.2", "8.2.3", "8.2.3.1", "8.2.3.1 a)", "8.2.3.1 b)")
        }
        # a private branch of the registry: exact evidence figures, no demo data
        cls.t_root = Clause.create({"code": "T", "name": "Test clause"})
        cls.t_sub = Clause.create(
            {"code": "T.1", "name": "Test sub-clause", "parent_id": cls.t_root.id}
        )

    # ------------------------------------------------------------------
    def _clause(self, code):
        clause = self.env["qms.clause"].search([("code", "=", code)])
        self.assertEqual(len(clause), 1, f"clause {code!r} is missing")
        return clause

    def _tagged_requirement(self, clauses, **vals):
        """A requirement carrying exactly ``clauses`` as its clause tags."""
        req = self._requirement(**vals)
        req.qms_clause_ids = [Command.set(clauses.ids)]
        return req

    def _set_create_date(self, record, when):
        self.env.flush_all()
        self.env.cr.execute(
            f'UPDATE "{record._table}" SET create_date = %s WHERE id IN %s',
            [when, tuple(record.ids)],
        )
        self.env.invalidate_all()

    def _evidence(self, record):
        return self.env["qms.evidence"].search(
            [("res_model", "=", record._name), ("res_id", "in", record.ids)]
        )

    def _registry_walk(self):
        """Concrete models reaching the mixin through ``_inherit``, found
        independently of ``qms.evidence._evidence_models``."""
        registry = self.env.registry

        def inherits_mixin(name, seen):
            # _inherit of the registry class is the last extension's; the
            # parents of every definition are the keys of _inherit_module
            for parent in registry[name]._inherit_module:
                if parent == MIXIN:
                    return True
                if parent != name and parent not in seen and parent in registry:
                    seen.add(parent)
                    if inherits_mixin(parent, seen):
                        return True
            return False

        return sorted(
            name
            for name in registry
            if name != MIXIN
            and not registry[name]._abstract
            and registry[name]._auto
            and inherits_mixin(name, {name})
        )

    # ------------------------------------------------------------------
    # Registry
    # ------------------------------------------------------------------
    def test_every_served_clause_exists_under_its_parent(self):
        for code, parent_code in SERVED_CLAUSES.items():
            with self.subTest(code=code):
                clause = self._clause(code)
                parent = self._clause(parent_code)
                self.assertEqual(clause.parent_id, parent)
                self.assertTrue(
                    clause.parent_path.endswith(f"/{parent.id}/{clause.id}/"),
                    clause.parent_path,
                )
                self.assertTrue(clause.name and clause.name != code)
        # the whole chain up to the top clause exists as well
        self.assertEqual(
            self._clause("8.2.3.1 a)").parent_path,
            "".join(
                f"{self._clause(code).id}/"
                for code in ("8", "8.2", "8.2.3", "8.2.3.1", "8.2.3.1 a)")
            ),
        )

    def test_clause_codes_are_unique(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["qms.clause"].create({"code": "8.2.4", "name": "Duplicate"})

    def test_clause_parent_cycle_is_refused(self):
        # the parent_store update or the constraint refuses it, whichever is first
        with self.assertRaises(UserError):
            self.clause["8.2"].parent_id = self.clause["8.2.3.1 a)"]
        with self.assertRaises(UserError):
            self.t_root.parent_id = self.t_root
        with self.assertRaises(UserError):
            self.t_root.parent_id = self.t_sub
        self.env.invalidate_all()
        self.assertEqual(self.clause["8.2"].parent_id, self.clause["8"])
        self.assertFalse(self.t_root.parent_id)

    def test_employee_reads_but_cannot_write_clauses(self):
        clause = self.clause["8.2.3"].with_user(self.employee)
        self.assertTrue(clause.name)
        with self.assertRaises(AccessError):
            clause.write({"name": "Rewritten by an employee"})
        with self.assertRaises(AccessError):
            self.env["qms.clause"].with_user(self.employee).create(
                {"code": "X.1", "name": "Not allowed"}
            )
        with self.assertRaises(AccessError):
            self.env["qms.clause"].with_user(self.salesman).create(
                {"code": "X.2", "name": "Not allowed either"}
            )

    def test_manager_adds_a_clause_under_an_existing_one(self):
        parent = self.clause["8.2.3.1"]
        clause = (
            self.env["qms.clause"]
            .with_user(self.qms_manager)
            .create(
                {
                    "code": "8.2.3.1 f)",
                    "name": "Customer-specific",
                    "parent_id": parent.id,
                }
            )
        )
        self.assertEqual(clause.parent_path, f"{parent.parent_path}{clause.id}/")
        self.assertIn(clause, parent.child_ids)
        self.assertEqual(clause.display_name, "8.2.3.1 f) Customer-specific")

    def test_clause_with_evidence_cannot_be_deleted(self):
        self._tagged_requirement(self.t_sub)
        with self.assertRaisesRegex(UserError, "carry evidence"):
            self.t_root.unlink()

    def test_clause_titles_load_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["qms_crm_evidence"], ["ru_RU"], overwrite=True
        )
        clause = self.env.ref("qms_crm_evidence.clause_5_1_2")
        self.assertEqual(
            clause.with_context(lang="ru_RU").name, "Ориентация на потребителей"
        )
        self.assertEqual(clause.with_context(lang="en_US").name, "Customer focus")
        # every clause of the registry data has a Russian title
        data = self.env["ir.model.data"].search(
            [("module", "=", "qms_crm_evidence"), ("model", "=", "qms.clause")]
        )
        clauses = self.env["qms.clause"].browse(data.mapped("res_id"))
        self.assertGreaterEqual(len(clauses), 48)
        untranslated = [
            c.code
            for c in clauses.with_context(lang="ru_RU")
            if not re.search("[а-яА-ЯёЁ]", c.name or "")
        ]
        self.assertFalse(untranslated, "clauses without a Russian title")

    # ------------------------------------------------------------------
    # Mixin
    # ------------------------------------------------------------------
    def test_new_evidence_records_carry_their_default_clauses(self):
        req = self._requirement()
        self.assertEqual(
            set(req.qms_clause_ids.mapped("code")),
            {"8.2.3.1", "5.1.2 a)", "8.2.3.1 a)"},
        )
        order = self._order()
        self._requirement(order_id=order.id)
        review = self.env["qms.requirement.review"].create({"order_id": order.id})
        self.assertEqual(
            set(review.qms_clause_ids.mapped("code")), {"8.2.3", "8.2.3.2"}
        )
        risk = self.env["qms.customer.risk"].create(
            {"name": "Single supplier", "partner_id": self.customer_a.id}
        )
        self.assertEqual(risk.qms_clause_ids.mapped("code"), ["5.1.2 b)"])

    def test_every_default_clause_code_exists_in_the_registry(self):
        for name in self.env["qms.evidence"]._evidence_models():
            model = self.env[name]
            with self.subTest(model=name):
                self.assertEqual(
                    set(model._qms_default_clause_ids().mapped("code")),
                    set(model._qms_default_clauses),
                )

    # ------------------------------------------------------------------
    # Evidence index
    # ------------------------------------------------------------------
    def test_index_lists_every_concrete_model_inheriting_the_mixin(self):
        models = self.env["qms.evidence"]._evidence_models()
        self.assertEqual(models, self._registry_walk())
        self.assertTrue(
            {
                "qms.requirement",
                "qms.requirement.version",
                "qms.requirement.ack",
                "qms.requirement.confirmation",
                "qms.requirement.review",
                "qms.customer.risk",
            }
            <= set(models),
            models,
        )
        # and the SQL view has a branch for each of them
        self.env.cr.execute("SELECT pg_get_viewdef('qms_evidence'::regclass)")
        view_sql = self.env.cr.fetchone()[0]
        for name in models:
            self.assertIn(f"'{name}'", view_sql)

    def test_new_requirement_adds_one_index_row_per_clause_tag(self):
        req = self._requirement(partner_id=self.customer_a.id)
        rows = self._evidence(req)
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows.clause_id, req.qms_clause_ids)
        self.assertEqual(rows.partner_id, self.customer_a)
        self.assertEqual(rows.user_id, self.env.user)
        self.assertEqual(set(rows.mapped("evidence_date")), {req.create_date})
        self.assertEqual(rows.res_model_id.model, "qms.requirement")
        self.assertEqual(rows[0].record_ref, req)
        # a new tag is a new row, a removed tag takes its row away
        req.qms_clause_ids = [Command.link(self.t_sub.id)]
        self.assertEqual(len(self._evidence(req)), 4)
        req.qms_clause_ids = [Command.unlink(self.t_sub.id)]
        self.assertEqual(len(self._evidence(req)), 3)

    def test_stat_counts_per_clause_and_model_with_the_latest_record(self):
        Stat = self.env["qms.evidence.stat"]
        first = self._tagged_requirement(self.t_sub)
        second = self._tagged_requirement(self.t_sub, partner_id=self.customer_b.id)
        risk = self.env["qms.customer.risk"].create(
            {"name": "Late payments", "partner_id": self.customer_a.id}
        )
        risk.qms_clause_ids = [Command.link(self.t_sub.id)]
        self._set_create_date(first, datetime(2025, 3, 1, 12, 0))
        stats = Stat.search([("clause_id", "=", self.t_sub.id)])
        by_model = {stat.res_model: stat for stat in stats}
        self.assertEqual(set(by_model), {"qms.requirement", "qms.customer.risk"})
        self.assertEqual(by_model["qms.requirement"].record_count, 2)
        self.assertEqual(by_model["qms.requirement"].last_res_id, second.id)
        self.assertEqual(by_model["qms.requirement"].last_date, second.create_date)
        self.assertEqual(by_model["qms.customer.risk"].record_count, 1)
        self.assertEqual(by_model["qms.customer.risk"].last_res_id, risk.id)
        self.assertEqual(self.t_sub.evidence_stat_ids, stats)
        # statistics are per clause: nothing directly on the parent
        self.assertFalse(Stat.search([("clause_id", "=", self.t_root.id)]))

    def test_evidence_of_a_sub_clause_counts_in_every_parent(self):
        codes = ("8.2.3.1 a)", "8.2.3.1", "8.2.3", "8.2", "8", "8.2.3.1 b)")
        clauses = self.env["qms.clause"].browse(self.clause[c].id for c in codes)
        before = {c.code: c.evidence_count for c in clauses}
        req = self._tagged_requirement(self.clause["8.2.3.1 a)"])
        self.env.invalidate_all()
        after = {c.code: c.evidence_count for c in clauses}
        for code in codes[:-1]:
            self.assertEqual(after[code], before[code] + 1, code)
        self.assertEqual(after["8.2.3.1 b)"], before["8.2.3.1 b)"])
        self.assertEqual(self.clause["8.2.3"].last_evidence_date, req.create_date)
        # exact figures on the private branch
        self._tagged_requirement(self.t_sub)
        self._tagged_requirement(self.t_root)
        self.env.invalidate_all()
        self.assertEqual(
            (self.t_root.evidence_count, self.t_sub.evidence_count), (2, 1)
        )

    def test_period_counts_follow_the_dates_in_the_context(self):
        old = self._tagged_requirement(self.t_sub)
        self._tagged_requirement(self.t_sub)
        self._set_create_date(old, datetime(2025, 1, 15, 10, 0))
        # default period: the last 90 days
        self.assertEqual(self.t_sub.period_evidence_count, 1)
        self.assertEqual(self.t_root.period_evidence_count, 1)
        january = self.t_root.with_context(
            qms_date_from="2025-01-01 00:00:00", qms_date_to="2025-01-31 23:59:59"
        )
        self.assertEqual(january.period_evidence_count, 1)
        self.assertEqual(
            january.period_last_evidence_date, datetime(2025, 1, 15, 10, 0)
        )
        february = self.t_root.with_context(
            qms_date_from="2025-02-01 00:00:00", qms_date_to="2025-02-28 23:59:59"
        )
        self.assertEqual(february.period_evidence_count, 0)
        self.assertFalse(february.has_recent_evidence)
        # the bounds are inclusive
        exact = self.t_sub.with_context(
            qms_date_from="2025-01-15 10:00:00", qms_date_to="2025-01-15 10:00:00"
        )
        self.assertEqual(exact.period_evidence_count, 1)
        # lifetime figures ignore the period
        self.assertEqual(january.evidence_count, 2)

    def test_search_finds_clauses_without_evidence_in_90_days(self):
        Clause = self.env["qms.clause"]
        self.assertIn(self.t_sub, Clause.search([("has_recent_evidence", "=", False)]))
        self.assertNotIn(
            self.t_sub, Clause.search([("has_recent_evidence", "=", True)])
        )
        old = self._tagged_requirement(self.t_sub)
        self._set_create_date(old, fields.Datetime.now() - timedelta(days=91))
        self.assertIn(self.t_sub, Clause.search([("has_recent_evidence", "=", False)]))
        self.assertIn(self.t_root, Clause.search([("has_recent_evidence", "!=", True)]))
        recent = self._tagged_requirement(self.t_sub)
        self._set_create_date(recent, fields.Datetime.now() - timedelta(days=89))
        with_evidence = Clause.search([("has_recent_evidence", "=", True)])
        self.assertIn(self.t_sub, with_evidence)
        self.assertIn(self.t_root, with_evidence)  # through its sub-clause
        self.assertNotIn(
            self.t_sub, Clause.search([("has_recent_evidence", "=", False)])
        )
        self.assertNotIn(
            self.t_sub, Clause.search([("has_recent_evidence", "!=", True)])
        )
        self.assertEqual(
            Clause.search([("has_recent_evidence", "in", [True])]), with_evidence
        )

    def test_coverage_wizard_checks_the_period_and_passes_it_on(self):
        Wizard = self.env["qms.clause.coverage"].with_user(self.qms_user)
        with self.assertRaises(ValidationError):
            Wizard.create({"date_from": date(2025, 2, 1), "date_to": date(2025, 1, 1)})
        default = Wizard.create({})
        self.assertEqual(default.date_to - default.date_from, timedelta(days=90))
        wizard = Wizard.create(
            {"date_from": date(2025, 1, 1), "date_to": date(2025, 1, 31)}
        )
        action = wizard.action_open()
        self.assertEqual(action["res_model"], "qms.clause")
        # midnights of the user's time zone, in UTC
        zone = ZoneInfo(self.qms_user.tz or "UTC")

        def utc(day, hour=0, second=0):
            moment = datetime.combine(day, time(hour), zone) + timedelta(seconds=second)
            return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

        self.assertEqual(action["context"]["qms_date_from"], utc(date(2025, 1, 1)))
        self.assertEqual(
            action["context"]["qms_date_to"], utc(date(2025, 2, 1), second=-1)
        )
        # the list opened with that context counts evidence of that period
        req = self._tagged_requirement(self.t_sub)
        self._set_create_date(
            req, fields.Datetime.to_datetime(utc(date(2025, 1, 31), hour=18))
        )
        clauses = self.env["qms.clause"].with_context(**action["context"])
        self.assertEqual(clauses.browse(self.t_root.id).period_evidence_count, 1)
        self.assertEqual(self.t_root.period_evidence_count, 0)

    def test_index_is_rebuilt_when_its_view_was_dropped(self):
        req = self._tagged_requirement(self.t_sub)
        self.env.flush_all()
        self.env.cr.execute("DROP VIEW qms_evidence CASCADE")
        self.env.cr.execute(
            "SELECT viewname FROM pg_views "
            "WHERE viewname IN ('qms_evidence', 'qms_evidence_stat')"
        )
        self.assertFalse(self.env.cr.fetchall())
        self.env["qms.evidence"]._register_hook()
        self.env.cr.execute(
            "SELECT viewname FROM pg_views "
            "WHERE viewname IN ('qms_evidence', 'qms_evidence_stat')"
        )
        self.assertEqual(
            sorted(r[0] for r in self.env.cr.fetchall()),
            ["qms_evidence", "qms_evidence_stat"],
        )
        self.env.invalidate_all()
        self.assertEqual(self._evidence(req).clause_id, self.t_sub)
        stat = self.env["qms.evidence.stat"].search([("clause_id", "=", self.t_sub.id)])
        self.assertEqual(stat.record_count, 1)

    def test_evidence_is_never_deleted_even_by_superuser(self):
        req = self._requirement()
        risk = self.env["qms.customer.risk"].create(
            {"name": "Key account may leave", "partner_id": self.customer_a.id}
        )
        order = self._order()
        self._requirement(order_id=order.id)
        review = self.env["qms.requirement.review"].create({"order_id": order.id})
        for record in (req, risk, review):
            with self.subTest(model=record._name):
                with self.assertRaisesRegex(UserError, "never deleted"):
                    record.sudo().unlink()
                self.assertTrue(record.exists())
        # archiving is the way out
        req.action_archive()
        self.assertFalse(req.active)
