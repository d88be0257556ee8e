#!/usr/bin/env python3
"""Verdict of make test-host (scripts/test_host.sh) from Odoo's test log.

usage: test_host_check.py ODOO-LOG DEVIATIONS-FILE ODOO-EXIT-CODE [HOST-MODULES]

Every test Odoo reports as FAIL or ERROR must be listed in DEVIATIONS-FILE, one
line per test::

    <module>.tests.<file> <Class>.<method> <text of its failure> | <reason>

and its failure (the message and traceback Odoo logs) must contain that text: a
listed test that fails otherwise, or passes again, fails the check too. A race of
stock Odoo's own test (it loses on stock Odoo alone too) is listed with its text
after ``race:``, alternatives separated by `` || ``: it may pass, and when it
fails, its failure must contain one of them (counted as a stock race lost). So do a
skipped test (unless listed with the text ``skipped``), an error logged outside
of a failing test (Odoo's runner does not fail a test for it: a swallowed
exception), more failures counted by Odoo than the log names, a run without
Odoo's summary line and, with HOST-MODULES (comma-separated), a host module
none of whose tests ran. Prints the problems, then one line
``N passed, N failed, N intended deviations`` (", N skipped").
"""

import re
import sys

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ "
    r"(?P<logger>\S+): (?P<msg>.*)$"
)
# "FAIL: TestClass.test_method", "ERROR: Subtest TestClass.test_method (...)",
# "ERROR: setUpClass (odoo.addons.crm.tests.test_x.TestClass)" (tearDownClass alike)
FAILED = re.compile(
    r"^(?P<flavour>FAIL|ERROR): (?:(?:Subtest )?(?P<test>\w+\.\w+)(?: \(.*)?"
    r"|(?P<fixture>setUpClass|tearDownClass) "
    r"\(odoo\.addons\.(?P<module>[\w.]+)\.(?P<cls>\w+)\))$"
)
# "skipped TestClass.test_method : reason", "skipped Subtest TestClass.test_method
# (...) : reason", "skipped setUpClass (odoo.addons.sale.tests.test_x.TestClass) :
# reason"
SKIPPED = re.compile(
    r"^skipped (?:(?:Subtest )?(?P<test>\w+\.\w+)"
    r"|(?P<fixture>setUpClass) \(odoo\.addons\.(?P<module>[\w.]+)\.(?P<cls>\w+)\))"
    r"(?: |$)"
)
STARTING = re.compile(r"^Starting (?P<test>\w+\.\w+) \.\.\.")
SUMMARY = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
STATS = re.compile(r"^(?P<module>\w+): (?P<count>\d+) tests ")
# ERROR lines of Odoo's runner that only sum up the failures it named
RUNNER_SUMMARIES = (
    ("odoo.tests.result", SUMMARY),
    ("odoo.modules.loading", re.compile(r"^Module \w+: \d+ failures, \d+ errors")),
    ("odoo.modules.loading", re.compile(r"^At least one test failed")),
)


RACE = "race:"


def read_deviations(path):
    """{"<module> <Class.method>": (expected text, reason)}; the text of a
    stock race starts with "race:"."""
    deviations = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) < 3 or " | " not in parts[2]:
                sys.exit(f"{path}:{number}: <module> <Class.method> <text> | <reason>")
            expected, reason = parts[2].split(" | ", 1)
            deviations[f"{parts[0]} {parts[1]}"] = (expected.strip(), reason.strip())
    return deviations


def race_texts(expected):
    """The failure texts a stock race may show, or None for another line."""
    if not expected.startswith(RACE):
        return None
    texts = expected[len(RACE) :].split(" || ")
    return [text.strip() for text in texts if text.strip()]


def _test_name(match, logger):
    """'<module>.tests.<file> <Class>.<method>' of a FAILED or SKIPPED match."""
    if match["fixture"]:
        return f"{match['module']} {match['cls']}.{match['fixture']}"
    return f"{logger.removeprefix('odoo.addons.')} {match['test']}"


