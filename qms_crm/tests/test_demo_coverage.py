# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os
import re

from odoo.tests import TransactionCase, tagged

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
HEADER = "| Clause | Evidence (model) | Menu |"


def readme_clauses():
    """Clause codes of the README's clause / evidence table, ranges such as
    ``8.2.3.1 a)–e)`` expanded."""
    with open(README, encoding="utf-8") as file:
        lines = file.read().splitlines()
    start = lines.index(HEADER) + 2
    codes = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cell = line.split("|")[1].strip()
        for part in (p.strip() for p in cell.split(",")):
            ranged = re.fullmatch(r"(.+) ([a-z])\)–([a-z])\)", part)
            if ranged:
                base, first, last = ranged.groups()
                codes += [f"{base} {chr(c)})" for c in range(ord(first), ord(last) + 1)]
            elif part != "all":
                codes.append(part)
    return codes


@tagged("post_install", "-at_install")
class TestDemoCoverage(TransactionCase):
    def test_every_clause_of_the_readme_is_green_on_the_demo_database(self):
        codes = readme_clauses()
        self.assertIn("8.5.5", codes)
        self.assertIn("8.2.3.1 e)", codes)
        self.assertGreaterEqual(len(codes), 20)
        Clause = self.env["qms.clause"].with_user(self.env.ref("base.user_admin"))
        action = (
            self.env["qms.clause.coverage"]
            .with_user(self.env.ref("base.user_admin"))
            .create({})
            .action_open()
        )
        clauses = Clause.with_context(**action["context"]).search(
            [("code", "in", codes)]
        )
        self.assertEqual(sorted(clauses.mapped("code")), sorted(set(codes)))
        red = clauses.filtered(lambda c: not c.has_recent_evidence).mapped("code")
        self.assertFalse(red, f"clauses without evidence in the demo data: {red}")

    def test_complaints_answers_recall_lines_and_compensation_are_indexed(self):
        Index = self.env["qms.evidence"]
        expected = {
            "helpdesk.ticket": {"8.2.1 c)", "8.5.5"},
            "survey.user_input": {"9.1.2"},
            "qms.recall.line": {"8.2.1 e)", "8.7.1 c)"},
            "qms.compensation.line": {"8.2.1 c)", "8.5.5"},
        }
        for res_model, codes in expected.items():
            with self.subTest(model=res_model):
                rows = Index.search([("res_model", "=", res_model)])
                self.assertLessEqual(codes, set(rows.mapped("clause_id.code")))
        # only complaints among tickets, only completed scored real answers
        tickets = self.env["helpdesk.ticket"].browse(
            Index.search([("res_model", "=", "helpdesk.ticket")]).mapped("res_id")
        )
        self.assertTrue(all(tickets.mapped("qms_is_complaint")))
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Printer toner", "description": "Please send toner"}
        )
        self.assertFalse(plain.qms_is_complaint)
        self.assertFalse(
            Index.search([("res_model", "=", plain._name), ("res_id", "=", plain.id)])
        )
        plain.qms_feedback_kind = "complaint"
        self.assertTrue(
            Index.search([("res_model", "=", plain._name), ("res_id", "=", plain.id)])
        )
        # an ordinary ticket keeps helpdesk's own rules: it can be deleted
        other = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "Opening hours?"}
        )
        other.unlink()
        self.assertFalse(other.exists())
        answers = self.env["survey.user_input"].browse(
            Index.search([("res_model", "=", "survey.user_input")]).mapped("res_id")
        )
        self.assertTrue(answers)
        for answer in answers:
            self.assertEqual(answer.state, "done")
            self.assertTrue(answer.qms_has_score)
            self.assertFalse(answer.test_entry)
