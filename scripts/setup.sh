#!/usr/bin/env bash
# Prepare everything the make targets need, and nothing else: Debian packages, .venv
# (Odoo's and our requirements, OCA wheels, `import odoo`), PostgreSQL (PGHOST/PGPORT
# or the private cluster in .local/pg) and .local/odoo.conf. Every make target does
# this itself (scripts/common.sh qms_setup); run it alone to get a shell-ready setup:
#   scripts/setup.sh && .venv/bin/python $ODOO_PATH/odoo-bin -c .local/odoo.conf ...
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qms_setup
say "setup: ready (venv $VENV, Odoo config $LOCAL/odoo.conf, PostgreSQL $QMS_DB_HOST:$QMS_DB_PORT as $QMS_DB_USER)"
