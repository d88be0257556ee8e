# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Verify an evidence pack exported by Quality CRM (ISO 9001 7.5.3).

The pack is a ZIP whose ``MANIFEST.json`` lists every other file with its
SHA-256 and size, plus the pack's metadata (company, who, when, period,
clauses), and whose ``SIGNATURE.json`` holds the Ed25519 signature of the
exact bytes of ``MANIFEST.json`` with the company's key (key id and public
key; the public key is also printed on the pack's cover page and listed in
Odoo under Quality CRM > Configuration > Signing Keys).

Verification reports each file that was altered (digest or size differs),
is missing (listed, not in the ZIP), was added (in the ZIP, not listed) or
appears twice, and whether the signature is valid; any change of the
manifest, its metadata included, breaks the signature. Archives that would
expand beyond limits (zip bombs) are refused before anything is extracted.

Needs only the standard library and ``cryptography``::

    python qms_crm_evidence/tools/verify_pack.py PACK.zip [--public-key KEY]
    python -m odoo.addons.qms_crm_evidence.tools.verify_pack PACK.zip   # in Odoo's venv

``--public-key`` (base64 raw key, as printed on the cover page) also checks
that the pack was signed with that key and not with another one.

Exit status: 0 when the pack is intact and its signature valid, 1 when it is
not, 2 when it cannot be read (not a ZIP, no manifest, zip bomb).
"""

import base64
import hashlib
import json
import posixpath
import sys
import zipfile

MANIFEST = "MANIFEST.json"
SIGNATURE = "SIGNATURE.json"
ALGORITHM = "Ed25519"
# zip bomb limits: total expanded size, entries, expansion ratio per entry
MAX_TOTAL_SIZE = 4 * 1024**3
MAX_ENTRIES = 200_000
MAX_RATIO = 200
RATIO_FLOOR = 1024**2  # small files may compress very well
MAX_MANIFEST_SIZE = 64 * 1024**2
CHUNK = 1024**2


class PackError(Exception):
    """The file is not an evidence pack (not a ZIP, no readable manifest,
    or a zip bomb)."""


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def key_id_of(public_raw):
    """Short id of an Ed25519 public key (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def _check_bomb(infos, max_total):
    if len(infos) > MAX_ENTRIES:
        raise PackError(f"zip bomb: {len(infos)} entries (limit {MAX_ENTRIES})")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise PackError(f"zip bomb: expands to {total} bytes (limit {max_total})")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise PackError(
                f"zip bomb: {info.filename} expands {info.file_size} bytes "
                f"from {info.compress_size}"
            )


def _read_digest(archive, info):
    """SHA-256 and size of an entry, reading at most its declared size (a
    forged header cannot make it expand further)."""
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > info.file_size:
                raise PackError(f"zip bomb: {info.filename} exceeds its declared size")
            digest.update(chunk)
    return digest.hexdigest(), size


def _unsafe(path):
    return (
        not path
        or path.startswith("/")
        or "\\" in path
        or ".." in path.split("/")
        or posixpath.normpath(path) != path
    )


def _check_signature(manifest_bytes, signature_bytes, public_key):
    """(status, key_id): status is valid, invalid, missing or other_key."""
    if signature_bytes is None:
        return "missing", ""
    try:
        from cryptography.exceptions import InvalidSignature  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
            Ed25519PublicKey,
        )
    except ImportError as exc:  # pragma: no cover
        raise PackError(f"the cryptography package is needed: {exc}") from exc
    try:
        signature = json.loads(signature_bytes.decode("utf-8"))
        if signature.get("algorithm") != ALGORITHM:
            return "invalid", ""
        public_raw = base64.b64decode(signature["public_key"], validate=True)
        signed = base64.b64decode(signature["signature"], validate=True)
        key_id = key_id_of(public_raw)
        if signature.get("key_id") != key_id:
            return "invalid", key_id
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signed, manifest_bytes)
    except (ValueError, KeyError, TypeError, AttributeError, InvalidSignature):
        return "invalid", ""
    if public_key and base64.b64decode(public_key) != public_raw:
        return "other_key", key_id
    return "valid", key_id


