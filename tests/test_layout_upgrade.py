# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A database made with the one-addon layout upgrades in place to the split layout.

Until commit ``LAYOUT_COMMIT`` every capability of Quality CRM lived in ``qms_crm``.
This test installs that commit's addons (taken from git history with ``git archive``)
with demo data into a new database, upgrades it with today's addons
(``odoo-bin -u``), and checks record by record that nothing was lost:

- every xml id of our addons before the upgrade names the same record (model and
  id) after it, now in ``qms_crm`` or in the addon the record moved to;
- every table of our models keeps its rows (count and id sum);
- the same menus (path, action, groups) and settings fields;
- the addons split off ``qms_crm`` are installed, nothing logged an error.
"""

import tempfile

import pytest
from qms_repo import qms_addons as qms_addons_script
from upgradelib import errors as _errors
from upgradelib import git_addons, host_addons_path
from upgradelib import menus as _menus
from upgradelib import settings_fields as _settings_fields
from upgradelib import tables as _tables
from upgradelib import xmlids as _xmlids

# the last commit of the one-addon layout
LAYOUT_COMMIT = "0d408d59be8508a0e419e772940a043dc040ebca"
OLD_ADDONS = ("qms_crm", "qms_crm_survey", "qms_crm_recall", "qms_crm_recall_mrp")

# installs the old layout with demo data, then upgrades it
pytestmark = pytest.mark.slow(420)


def _with_dependencies(names):
    """``names`` and every addon of ours they depend on, directly or not."""
    found = qms_addons_script.manifests()
    result, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in found and name not in result:
            result.add(name)
            todo += found[name].get("depends", [])
    return sorted(result)


def test_one_addon_layout_upgrades_in_place(odoo_env, repo_root, qms_addons):
    db = f"{odoo_env.db}_layout"
    odoo_env.drop_db(db)
    with tempfile.TemporaryDirectory() as tmp:
        old_path = git_addons(
            repo_root, LAYOUT_COMMIT, tmp, OLD_ADDONS, "the one-addon layout"
        )
        odoo_path = host_addons_path(odoo_env, repo_root)
        try:
            log = odoo_env.run(
                db,
                f"--addons-path={','.join([*odoo_path, old_path])}",
                "-i",
                ",".join(OLD_ADDONS),
                "--with-demo",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
                timeout=1800,
            )
            assert not _errors(log), "\n".join(_errors(log)[:20])
            before_ids = _xmlids(odoo_env, db, OLD_ADDONS)
            before_tables = _tables(odoo_env, db, OLD_ADDONS)
            before_menus = _menus(odoo_env, db)
            before_settings = _settings_fields(odoo_env, db)
            assert before_tables["qms_requirement"][0] > 0, "no demo data"

            log = odoo_env.run(
                db,
                "-u",
                ",".join(OLD_ADDONS),
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
                timeout=1800,
            )
            assert not _errors(log), "\n".join(_errors(log)[:20])

            states = dict(
                odoo_env.sql(
                    db,
                    "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)",
                    [list(qms_addons)],
                )
            )
            # the old addons now stand on the split-off ones: those are
            # installed (addons added since, that nothing old depends on, are not)
            wanted = _with_dependencies(OLD_ADDONS)
            assert {a: states.get(a) for a in wanted} == dict.fromkeys(
                wanted, "installed"
            ), states

            after_ids = _xmlids(odoo_env, db, qms_addons)
            by_name = {}
            for (module, name), target in after_ids.items():
                by_name.setdefault(name, {})[module] = target
            lost = []
            for (module, name), target in sorted(before_ids.items()):
                now = by_name.get(name, {})
                if target not in now.values():
                    lost.append(f"{module}.{name} {target} -> {now or 'gone'}")
            moved = sum(
                1
                for (module, name), target in before_ids.items()
                if (module, name) not in after_ids
                and target in by_name.get(name, {}).values()
            )
            print(
                f"\nlayout upgrade: {len(before_ids)} xml ids before, {moved} moved to "
                f"the new addons, {len(lost)} lost"
            )
            assert not lost, "xml ids lost or re-pointed:\n" + "\n".join(lost[:50])

            after_tables = _tables(odoo_env, db, qms_addons)
            # records the new version's data and demo files add (xml ids that
            # did not exist under any module before) are expected: Odoo loads
            # new records of an updated module; nothing else may be added, and
            # nothing lost
            names_before = {name for _module, name in before_ids}
            added = {}
            for (_module, name), (model, res_id) in after_ids.items():
                if name not in names_before:
                    rows, ids = added.get(model.replace(".", "_"), (0, 0))
                    added[model.replace(".", "_")] = (rows + 1, ids + res_id)
            changed = {}
            for t in before_tables:
                rows, ids = after_tables.get(t, (0, 0))
                new_rows, new_ids = added.get(t, (0, 0))
                if before_tables[t] != (rows - new_rows, ids - new_ids):
                    changed[t] = (before_tables[t], after_tables.get(t))
            assert not changed, f"records lost or added by the upgrade: {changed}"
            # every menu (path, action, groups) and setting of before is still
            # there, unchanged; the new version may add its own (e.g. Evidence
            # Integrity Check); and the upgraded database has nothing a fresh
            # install of today's addons (the test database, which also has the
            # addons nothing old depends on) lacks
            assert len(before_menus) > 20, before_menus
            menus = set(_menus(odoo_env, db))
            assert set(before_menus) - menus == set(), set(before_menus) - menus
            fresh_menus = set(_menus(odoo_env, odoo_env.db))
            assert menus - fresh_menus == set(), menus - fresh_menus
            settings = set(_settings_fields(odoo_env, db))
            assert set(before_settings) <= settings, set(before_settings) - settings
            fresh_settings = set(_settings_fields(odoo_env, odoo_env.db))
            assert settings <= fresh_settings, settings - fresh_settings
        finally:
            odoo_env.drop_db(db)
