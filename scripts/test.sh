#!/usr/bin/env bash
# make test (and CI's .ci/run): docker-compose.yml check, setup, a fresh database qms_test
# with our addons and demo data, then pytest with pytest-odoo over the addons' tests and
# tests/ (not tests/bench), in parallel worker processes (pytest-xdist, QMS_TEST_WORKERS).
# The ten slowest tests are listed, then pytest's summary line is the last line printed;
# the exit code is pytest's (non-zero on failures, errors or no tests collected). With
# CI=true a skipped test fails the run (see conftest.py). Extra arguments go to pytest:
#   scripts/test.sh -k recall        (or PYTEST_ADDOPTS="-k recall" make test)
#   QMS_TEST_WORKERS=0 scripts/test.sh   (one process, no xdist)
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
say "odoo: $DB ready in $((SECONDS - start)) s"

# The date-sensitive test classes set their own time zones and run in both far zones
# whatever the hour (qms_in_far_time_zones in qms_crm_evidence/tests/common.py). For every other
# test, the demo admin and OdooBot (who runs the crons) get a time zone whose calendar day
# is not UTC's at this hour; the test users have none (UTC). Code or a test that mixes
# UTC's today with a user's today then fails on every run, not only near midnight UTC.
# Before 10:00 UTC it is still yesterday in Pago Pago (UTC-11), from 10:00 UTC already
# tomorrow in Kiritimati (UTC+14). QMS_TEST_TZ=Europe/Brussels (say) sets another one.
if [[ -z "${QMS_TEST_TZ:-}" ]]; then
    if (($(date -u +%-H) < 10)); then QMS_TEST_TZ=Pacific/Pago_Pago; else QMS_TEST_TZ=Pacific/Kiritimati; fi
fi
[[ "$QMS_TEST_TZ" =~ ^[A-Za-z0-9_/+-]+$ ]] || die "QMS_TEST_TZ=$QMS_TEST_TZ is not a time zone name"
say "odoo: admin and OdooBot of $DB in time zone $QMS_TEST_TZ"
qms_psql_in "$QMS_DB_USER" "$DB" -c "UPDATE res_partner SET tz = '$QMS_TEST_TZ'
    WHERE id IN (SELECT partner_id FROM res_users WHERE id IN (1, 2))" >/dev/null

: >"$QMS_LOGS/test-odoo.log"
# Asset bundles of the browser tests, generated and committed once (Odoo's own runner
# pregenerates bundles too): pytest-odoo rolls every test back, so each browser test
# class would otherwise generate them again inside its transaction (web.assets_web six
# times a run). Report bundles are left to the tests that print.
say "odoo: asset bundles of the browser tests in $DB (log: $QMS_LOGS/test-assets.log)"
start=$SECONDS
"$QMS_PY" "$ODOO_PATH/odoo-bin" shell -c "$QMS_ODOO_CONF" -d "$DB" --no-http --log-level=info \
    >"$QMS_LOGS/test-assets.log" 2>&1 <<'EOF' \
    || die_log "$QMS_LOGS/test-assets.log" "generating the asset bundles of $DB failed"
qweb = env["ir.qweb"]
for name in (
    "web.assets_web", "web.assets_web_print", "web.assets_tests", "web.__assets_tests_call__",
    "web.assets_emoji", "web.assets_clickbot", "web.chartjs_lib", "web.fullcalendar_lib",
    "bus.websocket_worker_assets", "web.assets_frontend", "web.assets_frontend_minimal",
    "web.assets_frontend_lazy", "portal.assets_chatter", "survey.survey_assets",
):
    bundle = qweb._get_asset_bundle(name, css=True, js=True)
    bundle.js()
    bundle.css()
env.cr.commit()
EOF
say "odoo: asset bundles ready in $((SECONDS - start)) s"
# tests/test_load.py, test_faults.py and test_upgrade.py start their own Odoo servers on
# copies of ${DB}_copy: pytest-odoo holds connections to $DB, which a copy cannot have
say "postgres: template ${DB}_copy for the tests that start their own Odoo server"
qms_db_copy "$DB" "${DB}_copy"

# pytest-xdist: QMS_TEST_WORKERS processes (default: the number of CPUs, 2 to 4; 0 = no
# xdist, one process). pytest-odoo gives each worker its own copy of $DB
# (createdb -T $DB $DB-gw<N>, dropped at the end; it runs createdb/dropdb, hence PG*).
# Each worker takes whole test classes, the slow ones first (conftest.py).
workers="${QMS_TEST_WORKERS:-$(nproc)}"
[[ $workers =~ ^[0-9]+$ ]] || die "QMS_TEST_WORKERS=$workers is not a number"
[[ -n ${QMS_TEST_WORKERS:-} ]] || { ((workers >= 2)) || workers=2; ((workers <= 4)) || workers=4; }
xdist=()
if ((workers > 0)); then
    xdist=(-n "$workers" --dist loadscope --no-loadscope-reorder)
    export PGHOST="$QMS_DB_HOST" PGPORT="$QMS_DB_PORT" PGUSER="$QMS_DB_USER"
    [[ $QMS_DB_PASSWORD == False ]] || export PGPASSWORD="$QMS_DB_PASSWORD"
fi
say "odoo: running pytest with ${workers} worker(s) (Odoo's log: $QMS_LOGS/test-odoo.log)"
# --durations=10: the ten slowest tests, printed before pytest's summary line, which
# stays the last line
exec "$QMS_PY" -m pytest -c pytest.ini --rootdir=. -p no:cacheprovider -rfEs \
    "${xdist[@]}" --durations=10 \
    --odoo-config="$QMS_ODOO_CONF" \
    --odoo-database="$DB" \
    --odoo-addons-path="$(qms_addons_path)" \
    --odoo-http \
    --odoo-log-level=info \
    --odoo-extra="logfile=$QMS_ROOT/$QMS_LOGS/test-odoo.log" \
    --ignore=tests/bench \
    "${QMS_ADDON_DIRS[@]}" tests "$@"
