# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones
from odoo.addons.qms_crm_evidence.tools import verify_pack

from .test_management_review import QmsReviewCommon


def _rezip(content, change=None, drop=None, add=None):
    """A copy of the ZIP with one file changed, dropped or added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == drop:
                continue
            data = source.read(info.filename)
            if info.filename == change:
                data += b"tampered"
            target.writestr(info.filename, data)
        if add:
            target.writestr(add, b"slipped in later")
    return out.getvalue()


@tagged("post_install", "-at_install")
@qms_in_far_time_zones
class TestEvidencePack(QmsReviewCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(
            cls.env["qms.management.review"].with_user(cls.qms_manager)
        )
        cls.review = cls._review(today - timedelta(days=7), today)
        cls.review.action_prepare()
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "signed minutes.txt",
                "raw": b"Minutes signed by the managing director",
                "res_model": cls.review._name,
                "res_id": cls.review.id,
            }
        )
        cls.ticket = cls._complaint()
        cls.compensation = cls.env["qms.compensation.line"].create(
            {
                "ticket_id": cls.ticket.id,
                "kind": "discount",
                "description": "Goodwill",
                "amount": 50.0,
            }
        )
        clauses = cls.env["qms.clause"].search([("code", "in", ("9.3.2", "8.2.1"))])
        cls.wizard = (
            cls.env["qms.evidence.pack"]
            .with_user(cls.qms_user)
            .create(
                {
                    "clause_ids": [(6, 0, clauses.ids)],
                    "date_from": today - timedelta(days=1),
                    "date_to": today,
                }
            )
        )
        cls.wizard.action_export()
        cls.content = base64.b64decode(cls.wizard.pack_file)

    def _pack(self):
        return zipfile.ZipFile(io.BytesIO(self.content))

    def test_pack_round_trip_lists_every_file_with_its_digest(self):
        pack = self._pack()
        manifest = json.loads(pack.read("MANIFEST.json"))
        names = set(pack.namelist()) - {"MANIFEST.json"}
        self.assertEqual({entry["path"] for entry in manifest["files"]}, names)
        for entry in manifest["files"]:
            self.assertEqual(
                verify_pack.sha256_bytes(pack.read(entry["path"])), entry["sha256"]
            )
        self.assertEqual(manifest["clauses"], ["8.2.1", "9.3.2"])
        self.assertEqual(self.wizard.file_count, len(names))
        # a summary per clause, a CSV per evidence model, the attachments
        self.assertTrue({n for n in names if n.startswith("clauses/9.3.2.")})
        self.assertTrue({n for n in names if n.startswith("clauses/8.2.1.")})
        self.assertIn("records/qms.management.review.csv", names)
        self.assertIn("records/qms.compensation.line.csv", names)
        rows = list(
            csv.reader(
                io.StringIO(
                    pack.read("records/qms.management.review.csv").decode("utf-8")
                )
            )
        )
        self.assertIn(str(self.review.id), [row[0] for row in rows[2:]])
        self.assertIn("9.3.2 c) 1)", rows[2][-1])
        attachment = (
            f"attachments/qms.management.review/{self.review.id}-"
            f"{self.attachment.id}-signed_minutes.txt"
        )
        self.assertEqual(
            pack.read(attachment), b"Minutes signed by the managing director"
        )
        summary = next(n for n in names if n.startswith("clauses/9.3.2."))
        self.assertIn(self.review.name.encode(), pack.read(summary))
        result = verify_pack.verify(io.BytesIO(self.content))
        self.assertTrue(result["ok"], result)
        self.assertEqual(result["checked"], len(names))

    def test_verify_detects_altered_missing_and_added_files(self):
        target = "records/qms.management.review.csv"
        altered = verify_pack.verify(io.BytesIO(_rezip(self.content, change=target)))
        self.assertFalse(altered["ok"])
        self.assertEqual(altered["altered"], [target])
        self.assertEqual((altered["missing"], altered["added"]), ([], []))
        missing = verify_pack.verify(io.BytesIO(_rezip(self.content, drop=target)))
        self.assertEqual(missing["missing"], [target])
        self.assertEqual((missing["altered"], missing["added"]), ([], []))
        added = verify_pack.verify(
            io.BytesIO(_rezip(self.content, add="records/extra.csv"))
        )
        self.assertEqual(added["added"], ["records/extra.csv"])
        self.assertEqual((added["altered"], added["missing"]), ([], []))
        with self.assertRaises(verify_pack.PackError):
            verify_pack.verify(io.BytesIO(b"not a zip"))
        with self.assertRaises(verify_pack.PackError):
            verify_pack.verify(io.BytesIO(_rezip(self.content, drop="MANIFEST.json")))

    def test_verify_command_line_runs_without_odoo(self):
        script = os.path.join(os.path.dirname(verify_pack.__file__), "verify_pack.py")
        with tempfile.TemporaryDirectory() as tmp:
            good = os.path.join(tmp, "pack.zip")
            bad = os.path.join(tmp, "bad.zip")
            with open(good, "wb") as file:
                file.write(self.content)
            with open(bad, "wb") as file:
                file.write(_rezip(self.content, add="extra.txt"))
            # -I: isolated mode, no site-packages path tricks: pure stdlib
            ok = subprocess.run(
                [sys.executable, "-I", script, good],
                capture_output=True,
                text=True,
                check=False,
            )
            self.assertEqual(ok.returncode, 0, ok.stderr)
            self.assertIn("OK:", ok.stdout)
            failed = subprocess.run(
                [sys.executable, "-I", script, bad],
                capture_output=True,
                text=True,
                check=False,
            )
            self.assertEqual(failed.returncode, 1)
            self.assertIn("ADDED: extra.txt", failed.stdout)
            # the command of the readme, from the repository root: importing
            # qms_crm as a plain package loads nothing of Odoo
            root = os.path.dirname(os.path.dirname(os.path.dirname(script)))
            as_module = subprocess.run(
                [sys.executable, "-m", "qms_crm_evidence.tools.verify_pack", bad],
                capture_output=True,
                text=True,
                check=False,
                cwd=root,
            )
            self.assertEqual(as_module.returncode, 1, as_module.stderr)
            self.assertIn("ADDED: extra.txt", as_module.stdout)

    def test_verify_action_in_odoo_reports_each_problem(self):
        Verify = self.env["qms.evidence.pack.verify"].with_user(self.qms_user)
        good = Verify.create({"pack_file": base64.b64encode(self.content)})
        good.action_verify()
        self.assertEqual(good.state, "ok")
        target = "records/qms.compensation.line.csv"
        bad = Verify.create(
            {"pack_file": base64.b64encode(_rezip(self.content, change=target))}
        )
        bad.action_verify()
        self.assertEqual(bad.state, "failed")
        self.assertIn(f"Altered: {target}", bad.result)
        junk = Verify.create({"pack_file": base64.b64encode(b"junk")})
        with self.assertRaises(UserError):
            junk.action_verify()

    def test_pack_export_requires_clauses_and_a_valid_period(self):
        Pack = self.env["qms.evidence.pack"].with_user(self.qms_user)
        with self.assertRaises(UserError):
            Pack.create({}).action_export()
        today = fields.Date.context_today(Pack)
        with self.assertRaises(ValidationError):
            Pack.create({"date_from": today, "date_to": today - timedelta(days=1)})

    def test_coverage_list_opens_the_pack_for_its_clauses_and_period(self):
        clauses = self.env["qms.clause"].search([("code", "=", "9.3.2")])
        action = clauses.with_context(
            qms_date_from="2026-01-01 00:00:00", qms_date_to="2026-03-31 23:59:59"
        ).action_evidence_pack()
        wizard = (
            self.env["qms.evidence.pack"]
            .with_context(**action["context"])
            .with_user(self.qms_user)
            .create({})
        )
        self.assertEqual(wizard.clause_ids, clauses)
        self.assertEqual(str(wizard.date_from), "2026-01-01")
        self.assertEqual(str(wizard.date_to), "2026-03-31")


@tagged("post_install", "-at_install")
class TestEvidencePackPdf(HttpCase):
    def test_clause_summaries_are_pdfs_rendered_by_wkhtmltopdf(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        clause = self.env["qms.clause"].search([("code", "=", "9.3.2")])
        today = fields.Date.context_today(clause)
        wizard = (
            self.env["qms.evidence.pack"]
            .with_context(force_report_rendering=True)
            .create(
                {
                    "clause_ids": [(6, 0, clause.ids)],
                    "date_from": today - timedelta(days=120),
                    "date_to": today,
                }
            )
        )
        wizard.action_export()
        content = base64.b64decode(wizard.pack_file)
        pack = zipfile.ZipFile(io.BytesIO(content))
        self.assertTrue(pack.read("clauses/9.3.2.pdf").startswith(b"%PDF"))
        # the demo reviews are evidence of 9.3.2 c) 1)
        self.assertIn("records/qms.management.review.csv", pack.namelist())
        self.assertTrue(verify_pack.verify(io.BytesIO(content))["ok"])
