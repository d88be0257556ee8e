# Copyright 2026 QMS CRM contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The verdict of make test-host (scripts/test_host_check.py) on Odoo logs
written the way Odoo 19's runner writes them: it fails on every failure,
error, skip or logged error that tests/host_deviations.txt does not list."""

import importlib.util

import pytest

T = "2026-12-03 16:02:27,783 3343"
DB = "qms_test_host"


def _line(level, logger, msg):
    return f"{T} {level} {DB} {logger}: {msg}\n"


def _start(module, test):
    return _line("INFO", f"odoo.addons.{module}", f"Starting {test} ... ")


def _fail(module, test, text, flavour="FAIL"):
    return (
        _line("ERROR", f"odoo.addons.{module}", f"{flavour}: {test}")
        + "Traceback (most recent call last):\n"
        + f'  File "/x/{module}.py", line 1, in test\n{text}\n'
    )


def _summary(failed, errors, total, stats=("sale", "crm")):
    level = "ERROR" if failed or errors else "INFO"
    return "".join(
        _line("INFO", "odoo.tests.stats", f"{m}: 3 tests 1.00s 10 queries ")
        for m in stats
    ) + _line(
        level,
        "odoo.tests.result",
        f"{failed} failed, {errors} error(s) of {total} tests when loading "
        f"database '{DB}' ",
    )


DEVIATIONS = (
    "# comment\n"
    "sale.tests.test_controllers TestAccess.test_token AssertionError: 404 != 303 "
    "| a wrong token is a 404\n"
    "sale.tests.test_import TestImport.test_xls skipped | needs demo data\n"
    "crm.tests.test_crm_ui TestUi.test_tour race: FAILED: [21/21] Tour t \u2192 "
    "Step won || FAILED: [7/21] Tour t \u2192 Step name | loses on stock Odoo too\n"
)
LISTED = _start("sale.tests.test_controllers", "TestAccess.test_token") + _fail(
    "sale.tests.test_controllers", "TestAccess.test_token", "AssertionError: 404 != 303"
)
LISTED_SKIP = _start("sale.tests.test_import", "TestImport.test_xls") + _line(
    "INFO", "odoo.addons.sale.tests.test_import", "skipped TestImport.test_xls : demo"
)
PASSING = _start("crm.tests.test_lead", "TestLead.test_a") + _line(
    "INFO", "odoo.addons.crm.models.crm_lead", "assigned 3 leads"
)


@pytest.fixture
def check(repo_root, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "test_host_check", repo_root / "scripts" / "test_host_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    deviations = tmp_path / "deviations.txt"
    deviations.write_text(DEVIATIONS)

    def run(log_text, exit_code=1, modules=("sale", "crm")):
        log = tmp_path / "odoo.log"
        log.write_text(log_text)
        rc = module.main(str(log), str(deviations), exit_code, list(modules))
        return rc, capsys.readouterr().out

    return run


def test_only_the_listed_deviations_pass(check):
    rc, out = check(PASSING + LISTED + LISTED_SKIP + _summary(1, 0, 3))
    assert rc == 0, out
    assert out.splitlines()[-1] == (
        "1 passed, 0 failed, 1 intended deviations, 1 skipped (1 listed)"
    )


def test_an_unlisted_failure_of_any_kind_fails(check):
    for log in (
        _start("crm.tests.test_lead", "TestLead.test_a")
        + _fail("crm.tests.test_lead", "TestLead.test_a", "AssertionError: 1 != 2"),
        # a failing subtest
        _start("crm.tests.test_lead", "TestLead.test_a")
        + _fail(
            "crm.tests.test_lead",
            "Subtest TestLead.test_a (amount=5)",
            "AssertionError: 1 != 2",
        ),
        # setUpClass and tearDownClass are logged by odoo.tests.suite
        _line(
            "ERROR",
            "odoo.tests.suite",
            "ERROR: setUpClass (odoo.addons.crm.tests.test_lead.TestLead)",
        ),
        _line(
            "ERROR",
            "odoo.tests.suite",
            "ERROR: tearDownClass (odoo.addons.crm.tests.test_lead.TestLead)",
        ),
    ):
        rc, out = check(LISTED + LISTED_SKIP + log + _summary(1, 1, 3))
        assert rc == 1, out
        assert "failed: crm.tests.test_lead TestLead." in out
        assert "1 failed, 1 intended deviations" in out


def test_a_listed_deviation_failing_otherwise_or_passing_fails(check):
    other = _start("sale.tests.test_controllers", "TestAccess.test_token") + _fail(
        "sale.tests.test_controllers", "TestAccess.test_token", "KeyError: 'x'", "ERROR"
    )
    rc, out = check(other + LISTED_SKIP + _summary(0, 1, 2))
    assert rc == 1
    assert "fails otherwise than listed" in out
    passes = _start("sale.tests.test_controllers", "TestAccess.test_token")
    rc, out = check(passes + LISTED_SKIP + _summary(0, 0, 2), exit_code=0)
    assert rc == 1
    assert "listed deviation passes (remove it)" in out


def test_skips_fail_unless_listed(check):
    for skip in (
        "skipped TestLead.test_a : no demo data",
        "skipped Subtest TestLead.test_a (x=1) : no demo data",
    ):
        log = _start("crm.tests.test_lead", "TestLead.test_a") + _line(
            "INFO", "odoo.addons.crm.tests.test_lead", skip
        )
        rc, out = check(LISTED + LISTED_SKIP + log + _summary(1, 0, 3))
        assert rc == 1
        assert "skipped: crm.tests.test_lead TestLead.test_a" in out
    # a skipped class
    log = _line(
        "INFO",
        "odoo.tests.suite",
        "skipped setUpClass (odoo.addons.crm.tests.test_lead.TestLead) : module x",
    )
    rc, out = check(LISTED + LISTED_SKIP + log + _summary(1, 0, 2))
    assert rc == 1
    assert "skipped: crm.tests.test_lead TestLead.setUpClass" in out
    # a listed skip that runs again
    rc, out = check(LISTED + _summary(1, 0, 1))
    assert rc == 1
    assert "listed skip runs now (remove it)" in out


def test_an_error_logged_by_a_passing_test_fails(check):
    """Odoo's runner passes a test that logs an error (e.g. an exception our
    code catches and logs): the check does not."""
    swallowed = _line(
        "ERROR",
        "odoo.addons.qms_crm_communication.models.qms_communication_rule",
        "Communication rule 3 failed on sale.order(7,)",
    )
    rc, out = check(PASSING + swallowed + LISTED + LISTED_SKIP + _summary(1, 0, 3))
    assert rc == 1
    assert "error logged: ERROR odoo.addons.qms_crm_communication" in out
    assert "while crm.tests.test_lead TestLead.test_a ran" in out
    # what a failing test logs belongs to its failure
    bad_query = _line("ERROR", "odoo.sql_db", "bad query: UPDATE res_users")
    head, fail = LISTED.split(f"{T} ERROR", 1)
    log = head + bad_query + f"{T} ERROR" + fail + LISTED_SKIP + _summary(1, 0, 2)
    rc, out = check(log)
    assert rc == 0, out


def test_an_unfinished_or_unexplained_run_fails(check):
    rc, out = check(PASSING + LISTED + LISTED_SKIP)
    assert rc == 1
    assert "no test summary" in out
    # Odoo counts a failure the log does not name
    rc, out = check(PASSING + LISTED + LISTED_SKIP + _summary(2, 0, 3))
    assert rc == 1
    assert "Odoo counts 2 failures and errors, the log names 1" in out
    # a host module none of whose tests ran
    rc, out = check(
        PASSING + LISTED + LISTED_SKIP + _summary(1, 0, 3),
        modules=("sale", "crm", "survey"),
    )
    assert rc == 1
    assert "no test of survey ran" in out
    # no failure at all, but odoo-bin failed
    rc, out = check(PASSING + LISTED_SKIP + _summary(0, 0, 2), exit_code=1)
    assert rc == 1
    assert "odoo-bin exited with 1" in out


def test_a_listed_stock_race_may_pass_or_lose_only_as_listed(check):
    race = ("crm.tests.test_crm_ui", "TestUi.test_tour")
    passes = _start(*race)
    rc, out = check(PASSING + passes + LISTED + LISTED_SKIP + _summary(1, 0, 4))
    assert rc == 0, out
    assert out.splitlines()[-1] == (
        "2 passed, 0 failed, 1 intended deviations, 1 skipped (1 listed)"
    )
    browser = "odoo.addons.crm.tests.test_crm_ui.TestUi.test_tour.browser"
    for step in ("[21/21] Tour t \u2192 Step won", "[7/21] Tour t \u2192 Step name"):
        # the tour's browser errors are logged before Odoo's FAIL line
        loses = (
            _start(*race)
            + _line("ERROR", browser, f"FAILED: {step} (trigger: x).")
            + _fail(*race, f"AssertionError: tour failed\nFAILED: {step} (trigger: x).")
        )
        rc, out = check(PASSING + loses + LISTED + LISTED_SKIP + _summary(2, 0, 4))
        assert rc == 0, out
        assert "stock race lost: crm.tests.test_crm_ui TestUi.test_tour" in out
        assert out.splitlines()[-1] == (
            "1 passed, 0 failed, 1 intended deviations, 1 skipped (1 listed), "
            "1 stock race lost"
        )
    # any other failure of it is a failure (e.g. a step our addons break)
    for text in ("FAILED: [18/21] Tour t \u2192 Step win", "KeyError: 'won'"):
        other = _start(*race) + _fail(*race, f"AssertionError: tour failed\n{text}")
        rc, out = check(PASSING + other + LISTED + LISTED_SKIP + _summary(2, 0, 4))
        assert rc == 1, out
        assert "fails otherwise than its listed stock race" in out
