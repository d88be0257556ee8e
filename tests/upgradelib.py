# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers of the upgrade tests (test_upgrade.py, test_layout_upgrade.py,
test_release_upgrade.py): addons of an older commit taken from git history,
errors of an ``odoo-bin`` log, and what a database holds (tables, xml ids,
menus, settings) in a form two databases can be compared by."""

import re
import subprocess
import tarfile
from pathlib import Path

ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.M)


def errors(log):
    """Lines of an odoo-bin log that report an error (or a traceback)."""
    return [
        line
        for line in log.splitlines()
        if ERROR_LINE.match(line) or line.startswith("Traceback")
    ]


def has_commit(repo_root, commit):
    probe = subprocess.run(
        ["git", "-C", str(repo_root), "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def git_addons(repo_root, commit, target, paths=(), what="the old addons"):
    """Extract ``paths`` (all of it when empty) of ``commit`` from git history
    into the directory ``target`` (a shallow clone first fetches the history
    it lacks from its origin); fail, never skip, when the commit is missing."""
    if not has_commit(repo_root, commit):
        subprocess.run(
            ["git", "-C", str(repo_root), "fetch", "--quiet", "--unshallow"],
            capture_output=True,
            check=False,
            timeout=300,
        )
    assert has_commit(repo_root, commit), (
        f"commit {commit} ({what}) is not in this clone's history: clone "
        "without --depth (CI: fetch-depth 0) to run the upgrade tests"
    )
    archive = Path(target, f"{commit[:12]}.tar")
    with open(archive, "wb") as out:
        subprocess.run(
            ["git", "-C", str(repo_root), "archive", commit, *paths],
            stdout=out,
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()
    return str(target)


def host_addons_path(odoo_env, repo_root):
    """The run's addons path without this repository (Odoo's and OCA's
    addons): to put an older commit's addons in its place."""
    return [
        p
        for p in odoo_env.addons_path.split(",")
        if Path(p).resolve() != Path(repo_root).resolve()
    ]


def tables(odoo_env, db, modules):
    """{table: (rows, id sum)} for every table of a model of ``modules``."""
    names = odoo_env.sql(
        db,
        """
        SELECT DISTINCT replace(m.model, '.', '_')
          FROM ir_model m
          JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
          JOIN information_schema.tables t
            ON t.table_name = replace(m.model, '.', '_') AND t.table_type = 'BASE TABLE'
         WHERE d.module IN %s
        """,
        [tuple(modules)],
    )
    result = {}
    for (table,) in names:
        result[table] = tuple(
            odoo_env.sql(db, f'SELECT count(*), coalesce(sum(id), 0) FROM "{table}"')[0]
        )
    return result


def xmlids(odoo_env, db, modules):
    """{(module, name): (model, res_id)} of the xml ids of ``modules``."""
    rows = odoo_env.sql(
        db,
        """SELECT module, name, model, res_id FROM ir_model_data
            WHERE module = ANY(%s)""",
        [list(modules)],
    )
    return {(module, name): (model, res_id) for module, name, model, res_id in rows}


def menus(odoo_env, db):
    """Every menu under Quality CRM as a user sees it: (path, action, groups),
    the action and groups by name, so that databases can be compared."""
    rows = odoo_env.sql(
        db,
        """
        WITH RECURSIVE tree(id, path) AS (
            SELECT m.id, m.name->>'en_US' FROM ir_ui_menu m
              JOIN ir_model_data d ON d.model = 'ir.ui.menu' AND d.res_id = m.id
             WHERE d.name = 'menu_qms_root'
            UNION ALL
            SELECT m.id, tree.path || ' / ' || (m.name->>'en_US')
              FROM ir_ui_menu m JOIN tree ON m.parent_id = tree.id
        )
        SELECT tree.path,
               coalesce((SELECT a.name->>'en_US' FROM ir_actions a
                          WHERE a.id = split_part(m.action, ',', 2)::int), ''),
               coalesce((SELECT string_agg(g.name->>'en_US', ','
                                           ORDER BY g.name->>'en_US')
                           FROM ir_ui_menu_group_rel r
                           JOIN res_groups g ON g.id = r.gid
                          WHERE r.menu_id = m.id), '')
          FROM tree JOIN ir_ui_menu m ON m.id = tree.id
        """,
    )
    return sorted(rows)


def settings_fields(odoo_env, db):
    rows = odoo_env.sql(
        db,
        """SELECT name FROM ir_model_fields
            WHERE model = 'res.config.settings' AND name LIKE 'qms%%'""",
    )
    return sorted(name for (name,) in rows)
