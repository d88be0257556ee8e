# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Evidence pack (ISO 9001 7.5.3): for chosen clauses and a period, one ZIP
with a PDF summary per clause, a CSV per evidence model, the attachments of
the evidence records, a cover page, ``MANIFEST.json`` listing every file with
its SHA-256 and the pack's metadata, and ``SIGNATURE.json``: the Ed25519
signature of the manifest with the company's key. An auditor detects any
altered, missing, added or duplicate file and any change of the metadata with
``qms_crm_evidence/tools/verify_pack.py``; every pack is logged
(``qms.evidence.pack.log``)."""

import base64
import csv
import hashlib
import io
import json
import re
import zipfile
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.qms_clause import COVERAGE_DAYS
from ..tools import verify_pack
from ..tools.dates import day_bounds

# field types exported in the CSV of an evidence model
CSV_TYPES = {
    "char",
    "text",
    "selection",
    "integer",
    "float",
    "monetary",
    "date",
    "datetime",
    "boolean",
    "many2one",
}
CSV_SKIP = {"access_token", "access_url", "message_main_attachment_id"}


# spreadsheet formula prefixes (and the control characters that hide one)
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV value that no spreadsheet evaluates as a formula (OWASP)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def _safe(name):
    return re.sub(r"[^\w.\-]+", "_", name or "").strip("_")[:80] or "file"


class QmsEvidencePack(models.TransientModel):
    _name = "qms.evidence.pack"
    _description = "Evidence Pack Export"

    clause_ids = fields.Many2many(
        "qms.clause",
        string="Clauses",
        help="Evidence tagged with these clauses or their sub-clauses.",
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self) - timedelta(days=COVERAGE_DAYS)
        ),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    include_attachments = fields.Boolean(default=True)
    pack_file = fields.Binary(string="Evidence Pack", readonly=True, attachment=False)
    pack_name = fields.Char(readonly=True)
    file_count = fields.Integer(string="Files in Pack", readonly=True)
    record_count = fields.Integer(string="Evidence Records", readonly=True)
    log_id = fields.Many2one("qms.evidence.pack.log", string="Pack", readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period must start before it ends."))

    def _period(self):
        """(start, end) UTC datetimes of the whole days in the user's time zone."""
        return day_bounds(self.env.tz, self.date_from, self.date_to)

    def _evidence_by_model(self):
        """{model: ids} of the evidence of the chosen clauses in the period
        that the user may read, and {clause: {model: ids}}, in one query over
        the index plus one search per model."""
        start, end = self._period()
        rows = (
            self.env["qms.evidence"]
            .sudo()
            ._read_group(
                [
                    ("clause_id", "child_of", self.clause_ids.ids),
                    ("evidence_date", ">=", start),
                    ("evidence_date", "<", end),
                ],
                ["clause_id", "res_model"],
                ["res_id:array_agg"],
            )
        )
        chosen = {clause.id: clause for clause in self.clause_ids}
        per_clause = defaultdict(lambda: defaultdict(set))
        candidates = defaultdict(set)
        for clause, res_model, res_ids in rows:
            # evidence of a sub-clause counts for every chosen ancestor
            for part in (clause.parent_path or "").split("/"):
                if part and int(part) in chosen:
                    per_clause[chosen[int(part)]][res_model].update(res_ids)
            candidates[res_model].update(res_ids)
        readable = {}
        for res_model, ids in candidates.items():
            # access rights and record rules apply: only what this user may
            # read goes out (a quality user who is no data protection officer
            # gets no data subject request, rather than an access error)
            Model = self.env[res_model].with_context(active_test=False)
            readable[res_model] = (
                set(Model._search([("id", "in", list(ids))]))
                if Model.has_access("read")
                else set()
            )
        for models_ids in per_clause.values():
            for res_model in models_ids:
                models_ids[res_model] &= readable[res_model]
        return readable, per_clause

    def _csv_fields(self, model):
        return [
            name
            for name, field in model._fields.items()
            if field.store
            and field.type in CSV_TYPES
            and name not in CSV_SKIP
            and not name.startswith(("message_", "activity_"))
            and model._has_field_access(field, "read")
        ]

    def _csv_file(self, model, ids):
        records = model.browse(sorted(ids)).with_context(active_test=False)
        names = self._csv_fields(model)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        labels = [model._fields[name].string for name in names]
        writer.writerow(["id", *names, "qms_clause_codes"])
        writer.writerow(
            [csv_cell(label) for label in ["ID", *labels, _("ISO Clauses")]]
        )
        rows = records.read(names + ["qms_clause_ids"])
        clauses = {
            clause.id: clause.code
            for clause in self.env["qms.clause"].browse(
                {cid for row in rows for cid in row["qms_clause_ids"]}
            )
        }
        for row in rows:
            values = []
            for name in names:
                value = row[name]
                if isinstance(value, tuple):
                    value = value[1]
                elif value is False and model._fields[name].type != "boolean":
                    value = ""
                values.append(csv_cell(value))
            writer.writerow(
                [
                    row["id"],
                    *values,
                    " ".join(clauses[cid] for cid in row["qms_clause_ids"]),
                ]
            )
        return buffer.getvalue().encode("utf-8")

    def _clause_summary(self, clause, per_model):
        """Rendered summary of one clause: (content, extension). One document
        per call: Debian's wkhtmltopdf cannot render several in one."""
        data = {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "lines": [
                {
                    "res_model": res_model,
                    "model": self.env[res_model]._description,
                    "ids": sorted(ids),
                }
                for res_model, ids in sorted(per_model.items())
                if ids
            ],
        }
        return self.env["ir.actions.report"]._render_qweb_pdf(
            "qms_crm_evidence.action_report_evidence_pack_clause",
            [clause.id],
            data=data,
        )

    def _build_pack(self, log):
        """The ZIP bytes, and the manifest; ``log`` is the pack's log line."""
        self.ensure_one()
        readable, per_clause = self._evidence_by_model()
        files = {}
        content, ext = self.env["ir.actions.report"]._render_qweb_pdf(
            "qms_crm_evidence.action_report_evidence_pack_cover", log.ids
        )
        files[f"cover.{ext}"] = content
        for clause in self.clause_ids.sorted(lambda c: (c.sequence, c.code)):
            content, ext = self._clause_summary(clause, per_clause.get(clause, {}))
            files[f"clauses/{_safe(clause.code)}.{ext}"] = content
        for res_model, ids in sorted(readable.items()):
            if ids:
                files[f"records/{res_model}.csv"] = self._csv_file(
                    self.env[res_model], ids
                )
        if self.include_attachments:
            for res_model, ids in sorted(readable.items()):
                if not ids:
                    continue
                attachments = (
                    self.env["ir.attachment"]
                    .sudo()
                    .search(
                        [
                            ("res_model", "=", res_model),
                            ("res_id", "in", list(ids)),
                            ("type", "=", "binary"),
                        ],
                        order="res_id, id",
                    )
                )
                for att in attachments:
                    name = f"{att.res_id}-{att.id}-{_safe(att.name)}"
                    files[f"attachments/{res_model}/{name}"] = att.raw or b""
        key = log.signing_key_id
        manifest = {
            "format": "qms_crm evidence pack 2",
            "pack": log.name,
            "generated_at": fields.Datetime.to_string(log.create_date),
            "generated_by": self.env.user.name,
            "generated_by_login": self.env.user.login,
            "database": self.env.cr.dbname,
            "company": self.env.company.name,
            "period": {
                "from": fields.Date.to_string(self.date_from),
                "to": fields.Date.to_string(self.date_to),
                "time_zone": str(self.env.tz),
            },
            "clauses": self.clause_ids.sorted("code").mapped("code"),
            "include_attachments": self.include_attachments,
            "records": {model: len(ids) for model, ids in sorted(readable.items())},
            "signature": {
                "algorithm": verify_pack.ALGORITHM,
                "key_id": key.key_id,
                "public_key": key.public_key,
            },
            "files": [
                {
                    "path": path,
                    "sha256": verify_pack.sha256_bytes(content),
                    "size": len(content),
                }
                for path, content in sorted(files.items())
            ],
        }
        manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        signature = {
            "algorithm": verify_pack.ALGORITHM,
            "key_id": key.key_id,
            "public_key": key.public_key,
            "signed_file": verify_pack.MANIFEST,
            "signature": base64.b64encode(key._qms_sign(manifest_bytes)).decode(),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, content in sorted(files.items()):
                archive.writestr(path, content)
            archive.writestr(verify_pack.MANIFEST, manifest_bytes)
            archive.writestr(
                verify_pack.SIGNATURE, json.dumps(signature, indent=2).encode()
            )
        return buffer.getvalue(), manifest, manifest_bytes

    def action_export(self):
        self.ensure_one()
        if not self.clause_ids:
            raise UserError(_("Choose at least one clause."))
        key = self.env["qms.evidence.signing.key"]._qms_active_key(self.env.company)
        log = (
            self.env["qms.evidence.pack.log"]
            .sudo()
            .create(
                {
                    "user_id": self.env.uid,
                    "company_id": self.env.company.id,
                    "clause_ids": [(6, 0, self.clause_ids.ids)],
                    "clause_codes": " ".join(
                        self.clause_ids.sorted("code").mapped("code")
                    ),
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "include_attachments": self.include_attachments,
                    "signing_key_id": key.id,
                    "key_id": key.key_id,
                    "public_key": key.public_key,
                }
            )
        )
        content, manifest, manifest_bytes = self._build_pack(log)
        pack_name = "evidence-pack-%s-%s-%s.zip" % (
            _safe(log.name),
            self.date_from,
            self.date_to,
        )
        log.write(
            {
                "pack_name": pack_name,
                "pack_size": len(content),
                "pack_sha256": hashlib.sha256(content).hexdigest(),
                "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
                "file_count": len(manifest["files"]),
                "record_count": sum(manifest["records"].values()),
            }
        )
        self.write(
            {
                "pack_file": base64.b64encode(content),
                "pack_name": pack_name,
                "file_count": len(manifest["files"]),
                "record_count": sum(manifest["records"].values()),
                "log_id": log.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Evidence Pack"),
        }


class QmsEvidencePackVerify(models.TransientModel):
    _name = "qms.evidence.pack.verify"
    _description = "Evidence Pack Verification"

    pack_file = fields.Binary(string="Evidence Pack (ZIP)", required=True)
    pack_name = fields.Char()
    state = fields.Selection(
        [("draft", "To Verify"), ("ok", "Intact"), ("failed", "Not Intact")],
        default="draft",
        readonly=True,
    )
    result = fields.Text(readonly=True)

    def action_verify(self):
        self.ensure_one()
        try:
            result = verify_pack.verify(io.BytesIO(base64.b64decode(self.pack_file)))
        except verify_pack.PackError as exc:
            raise UserError(
                _("This file is not an evidence pack: %(error)s", error=str(exc))
            ) from exc
        lines = []
        for key, label in (
            ("altered", _("Altered: %(path)s")),
            ("missing", _("Missing: %(path)s")),
            ("added", _("Added: %(path)s")),
            ("duplicates", _("Duplicate: %(path)s")),
            ("unsafe", _("Unsafe path: %(path)s")),
        ):
            lines.extend(label % {"path": path} for path in result[key])
        keys = self.env["qms.evidence.signing.key"].sudo()
        key = keys.search([("key_id", "=", result["key_id"])], limit=1)
        if result["signature"] == "valid" and key:
            lines.append(
                _(
                    "Signature valid: key %(key)s of %(company)s (%(state)s).",
                    key=key.key_id,
                    company=key.company_id.name,
                    state=dict(key._fields["state"]._description_selection(self.env))[
                        key.state
                    ],
                )
            )
        elif result["signature"] == "valid":
            lines.append(
                _(
                    "Signature valid, but key %(key)s is not a signing key of this "
                    "database.",
                    key=result["key_id"],
                )
            )
            result["ok"] = False
        elif result["signature"] == "missing":
            lines.append(_("Signature missing: the pack is not signed."))
        else:
            lines.append(
                _("Signature invalid: the manifest or its signature was changed.")
            )
        log = (
            self.env["qms.evidence.pack.log"]
            .sudo()
            .search(
                [
                    (
                        "manifest_sha256",
                        "=",
                        hashlib.sha256(result["manifest_bytes"]).hexdigest(),
                    )
                ],
                limit=1,
            )
        )
        if log:
            lines.append(
                _(
                    "Pack %(pack)s generated by %(user)s on %(date)s.",
                    pack=log.name,
                    user=log.user_id.name,
                    date=fields.Datetime.to_string(log.create_date),
                )
            )
        if result["ok"]:
            lines.append(
                _(
                    "Intact: all %(count)s files match the signed MANIFEST.json.",
                    count=result["checked"],
                )
            )
        self.write(
            {"state": "ok" if result["ok"] else "failed", "result": "\n".join(lines)}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Verify Evidence Pack"),
        }