def verify(pack, public_key=None, max_total=MAX_TOTAL_SIZE):
    """Check ``pack`` (a path or a binary file object).

    Return a dict: ``ok`` (bool), ``altered``, ``missing``, ``added``,
    ``duplicates``, ``unsafe`` (sorted lists of paths), ``checked`` (number
    of listed files), ``signature`` (valid, invalid, missing, other_key),
    ``key_id``, ``manifest`` (parsed) and ``manifest_bytes``.
    """
    try:
        archive = zipfile.ZipFile(pack)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackError(f"not a ZIP file: {exc}") from exc
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_bomb(infos, max_total)
        seen = {}
        duplicates = set()
        for info in infos:
            if info.filename in seen:
                duplicates.add(info.filename)
            seen[info.filename] = info
        if MANIFEST not in seen:
            raise PackError(f"{MANIFEST} is missing")
        if seen[MANIFEST].file_size > MAX_MANIFEST_SIZE:
            raise PackError(f"zip bomb: {MANIFEST} is too large")
        try:
            manifest_bytes = archive.read(seen[MANIFEST])
            manifest = json.loads(manifest_bytes.decode("utf-8"))
            entries = [
                (entry["path"], entry["sha256"], entry.get("size"))
                for entry in manifest["files"]
            ]
        except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            raise PackError(f"{MANIFEST} is not readable: {exc}") from exc
        listed = {}
        for path, digest, size in entries:
            if path in listed:
                duplicates.add(path)
            listed[path] = (digest, size)
        signature_bytes = None
        if SIGNATURE in seen and seen[SIGNATURE].file_size <= 1024**2:
            signature_bytes = archive.read(seen[SIGNATURE])
        present = set(seen) - {MANIFEST, SIGNATURE}
        missing = sorted(set(listed) - present)
        added = sorted(present - set(listed))
        unsafe = sorted(path for path in present | set(listed) if _unsafe(path))
        altered = []
        for path in sorted(set(listed) & present):
            try:
                digest, size = _read_digest(archive, seen[path])
            except (zipfile.BadZipFile, OSError) as exc:
                raise PackError(f"{path} cannot be read: {exc}") from exc
            expected, expected_size = listed[path]
            if digest != expected or (
                expected_size is not None and expected_size != size
            ):
                altered.append(path)
    status, key_id = _check_signature(manifest_bytes, signature_bytes, public_key)
    return {
        "ok": not (missing or added or altered or duplicates or unsafe)
        and status == "valid",
        "altered": altered,
        "missing": missing,
        "added": added,
        "duplicates": sorted(duplicates),
        "unsafe": unsafe,
        "checked": len(listed),
        "signature": status,
        "key_id": key_id,
        "manifest": manifest,
        "manifest_bytes": manifest_bytes,
    }


def report(result):
    """Human-readable lines for a ``verify`` result."""
    lines = []
    for key, label in (
        ("altered", "ALTERED"),
        ("missing", "MISSING"),
        ("added", "ADDED"),
        ("duplicates", "DUPLICATE"),
        ("unsafe", "UNSAFE PATH"),
    ):
        lines.extend(f"{label}: {path}" for path in result[key])
    lines.append(
        {
            "valid": f"SIGNATURE: valid ({ALGORITHM}, key id {result['key_id']})",
            "invalid": "SIGNATURE: INVALID (manifest or signature changed)",
            "missing": f"SIGNATURE: MISSING ({SIGNATURE} is not in the pack)",
            "other_key": f"SIGNATURE: another key (key id {result['key_id']})",
        }[result["signature"]]
    )
    if result["ok"]:
        lines.append(f"OK: {result['checked']} files match the signed {MANIFEST}")
    else:
        lines.append(f"FAILED: the pack does not match the signed {MANIFEST}")
    return lines


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    public_key = None
    if "--public-key" in argv:
        index = argv.index("--public-key")
        if index + 1 >= len(argv):
            argv = []
        else:
            public_key = argv[index + 1]
            del argv[index : index + 2]
    if len(argv) != 1:
        sys.stderr.write("usage: verify_pack.py PACK.zip [--public-key KEY]\n")
        return 2
    try:
        result = verify(argv[0], public_key=public_key)
    except PackError as exc:
        sys.stderr.write(f"ERROR: {exc}\n")
        return 2
    sys.stdout.write("\n".join(report(result)) + "\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
