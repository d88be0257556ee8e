#!/usr/bin/env bash
# make test-odoo (and CI's .ci/run after make test): Odoo's own test runner, the way OCA's
# CI runs it, on a fresh database:
#   odoo-bin --test-enable --stop-after-init -i <our addons> --with-demo
#            --test-tags /<addon>,/<addon>,... --log-level=test
# It runs only the test modules each addon's tests/__init__.py imports
# (tests/test_repo_tests.py makes sure that is all of them). Fails on a failed or
# errored test, on any skipped test (browser tests skip silently without Chromium or
# websocket-client), on any ERROR/CRITICAL log line, and when it ran another number of
# tests than pytest collects from the addons' tests/ (make test). The last line printed
# is "N passed, N failed" (then ", N skipped" / ", N error log lines" when there are).
# Odoo's log: .local/logs/test-odoo-runner.log
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

qms_setup

DB=qms_test_odoo
log="$QMS_LOGS/test-odoo-runner.log"
tags="/${QMS_ADDONS//,/,/}"
# its own HTTP port for the browser tests (8069 may be taken by make run)
port="$("$QMS_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

qms_db_drop "$DB"
: >"$log"
# shellcheck disable=SC2064  # $DB is expanded now on purpose
trap "qms_db_drop '$DB' >/dev/null 2>&1 || true; exit 130" INT TERM
say "odoo: odoo-bin --test-enable -i $QMS_ADDONS --with-demo --test-tags $tags on a fresh database $DB (log: $log)"
start=$SECONDS
rc=0
qms_odoo -d "$DB" -i "$QMS_ADDONS" --with-demo --test-enable --test-tags "$tags" \
    --stop-after-init --log-level=test --http-port="$port" >>"$log" 2>&1 || rc=$?
trap - INT TERM
say "odoo: odoo-bin exited with $rc after $((SECONDS - start)) s"
qms_db_drop "$DB" || true

# Odoo's own count: "F failed, E error(s) of N tests when loading database '...'"
summary="$(grep -E 'odoo\.tests\.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' "$log" | tail -n 1 || true)"
line_re='^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) '
skipped="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ INFO .*: skipped ' "$log" || true)"
errors="$(grep -cE "$line_re" "$log" || true)"
if [[ $summary =~ ([0-9]+)\ failed,\ ([0-9]+)\ error\(s\)\ of\ ([0-9]+)\ tests ]]; then
    failed=$((BASH_REMATCH[1] + BASH_REMATCH[2]))
    total=${BASH_REMATCH[3]}
    echo "odoo-bin: ${summary#*odoo.tests.result: }"
else
    # no summary: odoo-bin stopped before its tests ended (install error, crash)
    echo "odoo-bin: no test summary in $log (exit code $rc): the run did not finish"
    total="$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ INFO .*: Starting [A-Za-z0-9_.]+ \.\.\. ?$' "$log" || true)"
    failed=1
fi
if ((rc && !failed)); then
    echo "odoo-bin: exit code $rc with no failed test: see $log"
    failed=1
fi

# the same tests as pytest-odoo (make test) finds in the addons' tests/ folders
collected="$("$QMS_PY" -m pytest -c pytest.ini --rootdir=. -p no:cacheprovider --collect-only -q \
    --odoo-config="$QMS_ODOO_CONF" --odoo-database="$DB" --odoo-addons-path="$(qms_addons_path)" \
    "${QMS_ADDON_DIRS[@]}" 2>&1 | grep -cE '^[a-z0-9_]+/tests/test_[a-z0-9_]+\.py::' || true)"
echo "tests of our addons: odoo-bin ran $total, pytest collects $collected from their tests/"
mismatch=
if [[ $collected != "$total" ]]; then
    mismatch="odoo-bin ran $total tests of our addons, pytest collects $collected from their tests/"
fi

if ((failed || skipped || errors || rc)) || [[ -n $mismatch ]]; then
    {
        echo "---- failed/errored tests, skipped tests and ERROR/CRITICAL lines of $log:"
        grep -E "$line_re|: skipped " "$log" | cut -c1-400 | head -n 60 || true
        [[ -z $mismatch ]] || echo "error: $mismatch"
    }  # on stdout, like the rest: the summary line below stays the last line
fi
passed=$((total - failed - skipped))
((passed >= 0)) || passed=0
line="$passed passed, $failed failed"
((skipped == 0)) || line+=", $skipped skipped"
((errors == 0)) || line+=", $errors error log lines"
echo "$line"
((failed == 0 && skipped == 0 && errors == 0 && rc == 0)) && [[ -z $mismatch ]]