class HostLog:
    """What Odoo's log of the run says: failures {test: text}, the number of
    failure entries, skipped tests, errors logged outside of failing tests,
    tests run per module and the summary line."""

    def __init__(self, path):
        self.failures, self.entries, self.skipped = {}, 0, []
        self.stray_errors, self.modules, self.summary = [], {}, None
        self._current = None  # the failure whose traceback lines follow
        self._running = None  # the test last started
        self._pending = []  # errors logged since it started
        with open(path, encoding="utf-8", errors="replace") as f:
            for raw in f:
                self._read(raw.rstrip("\n"))
        self._settle_pending()

    def _settle_pending(self):
        """Errors logged while a test ran that did not fail: stray."""
        if self._running in self.failures:
            self._pending = []  # part of its failure
        self.stray_errors.extend(
            f"{line} (while {self._running or 'no test'} ran)" for line in self._pending
        )
        self._pending = []

    def _read(self, line):
        match = LOG_LINE.match(line)
        if not match:
            if self._current is not None:
                self.failures[self._current] += "\n" + line
            return
        self._current = None
        level, logger, msg = match["level"], match["logger"], match["msg"]
        if logger == "odoo.tests.result" and SUMMARY.search(msg):
            self.summary = SUMMARY.search(msg)
        if logger == "odoo.tests.stats" and STATS.match(msg):
            stats = STATS.match(msg)
            self.modules[stats["module"]] = int(stats["count"])
        if level == "INFO" and STARTING.match(msg):
            self._settle_pending()
            self._running = f"{logger.removeprefix('odoo.addons.')} {msg.split()[1]}"
        if level == "INFO" and msg.startswith("skipped "):
            skip = SKIPPED.match(msg)
            self.skipped.append(_test_name(skip, logger) if skip else msg)
        if level not in ("ERROR", "CRITICAL"):
            return
        failure = FAILED.match(msg)
        if failure:
            test = _test_name(failure, logger)
            self.entries += 1
            self.failures.setdefault(test, "")
            self.failures[test] += f"\n{failure['flavour']}: {msg}"
            self._current = test
            # what was logged since the test started belongs to its failure
            self._pending = []
        elif not any(
            logger == name and pattern.search(msg) for name, pattern in RUNNER_SUMMARIES
        ):
            self._pending.append(f"{level} {logger}: {msg[:200]}")


def _sort_failures(deviations, failures, problems):
    """(unlisted failures, intended deviations, stock races lost, listed skips);
    adds to problems what does not match its line."""
    # Odoo's own skips (a test that needs demo data or another module) are
    # listed like deviations, with "skipped" as their text
    listed_skips = {t for t, (text, _r) in deviations.items() if text == "skipped"}
    # stock races: may pass; a failure must show one of the listed texts
    races = {t: race_texts(text) for t, (text, _r) in deviations.items()}
    races = {t: texts for t, texts in races.items() if texts is not None}
    unexpected = sorted(test for test in failures if test not in deviations)
    lost = sorted(test for test in failures if test in races)
    intended = sorted(set(failures) & set(deviations) - set(races))
    for test in unexpected:
        problems.append(f"failed: {test}")
    for test in intended:
        expected, _reason = deviations[test]
        if expected not in failures[test]:
            problems.append(f"fails otherwise than listed ({expected!r}): {test}")
    for test in lost:
        if not any(text in failures[test] for text in races[test]):
            problems.append(f"fails otherwise than its listed stock race: {test}")
    for test in sorted(set(deviations) - set(failures) - listed_skips - set(races)):
        problems.append(f"listed deviation passes (remove it): {test}")
    return unexpected, intended, lost, listed_skips


def main(log_path, deviations_path, exit_code, host_modules=()):
    deviations = read_deviations(deviations_path)
    log = HostLog(log_path)
    failures, skipped, summary = log.failures, log.skipped, log.summary
    problems = []
    total = int(summary[3]) if summary else 0
    if summary is None:
        problems.append(f"no test summary in {log_path} (exit {exit_code}): unfinished")
    elif int(summary[1]) + int(summary[2]) > log.entries:
        problems.append(
            f"Odoo counts {int(summary[1]) + int(summary[2])} failures and errors, "
            f"the log names {log.entries}: see {log_path}"
        )
    unexpected, intended, lost, listed_skips = _sort_failures(
        deviations, failures, problems
    )
    problems.extend(f"skipped: {test}" for test in skipped if test not in listed_skips)
    for test in sorted(listed_skips - set(skipped)):
        problems.append(f"listed skip runs now (remove it): {test}")
    problems.extend(f"error logged: {error}" for error in log.stray_errors)
    if summary is not None:
        for module in host_modules:
            if not log.modules.get(module):
                problems.append(f"no test of {module} ran")
    if exit_code and summary is not None and not failures:
        problems.append(f"odoo-bin exited with {exit_code}: see {log_path}")
    for test in intended:
        print(f"intended deviation: {test} ({deviations[test][1]})")
    for test in lost:
        print(f"stock race lost: {test} ({deviations[test][1]})")
    if problems:
        print(f"---- host suites: what is wrong (tracebacks in {log_path}):")
        print("\n".join(problems))
    line = (
        f"{max(total - len(failures) - len(skipped), 0)} passed, "
        f"{len(unexpected)} failed, "
        f"{len(intended)} intended deviations"
    )
    if skipped:
        line += f", {len(skipped)} skipped ({len(listed_skips & set(skipped))} listed)"
    if lost:
        line += f", {len(lost)} stock race lost"
    print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    modules = [m for m in sys.argv[4].split(",") if m] if len(sys.argv) == 5 else []
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), modules))
