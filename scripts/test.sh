#!/usr/bin/env bash
# make test (and CI's .ci/run): docker-compose.yml check, setup, a fresh database qms_test
# with our addons and demo data, then pytest with pytest-odoo over the addons' tests and
# tests/ (not tests/bench). pytest's summary line is the last line printed; the exit code
# is pytest's (non-zero on failures, errors or no tests collected). With CI=true a skipped
# test fails the run (see conftest.py). Extra arguments go to pytest:
#   scripts/test.sh -k recall        (or PYTEST_ADDOPTS="-k recall" make test)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

qms_apt docker-compose
say "compose: docker-compose -f docker-compose.yml config -q"
docker-compose -f docker-compose.yml config -q || die "docker-compose.yml is not valid"

qms_setup

DB=qms_test
log="$QMS_LOGS/test-install.log"
say "odoo: re-creating database $DB with $QMS_ADDONS and demo data (log: $log)"
start=$SECONDS
qms_db_install "$DB" "$QMS_ADDONS" "$log" --with-demo
say "odoo: $DB ready in $((SECONDS - start)) s; running pytest (Odoo's log: $QMS_LOGS/test-odoo.log)"

: >"$QMS_LOGS/test-odoo.log"
# tests/test_load.py, test_faults.py and test_upgrade.py start their own Odoo servers on
# copies of ${DB}_copy: pytest-odoo holds connections to $DB, which a copy cannot have
say "postgres: template ${DB}_copy for the tests that start their own Odoo server"
qms_db_copy "$DB" "${DB}_copy"
exec "$QMS_PY" -m pytest -c pytest.ini --rootdir=. -p no:cacheprovider -rfEs \
    --odoo-config="$QMS_ODOO_CONF" \
    --odoo-database="$DB" \
    --odoo-addons-path="$(qms_addons_path)" \
    --odoo-http \
    --odoo-log-level=info \
    --odoo-extra="logfile=$QMS_ROOT/$QMS_LOGS/test-odoo.log" \
    --ignore=tests/bench \
    "${QMS_ADDON_DIRS[@]}" tests "$@"
