# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Verify an evidence pack exported by Quality CRM (ISO 9001 7.5.3).

The pack is a ZIP whose ``MANIFEST.json`` lists every other file with its
SHA-256. Verification reports each file that was altered (digest differs),
is missing (listed, not in the ZIP) or was added (in the ZIP, not listed).

Pure standard library, so an auditor can run it without Odoo::

    python qms_crm_evidence/tools/verify_pack.py PACK.zip
    python -m odoo.addons.qms_crm_evidence.tools.verify_pack PACK.zip   # in Odoo's venv

Exit status: 0 when the pack is intact, 1 when it is not, 2 when it cannot be
read.
"""

import hashlib
import json
import sys
import zipfile

MANIFEST = "MANIFEST.json"


class PackError(Exception):
    """The file is not an evidence pack (not a ZIP, or no readable manifest)."""


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def verify(pack):
    """Check ``pack`` (a path or a binary file object).

    Return a dict: ``ok`` (bool), ``altered``, ``missing``, ``added`` (sorted
    lists of paths) and ``checked`` (number of listed files).
    """
    try:
        archive = zipfile.ZipFile(pack)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackError(f"not a ZIP file: {exc}") from exc
    with archive:
        names = {info.filename for info in archive.infolist() if not info.is_dir()}
        if MANIFEST not in names:
            raise PackError(f"{MANIFEST} is missing")
        try:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
            listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise PackError(f"{MANIFEST} is not readable: {exc}") from exc
        present = names - {MANIFEST}
        missing = sorted(set(listed) - present)
        added = sorted(present - set(listed))
        altered = sorted(
            path
            for path in set(listed) & present
            if sha256_bytes(archive.read(path)) != listed[path]
        )
    return {
        "ok": not (missing or added or altered),
        "altered": altered,
        "missing": missing,
        "added": added,
        "checked": len(listed),
    }


def report(result):
    """Human-readable lines for a ``verify`` result."""
    lines = []
    for key, label in (
        ("altered", "ALTERED"),
        ("missing", "MISSING"),
        ("added", "ADDED"),
    ):
        lines.extend(f"{label}: {path}" for path in result[key])
    if result["ok"]:
        lines.append(f"OK: {result['checked']} files match MANIFEST.json")
    else:
        lines.append("FAILED: the pack does not match MANIFEST.json")
    return lines


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        sys.stderr.write("usage: verify_pack.py PACK.zip\n")
        return 2
    try:
        result = verify(argv[0])
    except PackError as exc:
        sys.stderr.write(f"ERROR: {exc}\n")
        return 2
    sys.stdout.write("\n".join(report(result)) + "\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
