# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The repository as the repo-level tests see it: its root and our addons.

Our addons are discovered by scripts/qms_addons.py (top-level folders with a
``__manifest__.py``, in dependency order), the same list scripts/common.sh installs.
"""

import ast
import importlib.util
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

_spec = importlib.util.spec_from_file_location(
    "qms_addons", REPO_ROOT / "scripts" / "qms_addons.py"
)
qms_addons = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(qms_addons)


def addon_list(root=REPO_ROOT):
    """Our installable addons, in dependency order."""
    return tuple(qms_addons.addons(root))


def imported_test_modules(init_file):
    """Names of the modules a ``tests/__init__.py`` imports from its own package
    (``from . import test_x``, ``from .test_x import ...``), at its top level."""
    tree = ast.parse(Path(init_file).read_text(encoding="utf-8"), str(init_file))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
    return names


def unimported_test_modules(root=REPO_ROOT):
    """{addon: [test module, ...]} for every ``<addon>/tests/test_*.py`` that the
    addon's ``tests/__init__.py`` does not import: Odoo's runner (``odoo-bin
    --test-enable``, OCA's CI) only runs imported test modules, pytest-odoo finds
    every file by its name."""
    missing = {}
    for addon in sorted(qms_addons.manifests(root)):
        tests_dir = Path(root, addon, "tests")
        modules = sorted(p.stem for p in tests_dir.glob("test_*.py"))
        if not modules:
            continue
        init = tests_dir / "__init__.py"
        imported = imported_test_modules(init) if init.is_file() else set()
        absent = [m for m in modules if m not in imported]
        if absent:
            missing[addon] = absent
    return missing
