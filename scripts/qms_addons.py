#!/usr/bin/env python3
# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Our addons, discovered from the repository (never a hard-coded list).

An addon of ours is a top-level folder of the repository with a ``__manifest__.py``.
``addons()`` returns the installable ones in dependency order (a manifest's
``depends`` on another of our addons puts that one first; ties in name order),
so ``odoo-bin -i`` and every list printed from it read the same way.

Standard library only: scripts/common.sh runs it with the system python3 before
the venv exists, and tests/conftest.py imports it.

    python3 scripts/qms_addons.py            qms_crm,qms_crm_survey,...
    python3 scripts/qms_addons.py --lines    one addon a line
    python3 scripts/qms_addons.py --depends  what they stand on (not ours)
"""

import ast
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def manifests(root=REPO_ROOT):
    """{addon name: manifest dict} of every top-level folder with a __manifest__.py."""
    root = Path(root)
    found = {}
    for manifest in sorted(root.glob("*/__manifest__.py")):
        try:
            found[manifest.parent.name] = ast.literal_eval(
                manifest.read_text(encoding="utf-8")
            )
        except (ValueError, SyntaxError) as exc:
            raise SystemExit(
                f"error: {manifest} is not a Python literal: {exc}"
            ) from exc
    return found


def addons(root=REPO_ROOT, installable_only=True):
    """Our addons in dependency order (a dependency before its dependents)."""
    found = manifests(root)
    if installable_only:
        found = {n: m for n, m in found.items() if m.get("installable", True)}
    deps = {n: set(m.get("depends", [])) & set(found) - {n} for n, m in found.items()}
    ordered = []
    while deps:
        ready = sorted(n for n, d in deps.items() if not d - set(ordered))
        if not ready:
            raise SystemExit(
                "error: our addons depend on each other in a cycle: "
                + ", ".join(f"{n} -> {sorted(d)}" for n, d in sorted(deps.items()))
            )
        # one at a time, so that each addon comes as early as its dependencies allow
        ordered.append(ready[0])
        del deps[ready[0]]
    return ordered


def depends(root=REPO_ROOT):
    """What our addons stand on: their manifests' depends that are not ours."""
    found = manifests(root)
    deps = []
    for name in addons(root):
        deps += found[name].get("depends", [])
    return [d for d in dict.fromkeys(deps) if d not in found]


def main(argv):
    if argv[1:] == ["--lines"]:
        print("\n".join(addons()))
    elif argv[1:] == ["--depends"]:
        print(",".join(depends()))
    elif argv[1:] == []:
        print(",".join(addons()))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
