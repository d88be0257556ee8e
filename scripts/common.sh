# shellcheck shell=bash disable=SC2034  # variables here are used by the sourcing scripts
# Sourced by every scripts/*.sh (and so by every make target).
#
# - checks ODOO_PATH first (one sentence + exit 2 when it is not an Odoo 19.0 tree),
# - qms_setup: Debian packages, .venv, PostgreSQL (given PGHOST/PGPORT or a private
#   cluster under .local/pg), .local/odoo.conf. Idempotent; fast the second time.
#
# Everything is relative to the repository root (CI clones it elsewhere).

set -euo pipefail

QMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$QMS_ROOT"

# ---------------------------------------------------------------- Odoo source
ODOO_PATH="${ODOO_PATH:-/opt/odoo19}"
if [[ ! -f "$ODOO_PATH/odoo-bin" ]] \
    || ! grep -qE '^version_info = \(19, 0,' "$ODOO_PATH/odoo/release.py" 2>/dev/null; then
    echo "error: Odoo 19.0 not found at $ODOO_PATH: set ODOO_PATH to an Odoo 19.0 source tree (see README \"Getting Odoo\")." >&2
    exit 2
fi
ODOO_PATH="$(cd "$ODOO_PATH" && pwd -P)"
export ODOO_PATH

# ---------------------------------------------------------------- layout
VENV=.venv
LOCAL=.local
QMS_LOGS="$LOCAL/logs"
QMS_PY="$QMS_ROOT/$VENV/bin/python"
QMS_ODOO_CONF="$QMS_ROOT/$LOCAL/odoo.conf"
QMS_DATA_DIR="$QMS_ROOT/$LOCAL/data"
# Our addons: every top-level folder with a __manifest__.py (installable), in dependency
# order (scripts/qms_addons.py); new addons are picked up without editing this file.
QMS_ADDONS="$(python3 scripts/qms_addons.py)" || exit 2
IFS=, read -r -a QMS_ADDON_DIRS <<<"$QMS_ADDONS"
# Everything our addons stand on (qms_bench_base): what their manifests' "depends" name,
# minus our own addons.
QMS_DEPENDS="$(python3 scripts/qms_addons.py --depends)" || exit 2
# Port of the private cluster: QMS_PG_PORT when set (it must be free), else the first
# free one of 54329..54339 (another checkout's cluster may hold 54329).
QMS_PG_PORT="${QMS_PG_PORT:-}"
QMS_HTTP_PORT="${QMS_HTTP_PORT:-8069}"
QMS_DEBIAN_PACKAGES=(postgresql libpq-dev libldap2-dev libsasl2-dev chromium wkhtmltopdf
    fonts-dejavu-core fonts-liberation)
export DEBIAN_FRONTEND=noninteractive

mkdir -p "$QMS_LOGS"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Print the end of a log file and exit non-zero.
die_log() {  # die_log LOGFILE MESSAGE
    local log="$1"; shift
    printf 'error: %s; last lines of %s:\n' "$*" "$log" >&2
    tail -n "${QMS_TAIL:-40}" "$log" >&2 || true
    exit 1
}

# ---------------------------------------------------------------- apt
QMS_APT_UPDATED=
qms_apt() {  # qms_apt PKG... : install the Debian packages that are missing
    local p missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    if [[ $(id -u) -ne 0 ]]; then
        die "missing Debian packages: ${missing[*]} (install them with: sudo apt-get install -y ${missing[*]})"
    fi
    local log="$QMS_LOGS/apt.log"
    say "apt: installing ${missing[*]} (log: $log)"
    if [[ -z $QMS_APT_UPDATED ]]; then
        apt-get update >>"$log" 2>&1 || die_log "$log" "apt-get update failed"
        QMS_APT_UPDATED=1
    fi
    apt-get install -y "${missing[@]}" >>"$log" 2>&1 || die_log "$log" "apt-get install failed"
}

