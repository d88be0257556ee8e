# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How the tests are found: every test module of an addon is imported by its
``tests/__init__.py`` (else ``odoo-bin --test-enable``, which OCA's CI and
``make test-odoo`` use, silently skips it while pytest-odoo runs it), and our
addons are discovered from the repository in dependency order (scripts/qms_addons.py)
so that a new addon is installed and tested without editing a list."""

import pytest
from qms_repo import addon_list, qms_addons, unimported_test_modules


def _addon(root, name, depends=(), tests=None, installable=True):
    """A minimal addon folder under root; tests = {file name: text}."""
    folder = root / name
    folder.mkdir()
    (folder / "__manifest__.py").write_text(
        repr({"name": name, "depends": list(depends), "installable": installable})
    )
    if tests is not None:
        (folder / "tests").mkdir()
        for file_name, text in tests.items():
            (folder / "tests" / file_name).write_text(text)


def test_every_test_module_of_our_addons_is_imported(repo_root):
    assert addon_list(repo_root), "no addon found at the repository root"
    missing = unimported_test_modules(repo_root)
    assert not missing, (
        "test modules not imported by their addon's tests/__init__.py "
        f"(odoo-bin --test-enable would not run them): {missing}"
    )


def test_an_unimported_test_module_is_reported(tmp_path):
    _addon(
        tmp_path,
        "qms_a",
        tests={
            "__init__.py": "from . import test_one\nfrom .test_two import TestTwo\n",
            "test_one.py": "",
            "test_two.py": "",
            "test_three.py": "",
            "common.py": "",
        },
    )
    _addon(
        tmp_path,
        "qms_b",
        tests={
            # a nested or commented-out import does not count
            "__init__.py": "# from . import test_b\nif False:\n"
            "    from . import test_b\n",
            "test_b.py": "",
        },
    )
    # test modules without any tests/__init__.py: Odoo finds none of them
    _addon(tmp_path, "qms_c", tests={"test_c.py": ""})
    _addon(tmp_path, "qms_d", tests={"__init__.py": "", "common.py": ""})
    _addon(tmp_path, "qms_e")
    (tmp_path / "not_an_addon" / "tests").mkdir(parents=True)
    (tmp_path / "not_an_addon" / "tests" / "test_x.py").write_text("")
    assert unimported_test_modules(tmp_path) == {
        "qms_a": ["test_three"],
        "qms_b": ["test_b"],
        "qms_c": ["test_c"],
    }


def test_addons_are_discovered_in_dependency_order(tmp_path):
    _addon(tmp_path, "qms_z_base", depends=["crm"])
    _addon(tmp_path, "qms_a_bridge", depends=["qms_m_mid", "mrp"])
    _addon(tmp_path, "qms_m_mid", depends=["qms_z_base", "stock"])
    _addon(tmp_path, "qms_b_side", depends=["qms_z_base", "survey"])
    _addon(tmp_path, "qms_old", depends=["qms_z_base"], installable=False)
    (tmp_path / "docs").mkdir()
    assert qms_addons.addons(tmp_path) == [
        "qms_z_base",
        "qms_b_side",
        "qms_m_mid",
        "qms_a_bridge",
    ]
    assert qms_addons.depends(tmp_path) == ["crm", "survey", "stock", "mrp"]


def test_a_dependency_cycle_between_our_addons_is_an_error(tmp_path):
    _addon(tmp_path, "qms_x", depends=["qms_y"])
    _addon(tmp_path, "qms_y", depends=["qms_x"])
    with pytest.raises(SystemExit, match="cycle"):
        qms_addons.addons(tmp_path)
