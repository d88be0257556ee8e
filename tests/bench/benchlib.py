# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every benchmark script in tests/bench/ needs (see README.md).

A bench script runs as ``python tests/bench/bench_x.py``: its directory is on
``sys.path``, so ``import benchlib`` works. This module imports only the
standard library at import time (Odoo is imported inside the functions, after
``setup_odoo()`` parsed the configuration), so that importing it anywhere
(pytest collection, a linter) has no side effect.

Contents:

* report lines: ``out()``, ``report()`` (``name: ratio=<x> (goal <= y)``),
  ``ratio()``, ``finish()`` (the ``info goal missed by`` line and the exit
  code: 3 when a goal is missed);
* settings: ``env_int()``, ``require_env()``;
* Odoo: ``setup_odoo()``, ``open_registry()``, ``open_registries()``,
  ``check_installed()``, ``admin_env()``, ``rolled_back()``;
* measuring: ``flush()``, ``timed()``, ``alternate()``;
* throw-away databases: ``admin_sql()``, ``copy_database()``,
  ``drop_database()``.
"""

import gc
import os
import shutil
import statistics
import sys
import threading
import time

CONF = "QMS_ODOO_CONF"
DB_BASE = "QMS_BENCH_DB_BASE"
DB_FULL = "QMS_BENCH_DB_FULL"


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def out(line):
    """One line of the report on stdout (pylint-odoo objects to print())."""
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def ratio(numerator, denominator):
    """numerator / denominator, infinite when the denominator is 0."""
    return numerator / denominator if denominator else float("inf")


def report(name, value, goal, missed):
    """Print ``name: ratio=<value> (goal <= goal)`` (two decimals) and add
    name to the list missed when value is above goal."""
    if value > goal:
        missed.append(name)
    out(f"{name}: ratio={value:.2f} (goal <= {goal:.2f})")


def finish(missed):
    """The exit code of a script: prints ``info goal missed by: ...`` and
    returns 3 when a goal was missed (make bench then fails), else 0."""
    if missed:
        out(f"info goal missed by: {', '.join(missed)}")
        return 3
    return 0


# ----------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------
def env_int(name, default):
    """The positive integer in the environment variable name (default when
    unset or empty); exits with an error message otherwise."""
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        sys.exit(f"error: {name} must be a positive integer, got {raw!r}")
    return value


def require_env(*names):
    """The values of the environment variables names (set by
    scripts/bench.sh); exits with an error message when one is missing."""
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        sys.exit(
            f"error: {', '.join(missing)} not set; run it through 'make bench' "
            "(scripts/bench.sh) or set them by hand"
        )
    return tuple(os.environ[name] for name in names)


# ----------------------------------------------------------------------
# Odoo
# ----------------------------------------------------------------------
def setup_odoo(conf):
    """Load the Odoo configuration file conf (log level warn)."""
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", conf, "--log-level=warn"], setup_logging=True)


def open_registry(db):
    """The registry of database db (the current thread's dbname set)."""
    from odoo.modules.registry import Registry  # noqa: PLC0415

    threading.current_thread().dbname = db
    return Registry(db)


def open_registries(db_base, db_full):
    """{"base": registry, "full": registry}, both opened in this process."""
    return {
        label: open_registry(db) for label, db in (("base", db_base), ("full", db_full))
    }


def check_installed(registries, ours, also=()):
    """Exit with an error unless the "full" registry's database has the
    modules ours and also installed and every other one (the base) has only
    also: a comparison means something only then."""
    names = tuple(ours) + tuple(also)
    for label, registry in registries.items():
        with registry.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' "
                "AND name IN %s",
                [names],
            )
            installed = sorted(row[0] for row in cr.fetchall())
            cr.rollback()
        expected = sorted(names if label == "full" else also)
        if installed != expected:
            raise SystemExit(
                f"error: database {registry.db_name} ({label}) has "
                f"{installed or 'none'} of {list(names)} installed, expected "
                f"{expected or 'none'}"
            )


def admin_env(cr):
    """An environment of the administrator (not the superuser: access
    rights and record rules are part of the cost)."""
    from odoo import api  # noqa: PLC0415

    root = api.Environment(cr, api.SUPERUSER_ID, {})
    admin = root.ref("base.user_admin")
    return api.Environment(cr, admin.id, admin.context_get())


def rolled_back(registry, func, *args):
    """func(admin_env, *args) in a new transaction of registry that is
    rolled back (after a garbage collection); returns what func returns."""
    threading.current_thread().dbname = registry.db_name
    gc.collect()
    with registry.cursor() as cr:
        try:
            return func(admin_env(cr), *args)
        finally:
            cr.rollback()


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------
def flush(env):
    """What a commit would run: the ORM flush and the precommit hooks (mail
    tracking values and messages), then the flush of what those wrote."""
    env.flush_all()
    env.cr.flush()
    env.flush_all()


def timed(env, func):
    """Run func() and flush(env); return (result, seconds, queries)."""
    start = time.perf_counter()
    queries = env.cr.sql_log_count
    result = func()
    flush(env)
    return result, time.perf_counter() - start, env.cr.sql_log_count - queries


def alternate(labels, round_no):
    """labels in order on even rounds, reversed on odd ones, so that load
    from elsewhere on the machine hits every side alike."""
    labels = tuple(labels)
    return labels if round_no % 2 == 0 else labels[::-1]


def median_rounds(sides, rounds, before=None):
    """Time every callable of ``sides`` (label -> callable) once per round,
    in alternate order (see alternate), ``before()`` (e.g. invalidating the
    caches) untimed ahead of each call. Return ({label: median seconds},
    {label: the result of its last call})."""
    times = {label: [] for label in sides}
    results = {}
    for round_no in range(rounds):
        for label in alternate(sides, round_no):
            if before:
                before()
            began = time.perf_counter()
            results[label] = sides[label]()
            times[label].append(time.perf_counter() - began)
    return {label: statistics.median(t) for label, t in times.items()}, results


# ----------------------------------------------------------------------
# Throw-away databases
# ----------------------------------------------------------------------
def admin_sql(query):
    """Run a statement outside a transaction on the maintenance database."""
    from odoo.sql_db import db_connect  # noqa: PLC0415

    with db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(query)


def copy_database(source, copy):
    """Create copy (dropped first when it exists) from the template source
    (which must have no open connection: see odoo.sql_db.close_db) and
    return its registry."""
    admin_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    return open_registry(copy)


def drop_database(copy):
    """Forget the registry and the connections of copy, then drop it and
    its filestore."""
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.sql_db import close_db  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    Registry.delete(copy)
    close_db(copy)
    admin_sql(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    shutil.rmtree(config.filestore(copy), ignore_errors=True)
