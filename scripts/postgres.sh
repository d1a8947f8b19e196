#!/usr/bin/env bash
# A private, throwaway PostgreSQL for RiskMesh's tests and local clusters.
#
#   scripts/postgres.sh start   # install (Debian package) if needed, init an EMPTY data directory, start,
#                               # create the database ($RISKMESH_PG_DATABASE); a data directory that holds a cluster is started, never
#                               # re-initialised: if it cannot be started, start fails and names the directory and log
#   scripts/postgres.sh url     # print the Npgsql connection string
#   scripts/postgres.sh status  # exit 0 when it accepts connections
#   scripts/postgres.sh stop    # stop it and keep its data: the next start brings the same databases back
#   scripts/postgres.sh halt    # the same as stop (an older name)
#   scripts/postgres.sh purge   # stop it and DELETE its state directory: the only command that deletes data
#   scripts/postgres.sh dir     # print the state directory
#
# Environment:
#   RISKMESH_PG_PORT  TCP port on 127.0.0.1 (default 55432)
#   RISKMESH_PG_DIR   state directory: data, socket, log (default /tmp/riskmesh-pg-test, the tests' own;
#                     deploy/local-cluster.sh passes its own, /tmp/riskmesh-pg-cluster); it must be
#                     reachable by the postgres user when run as root, so keep it out of /root.
#   RISKMESH_PG_DATABASE  the database `start` creates and `url` names (default riskmesh_test, the tests';
#                     deploy/local-cluster.sh passes riskmesh)
#
# Trust authentication on loopback only, fsync off: for tests, never for real data.
set -euo pipefail

PG_PORT="${RISKMESH_PG_PORT:-55432}"
PG_DIR="${RISKMESH_PG_DIR:-/tmp/riskmesh-pg-test}"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_DATABASE="${RISKMESH_PG_DATABASE:-riskmesh_test}"
if [[ ! "$PG_DATABASE" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "postgres.sh: RISKMESH_PG_DATABASE must be lower-case letters, digits and underscores: '$PG_DATABASE'" >&2
    exit 2
fi

log() { echo "postgres.sh: $*" >&2; }

find_bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
    fi
}

install_postgres() {
    if [[ "$(id -u)" != "0" ]]; then
        log "PostgreSQL server binaries are missing; install them with: sudo apt-get install -y postgresql"
        exit 1
    fi
    log "installing Debian package postgresql (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
}

PG_BIN="$(find_bin_dir)"

# Runs a command as the postgres user when we are root (initdb and postgres refuse root).
as_pg() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_ready() {
    [[ -n "$PG_BIN" ]] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -U postgres
}

connection_string() {
    echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE;Maximum Pool Size=20"
}

# Only ever called for a data directory that is absent or empty: initdb refuses a non-empty one, and nothing here
# deletes one (that is purge's job alone).
init_data_dir() {
    log "initializing a new data directory in $PG_DATA"
    mkdir -p "$PG_DIR"
    if [[ "$(id -u)" == "0" ]]; then
        chown postgres:postgres "$PG_DIR"
    fi
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
}

start_server() {
    as_pg touch "$PG_LOG"
    # Sockets go in our own directory: the packaged /var/run/postgresql may not exist or be writable.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
}

wait_ready() {
    local i
    for i in $(seq 1 60); do
        if is_ready; then
            return 0
        fi
        sleep 0.5
    done
    log "PostgreSQL did not become ready on 127.0.0.1:$PG_PORT; log follows"
    tail -n 40 "$PG_LOG" >&2 || true
    exit 1
}

ensure_database() {
    local exists
    exists="$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")"
    if [[ "$exists" != "1" ]]; then
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DATABASE"
        log "created database $PG_DATABASE"
    fi
}

# True when this data directory's server ran on $PG_PORT before (postmaster.opts, which PostgreSQL writes at each
# start, names its port): its clients (a local cluster's db.connection) connect there, so the port is not to change.
served_this_port_before() {
    grep -qE -- "\"-p\" \"$PG_PORT\"|-p $PG_PORT( |\$)" "$PG_DATA/postmaster.opts" 2>/dev/null
}

# Fails with what to do when the server in $PG_DATA could not be started. The data directory is left as it is.
fail_start() {
    log "could not start PostgreSQL from the data directory $PG_DATA on 127.0.0.1:$PG_PORT"
    log "last lines of its log, $PG_LOG:"
    tail -n 20 "$PG_LOG" >&2 || true
    log "the data directory was left untouched. What to do:"
    if served_this_port_before; then
        # Newcomer 22b M1: "set RISKMESH_PG_PORT" would start the data where its clients do not look.
        log "  - another process holds port $PG_PORT (\"could not bind\" / \"Address already in use\" above): stop it, or wait a few seconds and start again; keep the port: this data directory's clients (a local cluster's .cluster/db.connection) connect to $PG_PORT"
    else
        log "  - another process holds port $PG_PORT (\"could not bind\" / \"Address already in use\" above): stop it, or set RISKMESH_PG_PORT"
    fi
    log "  - another PostgreSQL runs on this data directory (\"lock file\" above): stop it (pg_ctl -D $PG_DATA stop)"
    log "  - otherwise read the log above; only if you want to throw the data away: RISKMESH_PG_DIR=$PG_DIR $0 purge, then start"
    exit 1
}

