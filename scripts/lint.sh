#!/usr/bin/env bash
# make lint: ruff check, ruff format --check and pylint-odoo (.pylintrc) on the three
# addons, tests/ and the root conftest.py. Not part of make test. Runs every tool and
# exits non-zero when any of them found something.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

qms_apt "${QMS_DEBIAN_PACKAGES[@]}"   # the venv's psycopg2 / python-ldap build needs them
qms_venv

targets=()
for t in "${QMS_ADDON_DIRS[@]}" tests scripts conftest.py; do
    [[ -e $t ]] && targets+=("$t")
done
failed=()

say "lint: ruff check ${targets[*]}"
"$VENV/bin/ruff" check "${targets[@]}" || failed+=("ruff check")

say "lint: ruff format --check ${targets[*]}"
"$VENV/bin/ruff" format --check "${targets[@]}" || failed+=("ruff format")

addon_targets=() test_targets=()
for t in "${targets[@]}"; do
    case "$t" in tests|scripts|conftest.py) test_targets+=("$t") ;; *) addon_targets+=("$t") ;; esac
done
if ((${#addon_targets[@]})); then
    say "lint: pylint (pylint-odoo) ${addon_targets[*]}"
    "$VENV/bin/pylint" --rcfile=.pylintrc --recursive=y "${addon_targets[@]}" || failed+=("pylint")
fi
# tests and benchmark scripts may print (a benchmark's result is a printed line)
say "lint: pylint (pylint-odoo, print allowed) ${test_targets[*]}"
"$VENV/bin/pylint" --rcfile=.pylintrc --recursive=y --disable=print-used "${test_targets[@]}" \
    || failed+=("pylint tests")

if ((${#failed[@]})); then
    die "lint found problems: ${failed[*]} (ruff: '.venv/bin/ruff check --fix' / '.venv/bin/ruff format' fix most)"
fi
say "lint: clean"
