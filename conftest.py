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

import pytest


def _ci_enabled():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


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