# Removes postmaster.pid when the process it names is alive but is not this directory's PostgreSQL server: a pid
# reused after a crash or a reboot. PostgreSQL itself ignores a lock of a dead process, but it refuses one whose pid is taken by something
# else, and would then never start again on its own.
clear_stale_lock() {
    local lock="$PG_DATA/postmaster.pid" pid
    [[ -f "$lock" ]] || return 0
    pid="$(head -n 1 "$lock" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    # A postmaster runs with its data directory as working directory: a postgres elsewhere is another server.
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == "postgres" \
        && "$(readlink -f "/proc/$pid/cwd" 2>/dev/null || true)" == "$(readlink -f "$PG_DATA")" ]]; then
        return 0
    fi
    log "removing a stale lock file $lock: its pid $pid belongs to another program now"
    rm -f "$lock"
}

port_listened() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null
}

# Starts the server; a port refused as in use while nothing listens on it (a socket of a connection just closed, as
# clients retrying a stopped server leave behind) is tried again a few times, a second apart, before giving up.
start_with_retries() {
    local attempt before
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        before="$(stat -c %s "$PG_LOG" 2>/dev/null || echo 0)"
        # pg_ctl's own "could not start server" adds nothing to the log's lines, which fail_start prints.
        start_server 2>/dev/null && return 0
        # Only this attempt's lines count; a program that listens there holds the port for good: no retry.
        tail -c +$((before + 1)) "$PG_LOG" | grep -q "Address already in use" && ! port_listened \
            && ((attempt < 10)) || fail_start
        log "port $PG_PORT refused as in use (attempt $attempt of 10); trying again in 1 s"
        sleep 1
    done
}

cmd_start() {
    if [[ -z "$PG_BIN" ]]; then
        install_postgres
        PG_BIN="$(find_bin_dir)"
        if [[ -z "$PG_BIN" ]]; then
            log "initdb still not found under /usr/lib/postgresql/*/bin after installing"
            exit 1
        fi
    fi

    if is_ready; then
        if [[ -f "$PG_DATA/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
            log "already running on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
        else
            log "a PostgreSQL already answers on 127.0.0.1:$PG_PORT, not one started from $PG_DATA: using it"
        fi
    else
        if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
            if [[ -d "$PG_DATA" && -n "$(ls -A "$PG_DATA" 2>/dev/null)" ]]; then
                log "$PG_DATA holds files but no PG_VERSION: it is not a PostgreSQL data directory, or a damaged one."
                log "Nothing was changed. Move it away, or delete it with: RISKMESH_PG_DIR=$PG_DIR $0 purge"
                exit 1
            fi
            init_data_dir
        fi
        clear_stale_lock
        log "starting PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (state in $PG_DIR)"
        start_with_retries
        wait_ready
        head -n 1 "$PG_DATA/postmaster.pid" > "$PG_DIR/postgres.pid"
    fi
    ensure_database
    log "ready: $(connection_string)"
}

# Stops the server, if it runs, and leaves the data directory alone.
cmd_halt() {
    if [[ -n "$PG_BIN" && -f "$PG_DATA/PG_VERSION" ]]; then
        if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
            log "stopping PostgreSQL on 127.0.0.1:$PG_PORT"
            as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || \
                as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null || true
        fi
    fi
    # The pid start wrote names a server that is gone now: left behind, it reads as one still running.
    if [[ -f "$PG_DIR/postgres.pid" ]] && ! [[ -f "$PG_DATA/postmaster.pid" ]]; then
        rm -f "$PG_DIR/postgres.pid"
    fi
}

cmd_purge() {
    cmd_halt
    if [[ -d "$PG_DIR" ]]; then
        rm -rf "$PG_DIR"
        log "removed $PG_DIR"
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop | halt) cmd_halt ;;
    purge) cmd_purge ;;
    url) connection_string ;;
    dir) echo "$PG_DIR" ;;
    status)
        if is_ready; then
            log "running on 127.0.0.1:$PG_PORT"
        else
            log "not running on 127.0.0.1:$PG_PORT"
            exit 1
        fi
        ;;
    *)
        echo "usage: $0 start|stop|halt|purge|url|status|dir" >&2
        exit 2
        ;;
esac
