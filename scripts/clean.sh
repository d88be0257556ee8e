#!/usr/bin/env bash
# make clean: remove build leftovers and tool caches. Keeps .venv and .local (the
# PostgreSQL cluster and its databases); `CLEAN_ALL=1 make clean` stops the private
# cluster and removes .venv and .local too.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

say "clean: build/, dist/, *.egg-info, __pycache__, tool caches"
rm -rf build dist .pytest_cache .hypothesis .ruff_cache
find . -path ./.venv -prune -o -path ./.local -prune -o -path ./.git -prune -o \
    \( -name '__pycache__' -o -name '*.egg-info' \) -type d -print0 \
    | xargs -0 rm -rf
find . -path ./.venv -prune -o -path ./.local -prune -o -path ./.git -prune -o \
    -name '*.pyc' -type f -print0 | xargs -0 rm -f

if [[ ${CLEAN_ALL:-} == 1 ]]; then
    if [[ -f $LOCAL/pg/PG_VERSION ]]; then
        qms_pgbin
        say "clean: stopping the private PostgreSQL cluster"
        runuser -u postgres -- "$QMS_PGBIN/pg_ctl" -D "$QMS_ROOT/$LOCAL/pg" -m fast stop \
            >/dev/null 2>&1 || true
    fi
    say "clean: removing $VENV and $LOCAL"
    rm -rf "$VENV" "$LOCAL"
fi
