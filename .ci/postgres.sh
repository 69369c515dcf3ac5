#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage tests, on 127.0.0.1 only.
#
#   export TEST_POSTGRES_URL="$(.ci/postgres.sh start)"   # prints the URL, nothing else
#   python -m pytest tests/storage
#   .ci/postgres.sh stop                                   # stops it and deletes its data
#
# Settings (environment): PG_TEST_DIR (default /tmp/trivia-pg), PG_TEST_PORT (54329).
# Installs Debian's `postgresql` package when initdb is missing (needs root).
# Runs the server as an unprivileged user: the caller, or `postgres` when run as root.
# The tests wipe the tables of this database; never point TEST_POSTGRES_URL elsewhere.
set -euo pipefail

DIR="${PG_TEST_DIR:-/tmp/trivia-pg}"
PORT="${PG_TEST_PORT:-54329}"
DB=trivia_test
SUPERUSER=postgres

say() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    local initdb
    initdb="$(command -v initdb || true)"
    if [[ -z "$initdb" ]]; then
        # Debian keeps the binaries out of PATH, one folder per major version.
        initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    fi
    [[ -n "$initdb" ]] && dirname "$(readlink -f "$initdb")"
}

install_postgres() {
    say "initdb not found; installing Debian's postgresql package"
    if [[ "$(id -u)" -ne 0 ]]; then
        say "need root to install postgresql (try: sudo apt-get install postgresql)"
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    # Debian's package starts its own cluster on 5432; this script does not need it.
    if command -v pg_ctlcluster >/dev/null; then
        pg_lsclusters --no-header 2>/dev/null | while read -r ver name _; do
            pg_ctlcluster "$ver" "$name" stop >&2 || true
        done
    fi
}

# The user that owns and runs the cluster: postgres refuses to run as root.
run_user() {
    if [[ "$(id -u)" -ne 0 ]]; then
        id -un
        return
    fi
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    echo postgres
}

as_user() {
    local user="$1"
    shift
    if [[ "$user" == "$(id -un)" ]]; then
        "$@"
    else
        runuser -u "$user" -- "$@"
    fi
}

url() {
    echo "postgresql+asyncpg://${SUPERUSER}:$(cat "$DIR/password")@127.0.0.1:${PORT}/${DB}"
}

start() {
    local bindir user
    bindir="$(find_bindir || true)"
    if [[ -z "$bindir" ]]; then
        install_postgres
        bindir="$(find_bindir)"
    fi
    user="$(run_user)"
    if [[ -f "$DIR/data/postmaster.pid" ]] \
        && as_user "$user" "$bindir/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        say "already running on 127.0.0.1:$PORT"
        url
        return
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR/socket"
    # A random password per cluster: other local users cannot log in to it.
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/password"
    chmod 700 "$DIR"
    chmod 600 "$DIR/password"
    chown -R "$user" "$DIR"
    as_user "$user" "$bindir/initdb" -D "$DIR/data" -U "$SUPERUSER" --auth=scram-sha-256 \
        --pwfile="$DIR/password" --encoding=UTF8 --no-instructions >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_user "$user" "$bindir/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR/socket -c fsync=off" start >&2 \
        || { cat "$DIR/server.log" >&2; exit 1; }
    PGPASSWORD="$(cat "$DIR/password")" "$bindir/createdb" -h 127.0.0.1 -p "$PORT" \
        -U "$SUPERUSER" "$DB"
    say "running on 127.0.0.1:$PORT (data in $DIR; stop with: $0 stop)"
    url
}

stop() {
    local bindir user
    if [[ ! -d "$DIR/data" ]]; then
        say "no cluster in $DIR"
        return
    fi
    bindir="$(find_bindir)"
    user="$(run_user)"
    as_user "$user" "$bindir/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
    rm -rf "$DIR"
    say "stopped and removed $DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
