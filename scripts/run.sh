#!/usr/bin/env bash
# make run: Odoo with our addons (three, plus the mrp bridge of the recall addon) and demo data on http://127.0.0.1:8069.
# The first run creates database qms_demo (a few minutes); later runs reuse it and start
# in seconds. FRESH=1 make run drops and re-creates qms_demo.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qms_setup

DB=qms_demo
if [[ ${FRESH:-} == 1 ]] && qms_db_exists "$DB"; then
    say "odoo: FRESH=1: dropping database $DB"
    qms_db_drop "$DB"
fi
if ! qms_db_ready "$DB" "$QMS_ADDONS"; then
    log="$QMS_LOGS/demo-install.log"
    say "odoo: creating database $DB with $QMS_ADDONS and demo data (a few minutes; log: $log)"
    qms_db_install "$DB" "$QMS_ADDONS" "$log" --with-demo
    # demo data already gives admin the password admin; make sure of it
    if ! echo "env.ref('base.user_admin').password = 'admin'; env.cr.commit()" \
        | "$QMS_PY" "$ODOO_PATH/odoo-bin" shell -c "$QMS_ODOO_CONF" -d "$DB" --no-http \
            --log-level=warn >>"$log" 2>&1; then
        qms_db_drop "$DB"
        die_log "$log" "setting admin's password failed; database $DB dropped"
    fi
fi

echo "Odoo is starting on http://127.0.0.1:$QMS_HTTP_PORT — database $DB, login: admin, password: admin"
exec "$QMS_PY" "$ODOO_PATH/odoo-bin" -c "$QMS_ODOO_CONF" -d "$DB" --db-filter="^$DB\$" "$@"
