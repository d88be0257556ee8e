#!/usr/bin/env bash
# make bench: benchmarks in tests/bench/bench_*.py (see tests/bench/README.md).
# Databases (no demo data), created when missing, re-created with FRESH=1 or --fresh:
#   qms_bench_base  only what our addons stand on ($QMS_DEPENDS)
#   qms_bench_full  the same plus our addons (three, plus the mrp bridge of the recall addon)
#   qms_bench_demo  our addons with demo data (the load bench serves a copy of it)
# Each script runs with the venv's python and gets QMS_ODOO_CONF, QMS_BENCH_DB_BASE,
# QMS_BENCH_DB_FULL (and ODOO_PATH) in its environment. Exit code: non-zero when any
# script exited non-zero; a script exits non-zero (3) when one of its goals is missed.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

fresh="${FRESH:-}"
for arg in "$@"; do
    case "$arg" in
        --fresh) fresh=1 ;;
        *) die "unknown argument '$arg' (usage: scripts/bench.sh [--fresh])" ;;
    esac
done

qms_setup

base=qms_bench_base full=qms_bench_full
bench_db() {  # bench_db DB MODULES [TEMPLATE-DB [odoo-bin options...]]
    local db="$1" mods="$2" from="${3:-}"
    shift $(($# < 3 ? $# : 3))
    if [[ $fresh == 1 ]] || ! qms_db_ready "$db" "$mods"; then
        local log="$QMS_LOGS/bench-install-$db.log" start=$SECONDS
        say "odoo: creating database $db${from:+ from a copy of $from} (no demo data; log: $log)"
        QMS_INSTALL_FROM="$from" qms_db_install "$db" "$mods" "$log" "$@"
        say "odoo: $db ready in $((SECONDS - start)) s"
    else
        say "odoo: reusing database $db (FRESH=1 to re-create it)"
    fi
}
bench_db "$base" "$QMS_DEPENDS"
# the full database starts as a copy of the base one: only our addons get installed
bench_db "$full" "$QMS_DEPENDS,$QMS_ADDONS" "$base"
# the load bench (bench_load.py) serves a copy of a database with demo data
demo=qms_bench_demo
bench_db "$demo" "$QMS_ADDONS" "" --with-demo

shopt -s nullglob
scripts=(tests/bench/bench_*.py)
((${#scripts[@]})) || die "no benchmark scripts (tests/bench/bench_*.py)"

export QMS_ODOO_CONF QMS_BENCH_DB_BASE="$base" QMS_BENCH_DB_FULL="$full" QMS_BENCH_DB_DEMO="$demo"
failed=()
for script in "${scripts[@]}"; do
    say "bench: $script"
    "$QMS_PY" "$script" || failed+=("$script")
done
if ((${#failed[@]})); then
    die "${#failed[@]} of ${#scripts[@]} benchmark script(s) failed: ${failed[*]}"
fi
say "bench: ${#scripts[@]} benchmark script(s) passed"
