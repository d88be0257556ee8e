#!/usr/bin/env python3
"""Verdict of make test-host (scripts/test_host.sh) from Odoo's test log.

usage: test_host_check.py ODOO-LOG DEVIATIONS-FILE ODOO-EXIT-CODE

Every test Odoo reports as FAIL or ERROR must be listed in DEVIATIONS-FILE, one
line per test::

    <module>.tests.<file> <Class>.<method> <text of its failure> | <reason>

and its failure (the message and traceback Odoo logs) must contain that text: a
listed test that fails otherwise, or passes again, fails the check too. So do a
skipped test and a run without Odoo's summary line. Prints the problems, then
one line ``N passed, N failed, N intended deviations`` (", N skipped").
"""

import re
import sys

LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ "
    r"(?P<logger>\S+): (?P<msg>.*)$"
)
# "FAIL: TestClass.test_method", "ERROR: Subtest TestClass.test_method (...)",
# "ERROR: setUpClass (odoo.addons.crm.tests.test_x.TestClass)"
FAILED = re.compile(
    r"^(?P<flavour>FAIL|ERROR): (?:(?:Subtest )?(?P<test>\w+\.\w+)(?: \(.*)?"
    r"|setUpClass \(odoo\.addons\.(?P<module>[\w.]+)\.(?P<cls>\w+)\))$"
)
SUMMARY = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)


def read_deviations(path):
    """{"<module> <Class.method>": (expected text, reason)}"""
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


def read_log(path):
    """(failures {test: text}, skipped lines, summary match)"""
    failures, skipped, summary, current = {}, [], None, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            match = LOG_LINE.match(line)
            if not match:
                if current is not None:
                    failures[current] += "\n" + line
                continue
            current = None
            msg, logger = match["msg"], match["logger"]
            if logger == "odoo.tests.result" and SUMMARY.search(msg):
                summary = SUMMARY.search(msg)
            if match["level"] == "INFO" and msg.startswith("skipped "):
                name = msg.split()[1]
                skipped.append(f"{logger.removeprefix('odoo.addons.')} {name}")
            if match["level"] != "ERROR":
                continue
            failure = FAILED.match(msg)
            if not failure:
                continue
            if failure["cls"]:
                test = f"{failure['module']} {failure['cls']}.setUpClass"
            else:
                test = f"{logger.removeprefix('odoo.addons.')} {failure['test']}"
            failures.setdefault(test, "")
            failures[test] += f"\n{failure['flavour']}: {msg}"
            current = test
    return failures, skipped, summary


def main(log_path, deviations_path, exit_code):
    deviations = read_deviations(deviations_path)
    failures, skipped, summary = read_log(log_path)
    problems = []
    total = int(summary[3]) if summary else 0
    if summary is None:
        problems.append(f"no test summary in {log_path} (exit {exit_code}): unfinished")
    elif int(summary[1]) + int(summary[2]) and not failures:
        problems.append(f"Odoo reports failures this check cannot name: {log_path}")
    # Odoo's own skips (a test that needs demo data or another module) are
    # listed like deviations, with "skipped" as their text
    listed_skips = {t for t, (text, _r) in deviations.items() if text == "skipped"}
    unexpected = sorted(test for test in failures if test not in deviations)
    intended = sorted(test for test in failures if test in deviations)
    for test in unexpected:
        problems.append(f"failed: {test}")
    for test in intended:
        expected, _reason = deviations[test]
        if expected not in failures[test]:
            problems.append(f"fails otherwise than listed ({expected!r}): {test}")
    for test in sorted(set(deviations) - set(failures) - listed_skips):
        problems.append(f"listed deviation passes (remove it): {test}")
    problems.extend(f"skipped: {test}" for test in skipped if test not in listed_skips)
    for test in sorted(listed_skips - set(skipped)):
        problems.append(f"listed skip runs now (remove it): {test}")
    if exit_code and summary is not None and not failures:
        problems.append(f"odoo-bin exited with {exit_code}: see {log_path}")
    for test in intended:
        print(f"intended deviation: {test} ({deviations[test][1]})")
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
    print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