# ---------------------------------------------------------------- venv
qms_site_packages() { "$QMS_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }

qms_venv() {
    local log="$QMS_LOGS/pip.log" python="${PYTHON:-python3}"
    if [[ -d $VENV ]] && ! "$QMS_PY" -c 'import sys' >/dev/null 2>&1; then
        say "venv: $VENV is broken (its python does not run): re-creating it"
        rm -rf "$VENV"
    fi
    if [[ ! -x $QMS_PY ]]; then
        say "venv: creating $VENV with $($python -V 2>&1) ($(command -v "$python"))"
        "$python" -m venv "$VENV" >>"$log" 2>&1 || die_log "$log" "python3 -m venv failed"
    fi
    local stamp
    stamp="$( { cat requirements.txt requirements-oca.txt constraints.txt "$ODOO_PATH/requirements.txt"
                echo "$ODOO_PATH"; "$QMS_PY" -VV; } | sha256sum | cut -d' ' -f1)"
    if [[ "$(cat "$VENV/.qms-stamp" 2>/dev/null)" != "$stamp" ]]; then
        rm -f "$VENV/.qms-stamp"
        say "venv: pip install Odoo's and our requirements (a few minutes the first time; log: $log)"
        PIP_CONSTRAINT="$QMS_ROOT/constraints.txt" "$QMS_PY" -m pip install \
            -r "$ODOO_PATH/requirements.txt" -r requirements.txt >>"$log" 2>&1 \
            || die_log "$log" "pip install of requirements.txt failed"
        say "venv: pip install --no-deps OCA addon wheels (requirements-oca.txt)"
        PIP_CONSTRAINT="$QMS_ROOT/constraints.txt" "$QMS_PY" -m pip install --no-deps \
            -r requirements-oca.txt >>"$log" 2>&1 \
            || die_log "$log" "pip install of requirements-oca.txt failed"
        echo "$stamp" >"$VENV/.qms-stamp"
    fi
    # `import odoo` from the venv (pytest-odoo, bench scripts): odoo is a namespace package
    # in 19.0, so this path and site-packages/odoo (OCA wheels) both contribute to it.
    local pth
    pth="$(qms_site_packages)/qms-odoo-path.pth"
    [[ "$(cat "$pth" 2>/dev/null)" == "$ODOO_PATH" ]] || echo "$ODOO_PATH" >"$pth"
}

# ---------------------------------------------------------------- PostgreSQL
# Sets QMS_DB_HOST, QMS_DB_PORT, QMS_DB_USER, QMS_DB_PASSWORD, QMS_PGBIN.
qms_pgbin() {
    local ver=
    [[ -f "$LOCAL/pg/PG_VERSION" ]] && ver="$(cat "$LOCAL/pg/PG_VERSION")"
    if [[ -z $ver || ! -x /usr/lib/postgresql/$ver/bin/pg_ctl ]]; then
        ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)"
    fi
    [[ -n $ver && -x /usr/lib/postgresql/$ver/bin/pg_ctl ]] \
        || die "no PostgreSQL server binaries under /usr/lib/postgresql (Debian package postgresql)"
    QMS_PGBIN="/usr/lib/postgresql/$ver/bin"
}

# The postgres OS user must be able to reach .local/pg: every parent directory needs o+x.
qms_pg_check_reachable() {
    runuser -u postgres -- test -x "$QMS_ROOT/$LOCAL" 2>/dev/null && return 0
    local d="$QMS_ROOT/$LOCAL" blocked=
    while [[ $d != / ]]; do
        runuser -u postgres -- test -x "$d" 2>/dev/null || blocked="$d"
        d="$(dirname "$d")"
    done
    die "the PostgreSQL cluster lives in $QMS_ROOT/$LOCAL/pg and runs as the OS user postgres, which cannot traverse ${blocked:-a parent directory}: run 'chmod o+x ${blocked:-<that directory>}', or set PGHOST/PGPORT to a running server"
}

qms_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

qms_pg_free_port() {
    local port
    if [[ -n $QMS_PG_PORT ]]; then
        qms_port_busy "$QMS_PG_PORT" \
            && die "QMS_PG_PORT=$QMS_PG_PORT: port $QMS_PG_PORT on 127.0.0.1 is already in use"
        echo "$QMS_PG_PORT"; return 0
    fi
    for port in $(seq 54329 54339); do
        qms_port_busy "$port" || { echo "$port"; return 0; }
    done
    die "ports 54329-54339 on 127.0.0.1 are all in use: set QMS_PG_PORT to a free port, or PGHOST/PGPORT to a running server"
}

