"""Repository-wide pytest rules (loaded for every pytest run from the repo root).

CI rule: with CI set (CI=true, as CI runs .ci/run), a skipped test fails the run.
Odoo skips browser tests (HttpCase.browser_js / start_tour, HOOT) silently when
Chromium or websocket-client is missing, and pytest-odoo skips every HttpCase without
--odoo-http: a green run must not hide tests that did not run.

Order: tests marked ``slow(seconds)`` run first, the longest first. make test runs
pytest-xdist with ``--dist loadscope --no-loadscope-reorder``: each worker takes the
next class (or module of plain test functions) in this order, so the long ones start
at once, side by side, and the many short ones fill the workers up at the end.
"""

import os
import shutil
from unittest import mock

import pytest


def _ci_enabled():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.fixture(scope="session", autouse=True)
def qms_worker_filestore(request):
    """Under pytest-xdist, each worker's own filestore.

    pytest-odoo gives each worker a copy of the database (``<db>-gw<N>``) but points
    them all at the original database's filestore. Odoo 19 collects the filestore's
    garbage after every test class (``TransactionCase._gc_filestore``) against its own
    database: one worker then deletes the files another worker has just written.
    Here each worker gets a folder of hard links to the original's files (Odoo never
    rewrites a stored file, it writes a new one), removed at the end.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    original = request.config.getoption("--odoo-database", default=None)
    if not worker or not original:
        yield
        return
    request.getfixturevalue("load_registry")  # pytest-odoo: the worker's database
    import odoo.tests.common  # noqa: PLC0415 - only in pytest-odoo runs
    import odoo.tools  # noqa: PLC0415

    config = odoo.tools.config
    db = odoo.tests.common.get_db_name()
    if db == original:
        yield
        return
    root = os.path.join(config["data_dir"], "filestore")
    own = os.path.join(root, db)
    shutil.rmtree(own, ignore_errors=True)
    if os.path.isdir(os.path.join(root, original)):
        shutil.copytree(os.path.join(root, original), own, copy_function=os.link)
    with mock.patch.object(config, "filestore", return_value=own):
        yield
    shutil.rmtree(own, ignore_errors=True)


def _slow_seconds(item):
    marker = item.get_closest_marker("slow")
    if marker is None:
        return 0
    return marker.args[0] if marker.args else 1


def pytest_collection_modifyitems(session, config, items):
    # stable: within the same estimate, the collection order is kept
    items.sort(key=lambda item: -_slow_seconds(item))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if not _ci_enabled():
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = [
        rep for rep in reporter.stats.get("skipped", []) if not hasattr(rep, "wasxfail")
    ]
    if not skipped:
        return
    reporter.write_sep("=", "CI: skipped tests fail the run", red=True, bold=True)
    for rep in skipped[:50]:
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else rep.longrepr
        reporter.write_line(f"SKIPPED {rep.nodeid}: {reason}")
    reporter.write_line(
        f"CI is set: {len(skipped)} skipped test(s) count as a failure "
        "(a browser test skips when Chromium or websocket-client is missing)."
    )
    if session.exitstatus == 0:
        session.exitstatus = 1
