#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster: with_postgres.sh COMMAND [ARGS...]
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 on a free port, trusts local
# connections and is stopped and removed however the command ends. The command sees
# DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres. Where no PostgreSQL server binaries
# are installed, it says so and exits 0, so that a laptop without PostgreSQL can run `make test`.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

find_bindir() {
    local dir candidate
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    fi
    # Debian installs the server outside PATH, one folder per major version: take the newest.
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
            echo "$candidate"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1; then
        dir="$(dirname "$(readlink -f "$(command -v initdb)")")"
        if [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    fi
    return 1
}

if ! BINDIR="$(find_bindir)"; then
    echo "PostgreSQL server binaries not found: database tests on PostgreSQL SKIPPED"
    exit 0
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
AS_OWNER=()
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "running as root but there is no 'postgres' user to own the test cluster" >&2
        exit 1
    fi
    AS_OWNER=(runuser -u postgres --)
fi

if [ "$(id -u)" -eq 0 ]; then
    # /tmp rather than $TMPDIR: the postgres user must be able to reach the folder.
    PGTMP="$(mktemp -d /tmp/observatoire-pg.XXXXXX)"
    chown postgres: "$PGTMP"
else
    PGTMP="$(mktemp -d "${TMPDIR:-/tmp}/observatoire-pg.XXXXXX")"
fi
PGDATA_DIR="$PGTMP/data"
PG_STARTED=0

cleanup() {
    if [ "$PG_STARTED" -eq 1 ]; then
        (cd "$PGTMP" && "${AS_OWNER[@]}" "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop \
            >/dev/null 2>&1) || true
    fi
    rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

cd "$PGTMP"
"${AS_OWNER[@]}" "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PGTMP/initdb.log" 2>&1 || {
    cat "$PGTMP/initdb.log" >&2
    exit 1
}
# Durability settings are off: the cluster is thrown away, and the tests run faster.
if ! "${AS_OWNER[@]}" "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$PGTMP/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    cat "$PGTMP/server.log" >&2
    exit 1
fi
PG_STARTED=1
cd - >/dev/null

echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (from $BINDIR)"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
status=0
"$@" || status=$?
exit "$status"