qms_pg() {
    qms_pgbin
    if [[ -n ${PGHOST:-} || -n ${PGPORT:-} ]]; then
        local host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}"
        if "$QMS_PGBIN/pg_isready" -q -h "$host" -p "$port"; then
            QMS_DB_HOST="$host" QMS_DB_PORT="$port"
            QMS_DB_USER="${PGUSER:-qms}" QMS_DB_PASSWORD="${PGPASSWORD:-False}"
            say "postgres: using the server at $host:$port (PGHOST/PGPORT) as user $QMS_DB_USER"
            return 0
        fi
        say "postgres: nothing answers at $host:$port (PGHOST/PGPORT): using the private cluster"
    fi
    QMS_DB_HOST=127.0.0.1 QMS_DB_USER=qms QMS_DB_PASSWORD=False

    local data="$QMS_ROOT/$LOCAL/pg" log="$QMS_ROOT/$QMS_LOGS/pg.log"
    local sock="$QMS_ROOT/$LOCAL/pg-run"
    # a unix socket path is limited to 107 bytes: fall back to /tmp for deep checkouts
    if (( ${#sock} > 80 )); then
        sock="/tmp/qms-pg-run-$(printf '%s' "$QMS_ROOT" | sha256sum | cut -c1-12)"
    fi
    chmod 755 "$LOCAL"
    qms_pg_check_reachable
    if [[ ! -f $data/PG_VERSION ]]; then
        say "postgres: creating a private cluster in $LOCAL/pg ($("$QMS_PGBIN/postgres" -V))"
        rm -rf "$data"
        install -d -o postgres -g postgres -m 700 "$data"
        runuser -u postgres -- "$QMS_PGBIN/initdb" -D "$data" -U postgres --auth=trust \
            -E UTF8 --locale=C.UTF-8 >>"$QMS_LOGS/initdb.log" 2>&1 \
            || die_log "$QMS_LOGS/initdb.log" "initdb failed"
        cat >>"$data/postgresql.conf" <<EOF

# --- qms_crm private development/test cluster (scripts/common.sh) ---
# (port and socket directory are given by scripts/common.sh when it starts the cluster)
listen_addresses = '127.0.0.1'
# throw-away data: trade durability for speed (database creation is commit-heavy)
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    install -d -o postgres -g postgres -m 755 "$sock"
    if runuser -u postgres -- "$QMS_PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        # running: its port is the 4th line of postmaster.pid
        QMS_DB_PORT="$(sed -n 4p "$data/postmaster.pid")"
    else
        QMS_DB_PORT="$(qms_pg_free_port)"
        say "postgres: starting the private cluster on 127.0.0.1:$QMS_DB_PORT (log: $QMS_LOGS/pg.log)"
        touch "$log" && chown postgres:postgres "$log"
        if ! runuser -u postgres -- "$QMS_PGBIN/pg_ctl" -D "$data" -l "$log" -w -t 120 \
                -o "-p $QMS_DB_PORT -k $sock" start >/dev/null 2>&1; then
            # another make target may have started it at the same moment
            runuser -u postgres -- "$QMS_PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1 \
                || die_log "$log" "PostgreSQL did not start"
            QMS_DB_PORT="$(sed -n 4p "$data/postmaster.pid")"
        fi
    fi
    if [[ "$(qms_psql_as postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'qms'")" != 1 ]]; then
        say "postgres: creating the superuser role qms (Odoo refuses to run as postgres)"
        qms_psql_as postgres -c "CREATE ROLE qms SUPERUSER LOGIN" >/dev/null
    fi
}

qms_psql_in() {  # qms_psql_in USER DB PSQL-ARGS...
    local user="$1" db="$2"; shift 2
    PGPASSWORD="$([[ $QMS_DB_PASSWORD == False ]] || echo "$QMS_DB_PASSWORD")" \
        PGOPTIONS="-c client_min_messages=warning" "$QMS_PGBIN/psql" -h "$QMS_DB_HOST" -p "$QMS_DB_PORT" -U "$user" -d "$db" \
        -v ON_ERROR_STOP=1 -qtAX "$@"
}
qms_psql_as() { local user="$1"; shift; qms_psql_in "$user" postgres "$@"; }
qms_psql() { qms_psql_in "$QMS_DB_USER" postgres "$@"; }

# ---------------------------------------------------------------- odoo.conf
qms_addons_path() {
    echo "$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,$QMS_ROOT"
}

qms_write_conf() {
    mkdir -p "$QMS_DATA_DIR"
    # no db_password line when there is none: Odoo 19 warns about "db_password = False"
    local password_line=
    [[ $QMS_DB_PASSWORD == False ]] || password_line="db_password = $QMS_DB_PASSWORD"
    cat >"$QMS_ODOO_CONF.tmp" <<EOF
; written by scripts/common.sh on every make target: edits are overwritten
[options]
db_host = $QMS_DB_HOST
db_port = $QMS_DB_PORT
db_user = $QMS_DB_USER
$password_line
addons_path = $(qms_addons_path)
data_dir = $QMS_DATA_DIR
http_interface = 127.0.0.1
http_port = $QMS_HTTP_PORT
admin_passwd = admin
logfile =
; workers = 0 (threaded): no time limits for long installs, tests and benchmarks
workers = 0
limit_time_cpu = 0
limit_time_real = 0
limit_time_real_cron = 0
EOF
    mv "$QMS_ODOO_CONF.tmp" "$QMS_ODOO_CONF"
}

# ---------------------------------------------------------------- setup
qms_setup() {
    qms_apt "${QMS_DEBIAN_PACKAGES[@]}"
    qms_venv
    qms_pg
    qms_write_conf
}

# ---------------------------------------------------------------- databases
qms_odoo() { "$QMS_PY" "$ODOO_PATH/odoo-bin" -c "$QMS_ODOO_CONF" "$@"; }

qms_db_exists() { [[ "$(qms_psql -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" == 1 ]]; }

# True when every module of the comma-separated list is installed in database $1.
qms_db_ready() {  # qms_db_ready DB MODULES
    local db="$1" mods="'${2//,/\',\'}'" n
    qms_db_exists "$db" || return 1
    n="$(qms_psql_in "$QMS_DB_USER" "$db" -c "SELECT count(*) FROM ir_module_module
            WHERE state = 'installed' AND name IN ($mods)" 2>/dev/null)" || return 1
    [[ $n == "$(tr ',' '\n' <<<"$2" | grep -c .)" ]]
}

qms_db_drop() {  # only the databases our scripts own
    local db="$1"
    [[ $db =~ ^qms_(test|test_copy|test_odoo|test_host|demo|bench_[a-z0-9_]+)$ ]] || die "refusing to drop database '$db'"
    qms_psql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
    rm -rf "$QMS_DATA_DIR/filestore/$db"
}

# Copy database SRC (and its filestore) to DST, which is dropped first.
qms_db_copy() {  # qms_db_copy SRC DST
    local src="$1" dst="$2"
    qms_db_drop "$dst"
    qms_psql -c "CREATE DATABASE \"$dst\" WITH TEMPLATE \"$src\"" >/dev/null
    if [[ -d $QMS_DATA_DIR/filestore/$src ]]; then
        mkdir -p "$QMS_DATA_DIR/filestore"
        cp -a "$QMS_DATA_DIR/filestore/$src" "$QMS_DATA_DIR/filestore/$dst"
    fi
}

# (Re-)create DB with MODULES installed; on any failure drop the half-made database.
# With QMS_INSTALL_FROM=<db>, DB starts as a copy of that database instead of empty.
qms_db_install() {  # qms_db_install DB MODULES LOG [odoo-bin options...]
    local db="$1" mods="$2" log="$3"; shift 3
    if [[ -n ${QMS_INSTALL_FROM:-} ]]; then
        qms_db_copy "$QMS_INSTALL_FROM" "$db"
    else
        qms_db_drop "$db"
    fi
    : >"$log"
    # shellcheck disable=SC2064  # $db is expanded now on purpose
    trap "qms_db_drop '$db' >/dev/null 2>&1 || true; exit 130" INT TERM
    local rc=0
    qms_odoo -d "$db" -i "$mods" --stop-after-init --no-http "$@" >>"$log" 2>&1 || rc=$?
    trap - INT TERM
    if ((rc)); then
        qms_db_drop "$db" || true
        die_log "$log" "installing $mods into $db failed (odoo-bin exit code $rc); database $db dropped"
    fi
    if grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log"; then
        qms_db_drop "$db" || true
        {
            echo "error: installing $mods into $db logged errors; database $db dropped. Errors in $log:"
            grep -E -A12 '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" | head -n 60
        } >&2
        exit 1
    fi
    if ! qms_db_ready "$db" "$mods"; then
        qms_db_drop "$db" || true
        die_log "$log" "after installing into $db, not all of $mods are installed (missing addon folder?); database $db dropped"
    fi
}
