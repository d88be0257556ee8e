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
import warnings
import zipfile
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.qms_crm_evidence.tests.common import qms_in_far_time_zones
from odoo.addons.qms_crm_evidence.tools import verify_pack

from .test_management_review import QmsReviewCommon


def _rezip(content, change=None, drop=None, add=None, replace=None):
    """A copy of the ZIP with one file changed, dropped or added, or files
    replaced ({path: bytes}); ``add`` may name a file already there (a
    duplicate entry)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of duplicate names
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename == drop:
                    continue
                data = source.read(info.filename)
                if info.filename == change:
                    data += b"tampered"
                data = (replace or {}).get(info.filename, data)
                target.writestr(info.filename, data)
            if add:
                target.writestr(add, b"slipped in later")
    return out.getvalue()


def _manifest(content):
    return json.loads(zipfile.ZipFile(io.BytesIO(content)).read("MANIFEST.json"))


def _resign(manifest, private_key=None):
    """MANIFEST.json bytes and a SIGNATURE.json signed with ``private_key``
    (a forger's own key by default)."""
    private_key = private_key or Ed25519PrivateKey.generate()
    data = json.dumps(manifest, indent=2).encode()
    public = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signature = {
        "algorithm": "Ed25519",
        "key_id": verify_pack.key_id_of(public),
        "public_key": base64.b64encode(public).decode(),
        "signature": base64.b64encode(private_key.sign(data)).decode(),
    }
    return {"MANIFEST.json": data, "SIGNATURE.json": json.dumps(signature).encode()}


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
        names = set(pack.namelist()) - {"MANIFEST.json", "SIGNATURE.json"}
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
        self.assertEqual(result["signature"], "valid")
        key = (
            self.env["qms.evidence.signing.key"]
            .sudo()
            .search(
                [("company_id", "=", self.env.company.id), ("state", "=", "active")]
            )
        )
        self.assertEqual(result["key_id"], key.key_id)
        # the metadata is part of the signed manifest, the key is on the cover
        self.assertEqual(manifest["period"]["to"], str(self.wizard.date_to))
        self.assertEqual(manifest["generated_by_login"], self.qms_user.login)
        self.assertEqual(manifest["signature"]["public_key"], key.public_key)
        cover = next(n for n in names if n.startswith("cover."))
        self.assertIn(key.public_key.encode(), pack.read(cover))
        self.assertIn(key.key_id.encode(), pack.read(cover))

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

    def test_verify_rejects_every_kind_of_tampering(self):
        manifest = _manifest(self.content)
        target = "records/qms.management.review.csv"

        def check(content, **kw):
            return verify_pack.verify(io.BytesIO(content), **kw)

        # a file edited and its digest recomputed in MANIFEST.json: the
        # signature no longer matches
        edited = json.loads(json.dumps(manifest))
        data = zipfile.ZipFile(io.BytesIO(self.content)).read(target) + b"x"
        entry = next(e for e in edited["files"] if e["path"] == target)
        entry.update(sha256=verify_pack.sha256_bytes(data), size=len(data))
        result = check(
            _rezip(
                self.content,
                replace={target: data, "MANIFEST.json": json.dumps(edited).encode()},
            )
        )
        self.assertFalse(result["ok"])
        self.assertEqual(result["signature"], "invalid")
        self.assertEqual(result["altered"], [])
        # metadata changed (who generated it, the period)
        for key, value in (("generated_by", "Someone Else"), ("clauses", ["8.2.1"])):
            changed = dict(manifest, **{key: value})
            result = check(
                _rezip(
                    self.content,
                    replace={"MANIFEST.json": json.dumps(changed).encode()},
                )
            )
            self.assertEqual(result["signature"], "invalid", key)
            self.assertFalse(result["ok"])
        # a duplicate entry: same name twice in the ZIP
        result = check(_rezip(self.content, add=target))
        self.assertFalse(result["ok"])
        self.assertEqual(result["duplicates"], [target])
        # ... or twice in the manifest
        doubled = dict(manifest, files=manifest["files"] + manifest["files"][:1])
        result = check(_rezip(self.content, replace=_resign(doubled)))
        self.assertEqual(result["duplicates"], [manifest["files"][0]["path"]])
        self.assertFalse(result["ok"])
        # a bad signature: bytes flipped, or missing
        signature = json.loads(
            zipfile.ZipFile(io.BytesIO(self.content)).read("SIGNATURE.json")
        )
        raw = bytearray(base64.b64decode(signature["signature"]))
        raw[0] ^= 1
        signature["signature"] = base64.b64encode(bytes(raw)).decode()
        result = check(
            _rezip(
                self.content,
                replace={"SIGNATURE.json": json.dumps(signature).encode()},
            )
        )
        self.assertEqual(result["signature"], "invalid")
        self.assertFalse(result["ok"])
        result = check(_rezip(self.content, drop="SIGNATURE.json"))
        self.assertEqual(result["signature"], "missing")
        self.assertFalse(result["ok"])
        # re-signed by a forger with their own key: valid on its own, refused
        # against the company's public key (cover page) and by Odoo
        forged = _rezip(self.content, replace=_resign(dict(manifest, company="Forged")))
        self.assertTrue(check(forged)["ok"])
        public = manifest["signature"]["public_key"]
        result = check(forged, public_key=public)
        self.assertEqual(result["signature"], "other_key")
        self.assertFalse(result["ok"])
        self.assertTrue(check(self.content, public_key=public)["ok"])
        wizard = (
            self.env["qms.evidence.pack.verify"]
            .with_user(self.qms_user)
            .create({"pack_file": base64.b64encode(forged)})
        )
        wizard.action_verify()
        self.assertEqual(wizard.state, "failed")
        self.assertIn("is not a signing key of this database", wizard.result)
        # paths escaping the pack
        result = check(_rezip(self.content, add="../../etc/cron.d/x"))
        self.assertEqual(result["unsafe"], ["../../etc/cron.d/x"])
        self.assertFalse(result["ok"])

    def test_verify_refuses_zip_bombs_before_extracting(self):
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("MANIFEST.json", json.dumps({"files": []}))
            archive.writestr("records/zeros.csv", b"\0" * (64 * 1024**2))
        self.assertLess(len(bomb.getvalue()), 1024**2)
        with self.assertRaisesRegex(verify_pack.PackError, "zip bomb"):
            verify_pack.verify(io.BytesIO(bomb.getvalue()))
        # the total expanded size is capped too (here: below the real pack)
        with self.assertRaisesRegex(verify_pack.PackError, "zip bomb"):
            verify_pack.verify(io.BytesIO(self.content), max_total=1000)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bomb.zip")
            with open(path, "wb") as file:
                file.write(bomb.getvalue())
            script = os.path.join(
                os.path.dirname(verify_pack.__file__), "verify_pack.py"
            )
            run = subprocess.run(
                [sys.executable, "-I", script, path],
                capture_output=True,
                text=True,
                check=False,
            )
            self.assertEqual(run.returncode, 2)
            self.assertIn("zip bomb", run.stderr)

    def test_csv_cells_cannot_inject_formulas(self):
        from odoo.addons.qms_crm_evidence.wizard.qms_evidence_pack import csv_cell

        for value in ("=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
            self.assertEqual(csv_cell(value), "'" + value)
        self.assertEqual(csv_cell("Fine"), "Fine")
        self.assertEqual(csv_cell(-5.0), -5.0)
        self.compensation.sudo().with_context(qms_correction=True).write(
            {"description": "=cmd|' /C calc'!A0"}
        )
        self.wizard.write({"pack_file": False})
        self.wizard.action_export()
        pack = zipfile.ZipFile(io.BytesIO(base64.b64decode(self.wizard.pack_file)))
        rows = list(
            csv.reader(
                io.StringIO(pack.read("records/qms.compensation.line.csv").decode())
            )
        )
        column = rows[0].index("description")
        cells = [row[column] for row in rows[2:]]
        self.assertIn("'=cmd|' /C calc'!A0", cells)
        self.assertFalse([c for c in cells if c[:1] in ("=", "+", "-", "@")])

    def test_key_rotation_old_packs_still_verify(self):
        Key = self.env["qms.evidence.signing.key"]
        old_key = Key.with_user(self.qms_manager).search(
            [("company_id", "=", self.env.company.id), ("state", "=", "active")]
        )
        self.assertEqual(len(old_key), 1)
        old_public = old_key.public_key
        with self.assertRaises(AccessError):
            Key.with_user(self.qms_user).search([])
        with self.assertRaises(AccessError):
            old_key.with_user(self.qms_manager).read(["private_key"])
        new_key = old_key.with_user(self.qms_manager).action_rotate()
        self.assertEqual(old_key.state, "retired")
        self.assertEqual(old_key.retired_by, self.qms_manager)
        self.assertEqual(new_key.state, "active")
        self.assertNotEqual(new_key.key_id, old_key.key_id)
        with self.assertRaises(UserError):
            old_key.with_user(self.qms_manager).unlink()
        with self.assertRaises(UserError):
            new_key.with_user(self.qms_manager).write({"public_key": old_public})
        # the pack signed with the old key still verifies, with its key
        old = verify_pack.verify(io.BytesIO(self.content), public_key=old_public)
        self.assertTrue(old["ok"], old)
        self.assertEqual(old["key_id"], old_key.key_id)
        wizard = (
            self.env["qms.evidence.pack.verify"]
            .with_user(self.qms_user)
            .create({"pack_file": base64.b64encode(self.content)})
        )
        wizard.action_verify()
        self.assertEqual(wizard.state, "ok", wizard.result)
        self.assertIn(old_key.key_id, wizard.result)
        self.assertIn("Retired", wizard.result)
        # the next pack is signed with the new key
        self.wizard.write({"pack_file": False})
        self.wizard.action_export()
        content = base64.b64decode(self.wizard.pack_file)
        new = verify_pack.verify(io.BytesIO(content), public_key=new_key.public_key)
        self.assertTrue(new["ok"], new)
        self.assertEqual(new["key_id"], new_key.key_id)
        self.assertEqual(
            verify_pack.verify(io.BytesIO(content), public_key=old_public)["signature"],
            "other_key",
        )

    def test_every_pack_is_logged_with_its_hashes(self):
        log = self.wizard.log_id
        self.assertTrue(log)
        self.assertEqual(log.user_id, self.qms_user)
        self.assertEqual(log.company_id, self.env.company)
        self.assertEqual(log.clause_codes, "8.2.1 9.3.2")
        self.assertEqual(log.date_to, self.wizard.date_to)
        self.assertEqual(log.pack_sha256, verify_pack.sha256_bytes(self.content))
        self.assertEqual(log.pack_size, len(self.content))
        manifest_bytes = zipfile.ZipFile(io.BytesIO(self.content)).read("MANIFEST.json")
        self.assertEqual(log.manifest_sha256, verify_pack.sha256_bytes(manifest_bytes))
        self.assertEqual(_manifest(self.content)["pack"], log.name)
        self.assertEqual(log.file_count, self.wizard.file_count)
        self.assertTrue(log.name.startswith("PACK/"))
        # users see their own packs, managers every pack; nobody edits the log
        as_user = log.with_user(self.qms_user)
        self.assertEqual(as_user.read(["name"])[0]["name"], log.name)
        other = new_test_user(
            self.env, login="qms_pack_other", groups="qms_crm_evidence.group_qms_user"
        )
        with self.assertRaises(AccessError):
            log.with_user(other).read(["name"])
        self.assertTrue(log.with_user(self.qms_manager).read(["pack_sha256"]))
        with self.assertRaises(AccessError):
            as_user.write({"pack_sha256": "0" * 64})
        with self.assertRaises(AccessError):
            log.with_user(self.qms_manager).write({"user_id": self.qms_manager.id})
        with self.assertRaises(AccessError):
            log.with_user(self.qms_manager).unlink()
        # a second export is a second log line; the verify wizard finds it
        self.wizard.write({"pack_file": False})
        self.wizard.action_export()
        self.assertNotEqual(self.wizard.log_id, log)
        wizard = (
            self.env["qms.evidence.pack.verify"]
            .with_user(self.qms_user)
            .create({"pack_file": base64.b64encode(self.content)})
        )
        wizard.action_verify()
        self.assertIn(
            f"Pack {log.name} generated by {self.qms_user.name}", wizard.result
        )

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
