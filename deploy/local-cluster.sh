#!/usr/bin/env bash
# A local RiskMesh cluster on loopback: PostgreSQL, three silos and one API node.
#
#   deploy/local-cluster.sh up      # PostgreSQL, Release build, schema, silo-1..3, api; waits until the API is ready
#   deploy/local-cluster.sh status  # each process: pid, alive or not, /health/ready
#   deploy/local-cluster.sh up      # (again, with some processes stopped: a silo crashed) starts the stopped ones only,
#                                   # with the build the others run: no build, no schema
#   deploy/local-cluster.sh restart silo-2   # SIGTERM one process (silo-1..3 or api), start it again, wait until ready;
#                                   # says its exit code and how long its stop took (a clean stop exits 0)
#   deploy/local-cluster.sh down    # SIGTERM every process (SIGKILL after a timeout), stop PostgreSQL if `up` started it;
#                                   # keeps all data: the next `up` has the same journal, keys and admin.key
#   deploy/local-cluster.sh purge   # `down`, then DELETE the data: PostgreSQL's data directory (if `up` started it)
#                                   # and everything in $RISKMESH_CLUSTER_DIR (admin.key, TLS CA, logs)
#
# Layout (silo-to-silo / gateway / HTTP for health and the dashboard), defaults:
#   silo-1  11111 / 30000 / http://127.0.0.1:8081
#   silo-2  11112 / 30001 / http://127.0.0.1:8082
#   silo-3  11113 / 30002 / http://127.0.0.1:8083
#   api     http://127.0.0.1:8080, finds the gateways in PostgreSQL's membership table
#
# Logs: $RISKMESH_CLUSTER_DIR/NAME.log is the running process's; each start moves the previous one to NAME.log.1 (and
# NAME.log.1 to .2 …, the last 5 kept). A log begins with "==== local-cluster: NAME started at … (pid …)" and ends
# with how the process ended ("… ended at …: exit code 0", "killed by signal 9 (SIGKILL …)"), written by the process's
# watcher (its parent), after the SIGTERM line of the restart or down that stopped it, if one did. The log of a
# process's first failure since it was last ready (killed, crashed, a start that ended before it was ready, a stop
# that was not clean) is also copied to NAME.log.failed, which later failed starts leave alone: the line that gives up
# on a start names both.
#
# Environment:
#   RISKMESH_CLUSTER_DIR   logs, pid files (silo-1.pid … api.pid) and data directories (default ./.cluster)
#   RISKMESH_DB            an Npgsql connection string to use instead of starting scripts/postgres.sh
#   RISKMESH_SERVICE_ID    Orleans service id (default riskmesh-local); part of every stored grain key
#   RISKMESH_CLUSTER_ID    Orleans cluster id (default riskmesh-local)
#   RISKMESH_READY_TIMEOUT seconds to wait for each process to be ready (default 120)
#   RISKMESH_STOP_TIMEOUT  seconds between SIGTERM and SIGKILL on `down` (default 30)
#   RISKMESH_PG_PORT, RISKMESH_PG_DIR  the cluster's own PostgreSQL (scripts/postgres.sh): default 55433 and
#                          /tmp/riskmesh-pg-cluster, apart from the tests' (55432, /tmp/riskmesh-pg-test) so running the
#                          tests never touches the cluster's data; once `up` started one, later runs reuse the port and
#                          directory recorded in $RISKMESH_CLUSTER_DIR/postgres.started unless these are set;
#                          the cluster's database is RISKMESH_PG_DATABASE, default riskmesh (riskmesh_test for a
#                          server an older `up` recorded)
#   RISKMESH_API_PORT          the API node's HTTP port (default 8080)
#   RISKMESH_SILO_HTTP_PORTS   silo-1..3 HTTP ports, space-separated (default "8081 8082 8083")
#   RISKMESH_SILO_PORTS        silo-1..3 silo-to-silo ports (default "11111 11112 11113")
#   RISKMESH_GATEWAY_PORTS     silo-1..3 gateway ports (default "30000 30001 30002")
#   `up` records these four in $RISKMESH_CLUSTER_DIR/ports; every later command (status, restart, up after down)
#   uses the recorded ports unless the variable is given again.
#   RiskMesh__*                host settings for every process, as environment variables in the host's own form
#                              (README, Configuration), e.g. RiskMesh__Webhooks__AllowLoopback=true or
#                              RiskMesh__Webhooks__PublicBaseUrl=https://riskmesh.example.org. `up` and `restart` record
#                              every one given in $RISKMESH_CLUSTER_DIR/settings and give the recorded ones to every
#                              process they start, also when run later from a shell without them. A variable given with
#                              another value than recorded wins, is recorded instead, and a line says so and names the
#                              processes still running with the old value; given empty (RiskMesh__X=), it is dropped.
#                              `status` lists their names, each value shown as **** (true and false shown as they
#                              are). Those the script sets itself (data directory, database, ids, TLS, role, ports)
#                              are ignored, saying so. A test hook (RiskMesh__TestHooks__*) and a name that is not a
#                              shell name (RiskMesh__Foo.Bar) reach the processes of that run only, never recorded,
#                              saying so. `up` on a cluster whose processes all run records them too, and names the
#                              processes to restart for them to apply. Each `up` and `restart` first runs the host's
#                              own check (riskmesh-silo settings check) with the settings every process would get: a
#                              refused value is printed in the host's words and nothing is recorded or stopped. `up` of
#                              a stopped cluster checks them before its build when no source changed since the last
#                              build `up` made (else after it, saying why). A process started with other settings than
#                              recorded is named with each setting that differs; a recorded name that is no setting of
#                              the host (its check warned of it: a misspelling) is said to change nothing, not to
#                              need a restart.
#
# `up` (with some processes running) and `restart` first start the PostgreSQL recorded in postgres.started if it does
# not answer. `status` says why a process is not ready (its failing /health/ready checks).
#
# $RISKMESH_CLUSTER_DIR and everything in it is private to the user (mode 0700, files 0600: umask 077): it holds the
# database connection string, the recorded settings, the admin key and the TLS keys. NAME.settings holds the names of
# the settings NAME was started with and a digest of each value, not the values.
#
# Every process reads one data-protection key ring, kept in PostgreSQL (README, Security): a webhook secret encrypted
# by one silo must be readable by the silo its city moves to, and a session by every API node. Keys an older version
# kept in $RISKMESH_CLUSTER_DIR/dataprotection-keys (still passed as KeyRingDirectory) are imported into it once.
#
# The Orleans silo and gateway ports use mutual TLS: `up` makes a throwaway CA and one node certificate with openssl
# in $RISKMESH_CLUSTER_DIR/tls (kept across runs) and passes them to every silo and the API node (README, Security).
set -euo pipefail

# Private by umask, set before the first write (the header says what the cluster directory holds; review 18 M4), so
# no file is readable by others even between a write and a chmod. Three things keep the caller's umask: the build
# (its output is in the source tree), scripts/postgres.sh and the directories above the cluster directory (below).
CALLER_UMASK="$(umask)"
umask 077
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_DIR="${RISKMESH_CLUSTER_DIR:-./.cluster}"
# Only the cluster directory is private: directories above it that do not exist yet get the caller's umask, so a
# PostgreSQL data directory beside it stays reachable by the postgres user (scripts/postgres.sh run as root).
(umask "$CALLER_UMASK" && mkdir -p "$(dirname "$CLUSTER_DIR")")
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
# A directory and files an older local-cluster.sh wrote (0755, 0644) are made private too, before anything is written.
if ! chmod -R go-rwx "$CLUSTER_DIR" 2>/dev/null; then
    echo "local-cluster: could not make everything in $CLUSTER_DIR private to $(id -un) (chmod -R go-rwx failed): check its owner" >&2
fi
SERVICE_ID="${RISKMESH_SERVICE_ID:-riskmesh-local}"
CLUSTER_ID="${RISKMESH_CLUSTER_ID:-riskmesh-local}"
# The process whose arguments the settings are checked with: the one `restart` starts, else silo-1.
CHECK_AS=silo-1
# The output of the host's settings check, once this run made it (its warnings name settings the host does not read).
CHECK_RAN="" CHECK_OUTPUT=""
READY_TIMEOUT="${RISKMESH_READY_TIMEOUT:-120}"
STOP_TIMEOUT="${RISKMESH_STOP_TIMEOUT:-30}"
# The ports of the last `up`, so that status, restart and the next up address the same processes without the
# variables being given again (a variable given wins).
PORTS_FILE="$CLUSTER_DIR/ports"
if [[ -f "$PORTS_FILE" ]]; then
    while IFS='=' read -r key value; do
        case "$key" in
            RISKMESH_API_PORT | RISKMESH_SILO_HTTP_PORTS | RISKMESH_SILO_PORTS | RISKMESH_GATEWAY_PORTS)
                [[ -n "${!key:-}" ]] || printf -v "$key" '%s' "$value"
                ;;
        esac
    done <"$PORTS_FILE"
fi
# Host settings (RiskMesh__* variables) recorded like the ports: a process that `up` or `restart` starts later, from a
# shell without them, must not quietly lose a setting the others run with (newcomer 18: a silo brought back by `up`
# without RiskMesh__Webhooks__AllowLoopback refused every loopback delivery). One NAME=value a line.
SETTINGS_FILE="$CLUSTER_DIR/settings"
BIN_DIR="$ROOT/src/RiskMesh.Silo/bin/Release/net10.0"
DLL="$BIN_DIR/riskmesh-silo.dll"
API_PORT="${RISKMESH_API_PORT:-8080}"
read -r -a HTTP_PORTS <<<"${RISKMESH_SILO_HTTP_PORTS:-8081 8082 8083}"
read -r -a SILO_PORTS <<<"${RISKMESH_SILO_PORTS:-11111 11112 11113}"
read -r -a GATEWAY_PORTS <<<"${RISKMESH_GATEWAY_PORTS:-30000 30001 30002}"
for ports in "$API_PORT" "${HTTP_PORTS[*]}" "${SILO_PORTS[*]}" "${GATEWAY_PORTS[*]}"; do
    if [[ ! "$ports" =~ ^[0-9]+( [0-9]+){0,2}$ ]]; then
        echo "local-cluster: a port setting is not numbers: '$ports'" >&2
        exit 2
    fi
done
if ((${#HTTP_PORTS[@]} != 3 || ${#SILO_PORTS[@]} != 3 || ${#GATEWAY_PORTS[@]} != 3)); then
    echo "local-cluster: RISKMESH_SILO_HTTP_PORTS, RISKMESH_SILO_PORTS and RISKMESH_GATEWAY_PORTS need three ports each" >&2
    exit 2
fi
API_URL="http://127.0.0.1:$API_PORT"

# Name, silo port, gateway port, HTTP port; the API node comes last and has no silo ports.
SILOS=()
for i in 0 1 2; do
    SILOS+=("silo-$((i + 1)) ${SILO_PORTS[$i]} ${GATEWAY_PORTS[$i]} ${HTTP_PORTS[$i]}")
done
ALL_NAMES=(silo-1 silo-2 silo-3 api)

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

log() { echo "local-cluster: $*" >&2; }

# scripts/postgres.sh with the caller's umask: its server runs as the postgres user when this runs as root, and must
# reach the directories it makes (PostgreSQL keeps its data directory 0700 itself). What it prints into the cluster
# directory (its url, into db.connection) is written by this shell, under umask 077.
postgres_sh() {
    (umask "$CALLER_UMASK" && exec bash "$ROOT/scripts/postgres.sh" "$@")
}

# Settings the script passes on every process's command line, where they win over the environment: one given as a
# variable would silently do nothing, so it is named and ignored instead.
is_script_setting() {
    case "${1,,}" in
        riskmesh__datadirectory | riskmesh__security__keyringdirectory | riskmesh__database__invariant \
            | riskmesh__database__connectionstring | riskmesh__database__applyschemaonstart | riskmesh__serviceid \
            | riskmesh__clusterid | riskmesh__tls__certificatepath | riskmesh__tls__keypath | riskmesh__tls__capath \
            | riskmesh__role | riskmesh__siloport | riskmesh__gatewayport | riskmesh__siloname)
            return 0
            ;;
    esac
    return 1
}

# A value as `status` and the log lines show it: masked, unless it is true or false. Which names hold a secret cannot
# be told from the name (review 18 L2: RiskMesh__Otel__Headers=Authorization=Bearer …, a URL with a password in it),
# so every value is masked by default; a switch cannot carry a secret, and seeing AllowLoopback=true is the point.
shown_value() {
    case "${1,,}" in
        true | false) echo "$1" ;;
        *) echo "****" ;;
    esac
}

shown_setting() {
    echo "$1=$(shown_value "$2")"
}

# What a process started now runs with, as recorded in its NAME.settings: each recorded setting's name and a digest of
# its value, never the value (review 18 M4: values are secrets), so that report_stale_settings can name the setting
# that differs (a misspelt name recorded later made every process "run other settings", cluster22).
# A name the host's check of this run warned of is marked "unread", so that dropping it later is known to change
# nothing either.
settings_snapshot() {
    local line unknown_text
    unknown_text="$(unknown_setting_paths)"
    while IFS= read -r line; do
        printf '%s %s%s\n' "${line%%=*}" "$(printf '%s' "${line#*=}" | sha256sum | cut -c1-64)" \
            "$(is_unknown_setting "${line%%=*}" "$unknown_text" && echo " unread")"
    done < <(recorded_settings)
}

# A digest of all recorded settings at once: what an older local-cluster.sh wrote as NAME.settings.
settings_digest() {
    recorded_settings | sha256sum | cut -c1-64
}

# Process $1's snapshot as "NAME DIGEST" lines (see settings_snapshot); none recorded (a process an older script
# started, with no settings recorded) is no settings. A snapshot an older version wrote with the values is rewritten as
# names and digests, so no value stays in clear; one it wrote as a single digest of them all is printed as it is (and
# names no setting).
process_snapshot() {
    local file="$CLUSTER_DIR/$1.settings" line
    [[ -f "$file" ]] || return 0
    if grep -q '=' "$file"; then
        while IFS= read -r line; do
            [[ -n "$line" ]] && printf '%s %s\n' "${line%%=*}" "$(printf '%s' "${line#*=}" | sha256sum | cut -c1-64)"
        done < <(LC_ALL=C sort "$file") >"$file.new"
        mv -f "$file.new" "$file"
    fi
    cat "$file"
}

# The recorded settings, sorted, without the comment: what a process gets, and what its NAME.settings snapshot is
# compared with.
recorded_settings() {
    [[ -f "$SETTINGS_FILE" ]] || return 0
    grep -v '^#' "$SETTINGS_FILE" | grep -v '^$' | LC_ALL=C sort || true
}

# Merges the RiskMesh__* variables given now into the recorded settings (a given one wins; given empty, it is
# dropped), writes them back, says what changed and which one won, and exports every recorded one, so that each
# process started by this run gets them. Names compare case-insensitively, as the host reads them. With $1
# before-build, a check that could not run at all with the build there (an exit code other than 0 and 78) returns 2,
# having recorded nothing.
settle_settings() {
    declare -A recorded=() given=()
    local line name value key changed=0 notes=()
    while IFS= read -r line; do
        [[ -n "$line" ]] || continue
        name="${line%%=*}"
        recorded["${name,,}"]="$line"
    done < <(recorded_settings)
    # A name that is not a shell name (RiskMesh__Foo.Bar) reaches this run's processes (they inherit the environment)
    # but bash cannot read it to record it (review 18 L3): said, so nobody counts on a later up or restart having it.
    while IFS= read -r -d '' line; do
        name="${line%%=*}"
        if [[ "${name,,}" == riskmesh__* && ! "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
            log "$name is not recorded: its name is not a shell name (letters, digits and _ only), so only the processes this run starts get it, not those a later up or restart starts"
        fi
    done < <(env -0)
    while IFS= read -r name; do
        [[ "${name,,}" == riskmesh__* ]] || continue
        value="${!name}"
        # A test hook (a silo that kills itself on purpose) recorded would come back on every later up and restart.
        if [[ "${name,,}" == riskmesh__testhooks__* ]]; then
            log "$name is a test hook: not recorded, it applies to the processes this run starts only"
            continue
        fi
        if is_script_setting "$name"; then
            log "$name is ignored: local-cluster.sh sets it itself on each process's command line, which wins (see the header of $0 for its own variables)"
            unset "$name"
            continue
        fi
        if [[ "$value" == *$'\n'* ]]; then
            log "$name holds a line break; settings are recorded one a line in $SETTINGS_FILE: give it on one line"
            exit 2
        fi
        given["${name,,}"]="$name=$value"
    done < <(compgen -e)
    for key in "${!given[@]}"; do
        line="${given[$key]}"
        name="${line%%=*}"
        value="${line#*=}"
        if [[ -z "$value" ]]; then
            unset "$name"
            if [[ -n "${recorded[$key]:-}" ]]; then
                notes+=("$name given empty: dropped from the recorded settings; processes started from now on run without it")
                unset "recorded[$key]"
                changed=1
            fi
        elif [[ -z "${recorded[$key]:-}" ]]; then
            notes+=("recording $(shown_setting "$name" "$value") in $SETTINGS_FILE: every process started from now on gets it, on every later up and restart too")
            recorded["$key"]="$line"
            changed=1
        elif [[ "${recorded[$key]#*=}" != "$value" ]]; then
            local old="${recorded[$key]#*=}" change
            if [[ "$(shown_value "$value")" == "****" && "$(shown_value "$old")" == "****" ]]; then
                change="given with another value than recorded"
            else
                change="given as '$(shown_value "$value")', recorded as '$(shown_value "$old")'"
            fi
            notes+=("$name $change: the given value wins and is recorded in its place for every later up and restart")
            recorded["$key"]="$line"
            changed=1
        fi
    done
    # The host's own check, with exactly the settings the processes would get, before anything is recorded or stopped
    # (newcomer 22b H1: a value recorded unchecked stopped a healthy silo that then could not start again).
    # Exported before the check, which reads this shell's environment: a refusal ends the run, so nothing else sees them.
    for key in "${!recorded[@]}"; do
        line="${recorded[$key]}"
        export "${line%%=*}=${line#*=}"
    done
    local code=0
    check_settings "$CHECK_AS" || code=$?
    if ((code != 0 && code != 78)) && [[ "${1:-}" == before-build ]]; then
        # Not a refusal (exit 78) but a check that could not run with the build there: the one `up` makes decides.
        return 2
    fi
    if ((code != 0)); then
        log "nothing recorded, nothing stopped: every process started with these settings would refuse them. Give the setting again with a valid value, or empty to drop it (e.g. NAME= $0 ${COMMAND#local-cluster.sh })"
        return 1
    fi
    # Said once the settings passed the check: a refused one is never "recorded".
    for line in "${notes[@]}"; do
        log "$line"
    done
    if ((changed)); then
        # Mode 0600 from the start: the umask (077) is the script's, and an older file was made private at the top.
        {
            echo "# RiskMesh__* settings given to every process by deploy/local-cluster.sh up and restart (one NAME=value a line)"
            for key in "${!recorded[@]}"; do
                printf '%s\n' "${recorded[$key]}"
            done | LC_ALL=C sort
        } >"$SETTINGS_FILE"
    fi
    local shown=()
    for key in "${!recorded[@]}"; do
        line="${recorded[$key]}"
        export "${line%%=*}=${line#*=}"
        shown+=("$(shown_setting "${line%%=*}" "${line#*=}")")
    done
    if ((${#shown[@]} > 0)); then
        log "settings for every process started (recorded in $SETTINGS_FILE): ${shown[*]}"
    fi
}

# Runs the host's own settings check (`riskmesh-silo settings check`, which starts nothing) with the arguments process
# $1 gets and this shell's environment: its warnings (a name that is not a setting) are printed, and a refusal too,
# with the recorded settings it names; fails then.
check_settings() {
    local name="$1" code=0
    set_host_args "$name"
    CHECK_OUTPUT="$(cd "$BIN_DIR" && dotnet "$DLL" settings check "${HOST_ARGS[@]}" 2>&1 >/dev/null)" || code=$?
    CHECK_RAN=1
    if [[ -n "$CHECK_OUTPUT" ]]; then
        printf '%s\n' "$CHECK_OUTPUT" >&2
    fi
    if ((code != 0)); then
        name_refused_settings "$CHECK_OUTPUT"
        return "$code"
    fi
}

# Names each recorded setting that the host's refusal ($1: its "  - RiskMesh:Api:MaxRankingLimit must …" lines) is
# about, with the command that drops it: the host's own message names its sources, not $SETTINGS_FILE.
name_refused_settings() {
    local text="$1" line name
    while IFS= read -r line; do
        [[ -n "$line" ]] || continue
        name="${line%%=*}"
        if grep -qiF -- "  - ${name//__/:} " <<<"$text"; then
            log "$name is recorded in $SETTINGS_FILE and refused above: drop it with '$name= $0 up' (or give it a valid value)"
        fi
    done < <(recorded_settings)
}

# The running processes started with other settings than those recorded now (a later `up` or `restart` changed them):
# each setting that differs named with the processes it concerns and what to do, so a mixed cluster is never silent,
# and a name the host does not read (a misspelt one: its check warned of it) is said to change nothing, so healthy
# processes are not sent to be restarted for it.
report_stale_settings() {
    local name line key digest mark snapshot legacy=() differs=() unknown_text how
    declare -A now=() shown=() groups=() by_how=() unknown_in=()
    while IFS= read -r line; do
        key="${line%%=*}"
        now["${key,,}"]="$(printf '%s' "${line#*=}" | sha256sum | cut -c1-64)"
        shown["${key,,}"]="$key"
    done < <(recorded_settings)
    # Each running process's differences, as "process key how" lines.
    for name in "${ALL_NAMES[@]}"; do
        live_pid "$name" >/dev/null || continue
        snapshot="$(process_snapshot "$name")"
        if [[ "$snapshot" =~ ^[0-9a-f]{64}$ ]]; then
            # Started by an older local-cluster.sh, which kept one digest of all its settings: no name to give.
            [[ "$snapshot" == "$(settings_digest)" ]] || legacy+=("$name")
            continue
        fi
        declare -A was=() unread=()
        while read -r key digest mark; do
            [[ -n "$key" ]] || continue
            was["${key,,}"]="$digest"
            [[ "$mark" != unread ]] || unread["${key,,}"]=1
            [[ -n "${shown[${key,,}]:-}" ]] || shown["${key,,}"]="$key"
        done <<<"$snapshot"
        for key in "${!now[@]}"; do
            if [[ -z "${was[$key]:-}" ]]; then
                differs+=("$name $key added")
            elif [[ "${was[$key]}" != "${now[$key]}" ]]; then
                differs+=("$name $key changed ${unread[$key]:+unread}")
            fi
        done
        for key in "${!was[@]}"; do
            [[ -n "${now[$key]:-}" ]] || differs+=("$name $key dropped ${unread[$key]:+unread}")
        done
        unset was unread
    done
    if ((${#legacy[@]} > 0)); then
        log "${legacy[*]} still run with other settings than recorded in $SETTINGS_FILE (started by an older local-cluster.sh, which did not record which): restart each to apply them (deploy/local-cluster.sh restart NAME)"
    fi
    ((${#differs[@]} > 0)) || return 0
    unknown_text="$(unknown_setting_paths)"
    while read -r name key how mark; do
        if [[ "$mark" == unread ]] || is_unknown_setting "${shown[$key]}" "$unknown_text"; then
            unknown_in["$key"]+="${unknown_in[$key]:+ }$name"
        else
            groups["$name"]+="${groups[$name]:+, }${shown[$key]} $how"
        fi
    done < <(printf '%s\n' "${differs[@]}" | LC_ALL=C sort -s -k2,2)
    # Processes that differ in the same settings the same way share a line (usually there is one), in their order.
    local order=()
    for name in "${ALL_NAMES[@]}"; do
        how="${groups[$name]:-}"
        [[ -n "$how" ]] || continue
        [[ -n "${by_how[$how]:-}" ]] || order+=("$how")
        by_how["$how"]+="${by_how[$how]:+ }$name"
    done
    for how in "${order[@]}"; do
        log "${by_how[$how]} still run with other settings than recorded in $SETTINGS_FILE ($how since they started): restart each to apply them (deploy/local-cluster.sh restart NAME)"
    done
    for key in "${!unknown_in[@]}"; do
        if [[ -n "${now[$key]:-}" ]]; then
            log "${shown[$key]} is recorded, but the host reads no such setting (its settings check warns of it): ${unknown_in[$key]}, started before it changed, run as they would with it, and restarting them changes nothing; drop it with '${shown[$key]}= $0 up', or give the name the host knows"
        else
            log "${shown[$key]}, dropped, was no setting the host reads: ${unknown_in[$key]}, started with it, run as they would without it, and restarting them changes nothing"
        fi
    done
}

# The paths the host's settings check warns are not settings ("RiskMesh:Api:MaxRankLimit"), one a line, lower case:
# from the check this run made, else from running it now with the recorded settings (nothing if it cannot run).
unknown_setting_paths() {
    local output="$CHECK_OUTPUT"
    if [[ -z "$CHECK_RAN" ]]; then
        [[ -f "$DLL" && -s "$CLUSTER_DIR/db.connection" ]] || return 0
        output="$(
            DB="$(cat "$CLUSTER_DIR/db.connection")"
            while IFS= read -r name; do
                [[ "${name,,}" != riskmesh__* ]] || unset "$name"
            done < <(compgen -e)
            while IFS= read -r line; do
                export "${line%%=*}=${line#*=}"
            done < <(recorded_settings)
            set_host_args silo-1
            cd "$BIN_DIR" && dotnet "$DLL" settings check "${HOST_ARGS[@]}" 2>&1 >/dev/null
        )" || true
    fi
    sed -n 's/^riskmesh-silo: warning: \([^ ]*\) is not a setting.*/\1/p' <<<"$output" | tr '[:upper:]' '[:lower:]'
}

# Whether recorded setting $1 (RiskMesh__Api__MaxRankLimit) is one the host's check warned of, or lies under one
# ($2: unknown_setting_paths).
is_unknown_setting() {
    local path="${1//__/:}" unknown
    path="${path,,}"
    while IFS= read -r unknown; do
        [[ -n "$unknown" ]] || continue
        [[ "$path" == "$unknown" || "$path" == "$unknown":* ]] && return 0
    done <<<"$2"
    return 1
}

# Prints the pid in a pid file if that process is alive and is our host (pids are reused).
live_pid() {
    local file="$CLUSTER_DIR/$1.pid" pid
    [[ -f "$file" ]] || return 1
    pid="$(cat "$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # This cluster's process of that name: a pid reused by another RiskMesh host (another cluster on this machine)
    # must never be signalled by `restart` or `down`.
    tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--RiskMesh:DataDirectory=$CLUSTER_DIR/$1" || return 1
    echo "$pid"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

is_ready() {
    curl -fsS -o /dev/null --max-time 3 "$1/health/ready" 2>/dev/null
}

# Why a process is not ready, as its /health/ready says: ": database: Npgsql does not answer (Failed to connect to …)",
# each failing check; nothing when that cannot be read (no python3 to read the JSON with).
not_ready_reason() {
    local body
    if ! body="$(curl -sS --max-time 3 "$1/health/ready" 2>&1)"; then
        echo ": no answer from /health/ready (${body#curl: })"
        return 0
    fi
    command -v python3 >/dev/null || return 0
    python3 -c '
import json, sys
try:
    checks = json.load(sys.stdin).get("checks", {})
except ValueError:
    sys.exit(0)
failing = ["%s: %s%s" % (name, c.get("description") or c.get("status"), " (%s)" % c["error"] if c.get("error") else "")
           for name, c in checks.items() if c.get("status") != "Healthy"]
if failing:
    print(": not ready: " + "; ".join(failing))
' <<<"$body" 2>/dev/null || true
}

# A successful build leaves build.done, dated when it began: a source changed after that may not be in the build.
build() {
    local attempt
    for attempt in 1 2 3; do
        log "building src/RiskMesh.Silo (Release)"
        : >"$CLUSTER_DIR/build.started"
        if (umask "$CALLER_UMASK" && exec dotnet build "$ROOT/src/RiskMesh.Silo" -c Release -nologo -v quiet) >"$CLUSTER_DIR/build.log" 2>&1; then
            mv -f "$CLUSTER_DIR/build.started" "$CLUSTER_DIR/build.done"
            return 0
        fi
        # Others may be building the same projects: a locked file clears up after a while.
        if grep -qE "being used by another process|CS2012|MSB3026|MSB3027" "$CLUSTER_DIR/build.log" && ((attempt < 3)); then
            log "build hit a locked file; retrying in 20 s"
            sleep 20
            continue
        fi
        tail -n 30 "$CLUSTER_DIR/build.log" >&2
        log "build failed (full log: $CLUSTER_DIR/build.log)"
        return 1
    done
}

# The cluster's PostgreSQL port, data directory and database: the server of an earlier `up` (kept by `down`) first,
# then the cluster's defaults, never the tests' server. Exports RISKMESH_PG_*; RECORDED_PG_* hold the earlier up's.
choose_postgres() {
    RECORDED_PG_PORT="" RECORDED_PG_DIR=""
    local recorded_database=""
    if [[ -f "$CLUSTER_DIR/postgres.started" ]]; then
        # shellcheck disable=SC1091
        RECORDED_PG_PORT="$(source "$CLUSTER_DIR/postgres.started" && printf '%s' "$RISKMESH_PG_PORT")"
        # shellcheck disable=SC1091
        RECORDED_PG_DIR="$(source "$CLUSTER_DIR/postgres.started" && printf '%s' "$RISKMESH_PG_DIR")"
        # A record without a database was written before the cluster had a database of its own: its data is in the
        # tests' database name, and stays reachable there.
        # shellcheck disable=SC1091
        recorded_database="$(source "$CLUSTER_DIR/postgres.started" && printf '%s' "${RISKMESH_PG_DATABASE:-riskmesh_test}")"
    fi
    export RISKMESH_PG_PORT="${RISKMESH_PG_PORT:-${RECORDED_PG_PORT:-55433}}"
    export RISKMESH_PG_DIR="${RISKMESH_PG_DIR:-${RECORDED_PG_DIR:-/tmp/riskmesh-pg-cluster}}"
    export RISKMESH_PG_DATABASE="${RISKMESH_PG_DATABASE:-${recorded_database:-riskmesh}}"
}

start_postgres() {
    if [[ -n "${RISKMESH_DB:-}" ]]; then
        log "using RISKMESH_DB"
        printf '%s\n' "$RISKMESH_DB" >"$CLUSTER_DIR/db.connection"
        return 0
    fi
    local recorded_port recorded_dir
    choose_postgres
    recorded_port="$RECORDED_PG_PORT"
    recorded_dir="$RECORDED_PG_DIR"
    if [[ "$RISKMESH_PG_PORT" == "$recorded_port" && "$RISKMESH_PG_DIR" == "$recorded_dir" ]] \
        && postgres_sh status 2>/dev/null; then
        if [[ ! -f "$RISKMESH_PG_DIR/data/postmaster.pid" ]]; then
            log "another PostgreSQL answers on port $RISKMESH_PG_PORT, not this cluster's (data in $RISKMESH_PG_DIR/data):"
            log "stop it, or set RISKMESH_PG_PORT to start the cluster's own server on another port"
            exit 1
        fi
        log "PostgreSQL of an earlier up is still running on port $RISKMESH_PG_PORT; using it"
    elif postgres_sh status 2>/dev/null; then
        # Someone else's server: use it, and leave it running on `down`.
        log "PostgreSQL already running; it will be left running on down"
        rm -f "$CLUSTER_DIR/postgres.started"
        # It may not hold the cluster's database yet: start only creates that on a server that already runs.
        postgres_sh start
    else
        postgres_sh start
        # Remember how to reach the server we started, so `down` stops that one and no other.
        printf 'RISKMESH_PG_PORT=%q\nRISKMESH_PG_DIR=%q\nRISKMESH_PG_DATABASE=%q\n' \
            "$RISKMESH_PG_PORT" "$RISKMESH_PG_DIR" "$RISKMESH_PG_DATABASE" >"$CLUSTER_DIR/postgres.started"
    fi
    postgres_sh url >"$CLUSTER_DIR/db.connection"
}

# A throwaway CA and a node certificate it issued (server and client use), for mutual TLS between the processes.
make_certificates() {
    local dir="$CLUSTER_DIR/tls"
    if [[ -s "$dir/node.crt" && -s "$dir/node.key" && -s "$dir/ca.crt" ]]; then
        return 0
    fi
    command -v openssl >/dev/null || { log "openssl is required (for the cluster's TLS certificates)"; return 1; }
    log "making a throwaway CA and node certificate in $dir"
    mkdir -p "$dir"
    chmod 700 "$dir"
    openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=riskmesh-local-ca" \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
    openssl req -newkey rsa:3072 -nodes -subj "/CN=riskmesh-local-node" -keyout "$dir/node.key" -out "$dir/node.csr" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' \
        >"$dir/node.ext"
    openssl x509 -req -in "$dir/node.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 825 \
        -extfile "$dir/node.ext" -out "$dir/node.crt" 2>/dev/null
    chmod 600 "$dir/ca.key" "$dir/node.key"
}

# Each process's log: NAME.log for the running one, the logs of its previous starts kept as NAME.log.1 (the newest) …
# NAME.log.$KEPT_LOGS, so the log of a silo that crashed or was restarted is still there to read (newcomer 20a:
# every start overwrote it, and `grep REFERENCE` found nothing after the `up` that brought a dead silo back).
KEPT_LOGS=5

# Moves NAME.log to NAME.log.1 and each older one a number up; the oldest beyond $KEPT_LOGS is deleted.
rotate_log() {
    local log="$CLUSTER_DIR/$1.log" i
    [[ -s "$log" ]] || return 0
    rm -f "$log.$KEPT_LOGS"
    for ((i = KEPT_LOGS - 1; i >= 1; i--)); do
        if [[ -f "$log.$i" ]]; then mv -f "$log.$i" "$log.$((i + 1))"; fi
    done
    mv -f "$log" "$log.1"
}

# The log of process $1's first failure since it was last ready (a run killed or crashed, a start that ended before it
# was ready, a stop that was not clean: any end but exit code 0) is copied to NAME.log.failed before its log is
# rotated, apart from the five kept, so however many starts fail after it the log that shows what went wrong first is
# still there (newcomer 22b L8: failed starts had rotated a SIGKILLed silo's log away within minutes). NAME.failing
# says that failure is kept; a start that becomes ready removes it, and the next failure replaces NAME.log.failed.
keep_first_failure() {
    local name="$1" log="$CLUSTER_DIR/$1.log" pid status
    [[ -s "$log" && -s "$CLUSTER_DIR/$name.exit" && ! -f "$CLUSTER_DIR/$name.failing" ]] || return 0
    read -r pid status <"$CLUSTER_DIR/$name.exit"
    [[ "$status" != 0 ]] || return 0
    cp -p "$log" "$log.failed"
    : >"$CLUSTER_DIR/$name.failing"
    log "$name's first failure since it was last ready ($(ended_how "$name")) is kept as $log.failed, whatever number of starts fail after it"
}

# Where the logs of process $1's failed start are, for the line that gives up on it: its own, and the first failure's.
failed_start_logs() {
    local log="$CLUSTER_DIR/$1.log"
    if [[ -f "$CLUSTER_DIR/$1.failing" && -f "$log.failed" ]]; then
        echo "this start's log is $log, the first failure's since it was last ready $log.failed"
    else
        echo "this start's log is $log (the next start keeps it as $log.failed)"
    fi
}

now_utc() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# The parent of one host process, for as long as it runs: the host's own parent, so it alone can learn how the host
# ended (a process stopped by `restart` or `down`, or killed, is not this script's child). It writes the host's pid
# to NAME.pid, waits, then writes how the host ended at the end of its log and to NAME.exit ("pid status").
# The log's first line (written by the host's own process before it becomes the host, so it names the host's pid) and
# its last say where one start ends and the next begins.
# shellcheck disable=SC2016
WATCHER='name=$1 dir=$2
shift 2
log="$dir/$name.log"
started=$SECONDS
(
    echo "==== local-cluster: $name started at $(date -u +%Y-%m-%dT%H:%M:%SZ) (pid $BASHPID) ===="
    exec "$@"
) </dev/null >>"$log" 2>&1 &
pid=$!
echo "$pid" >"$dir/$name.pid.new" && mv -f "$dir/$name.pid.new" "$dir/$name.pid"
wait "$pid"
status=$?
how="exit code $status"
if ((status > 128)) && signal="$(kill -l $((status - 128)) 2>/dev/null)"; then
    how="killed by signal $((status - 128)) (SIG$signal, exit status $status)"
fi
echo "==== local-cluster: $name (pid $pid) ended at $(date -u +%Y-%m-%dT%H:%M:%SZ), $((SECONDS - started)) s after its start: $how ====" >>"$log"
echo "$pid $status" >"$dir/$name.exit"'

# The arguments process $1 is started with (and its settings checked with): its role, addresses and the settings the
# script gives every process itself, which win over the environment. Into HOST_ARGS.
set_host_args() {
    local name="$1" i
    case "$name" in
        silo-1 | silo-2 | silo-3)
            i=$((${name#silo-} - 1))
            HOST_ARGS=(--RiskMesh:Role=silo --urls "http://127.0.0.1:${HTTP_PORTS[$i]}" "--RiskMesh:SiloPort=${SILO_PORTS[$i]}"
                "--RiskMesh:GatewayPort=${GATEWAY_PORTS[$i]}" "--RiskMesh:SiloName=$name")
            ;;
        api) HOST_ARGS=(--RiskMesh:Role=api --urls "$API_URL") ;;
    esac
    HOST_ARGS+=(
        "--RiskMesh:DataDirectory=$CLUSTER_DIR/$name"
        "--RiskMesh:Security:KeyRingDirectory=$CLUSTER_DIR/dataprotection-keys"
        "--RiskMesh:Database:Invariant=Npgsql"
        "--RiskMesh:Database:ConnectionString=$DB"
        "--RiskMesh:Database:ApplySchemaOnStart=false"
        "--RiskMesh:ServiceId=$SERVICE_ID"
        "--RiskMesh:ClusterId=$CLUSTER_ID"
        "--RiskMesh:Tls:CertificatePath=$CLUSTER_DIR/tls/node.crt"
        "--RiskMesh:Tls:KeyPath=$CLUSTER_DIR/tls/node.key"
        "--RiskMesh:Tls:CaPath=$CLUSTER_DIR/tls/ca.crt")
}

# Starts one host process in the background, detached from this shell, under its watcher, and waits for its pid file.
# Sets LAUNCHED: a start that failed before it (its ports taken) has no log of its own to name.
launch() {
    local name="$1"
    local data="$CLUSTER_DIR/$name" log="$CLUSTER_DIR/$name.log" kept=""
    LAUNCHED=1
    set_host_args "$name"
    mkdir -p "$data"
    keep_first_failure "$name"
    rotate_log "$name"
    [[ -f "$log.1" ]] && kept="; the previous start's log is $log.1"
    rm -f "$CLUSTER_DIR/$name.pid" "$CLUSTER_DIR/$name.exit"
    (
        cd "$BIN_DIR"
        # The garbage collector's gen-0 budget (32 MiB per heap), as `dotnet run` and the container image give it (README,
        # Configuration): the runtime reads it from the environment only.
        export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x2000000}"
        exec setsid bash -c "$WATCHER" local-cluster-watcher "$name" "$CLUSTER_DIR" dotnet "$DLL" "${HOST_ARGS[@]}" \
            </dev/null >/dev/null 2>&1
    ) &
    # What it was started with, for report_stale_settings: names and digests, not the values.
    settings_snapshot >"$CLUSTER_DIR/$name.settings"
    # The watcher writes the pid once the host's process runs; until it has exec'd, its command line is bash's, and
    # live_pid would call it dead: wait for both, or for the watcher's record of its end (a start that failed at once).
    local i pid=""
    for i in $(seq 1 100); do
        pid="$(live_pid "$name")" && break
        if [[ -s "$CLUSTER_DIR/$name.exit" ]]; then
            read -r pid _ <"$CLUSTER_DIR/$name.exit"
            break
        fi
        sleep 0.1
    done
    log "started $name (pid ${pid:-unknown}, log $log$kept)"
}

wait_ready() {
    local name="$1" url="$2" deadline=$((SECONDS + READY_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! live_pid "$name" >/dev/null; then
            log "$name exited before it was ready; last lines of $CLUSTER_DIR/$name.log:"
            tail -n 40 "$CLUSTER_DIR/$name.log" >&2 || true
            explain_exit "$name"
            return 1
        fi
        if is_ready "$url"; then
            rm -f "$CLUSTER_DIR/$name.failing"
            log "$name ready at $url"
            return 0
        fi
        sleep 0.5
    done
    log "$name was not ready within ${READY_TIMEOUT} s; last lines of $CLUSTER_DIR/$name.log:"
    tail -n 40 "$CLUSTER_DIR/$name.log" >&2 || true
    return 1
}


record_ports() {
    printf '%s\n' "RISKMESH_API_PORT=$API_PORT" "RISKMESH_SILO_HTTP_PORTS=${HTTP_PORTS[*]}" \
        "RISKMESH_SILO_PORTS=${SILO_PORTS[*]}" "RISKMESH_GATEWAY_PORTS=${GATEWAY_PORTS[*]}" >"$PORTS_FILE"
}

url_of() {
    case "$1" in
        silo-1) echo "http://127.0.0.1:${HTTP_PORTS[0]}" ;;
        silo-2) echo "http://127.0.0.1:${HTTP_PORTS[1]}" ;;
        silo-3) echo "http://127.0.0.1:${HTTP_PORTS[2]}" ;;
        api) echo "$API_URL" ;;
    esac
}

# Ports one process binds, each with the setting that chooses it.
ports_of() {
    case "$1" in
        silo-1 | silo-2 | silo-3)
            local i=$((${1#silo-} - 1))
            echo "${SILO_PORTS[$i]}:RISKMESH_SILO_PORTS ${GATEWAY_PORTS[$i]}:RISKMESH_GATEWAY_PORTS ${HTTP_PORTS[$i]}:RISKMESH_SILO_HTTP_PORTS"
            ;;
        api) echo "$API_PORT:RISKMESH_API_PORT" ;;
    esac
}

# Starts one stopped process of a running cluster with the build and database the others use, and waits until ready.
start_one() {
    local name="$1" entry busy=() waited
    # A process just stopped (restart) may hold its ports for a moment after it is gone: a child of a killed process
    # still exiting, a loaded machine. Refused only if they stay taken for 5 s.
    for waited in $(seq 0 25); do
        busy=()
        for entry in $(ports_of "$name"); do
            if port_in_use "${entry%%:*}"; then
                busy+=("127.0.0.1:${entry%%:*} (${entry#*:})")
            fi
        done
        ((${#busy[@]} == 0 || waited == 25)) && break
        sleep 0.2
    done
    if ((${#busy[@]} > 0)); then
        log "cannot start $name: ports already in use: ${busy[*]}"
        return 1
    fi
    # A silo started right after its predecessor at the same address was killed cannot join until the others have
    # declared that one dead (seconds); the host then exits 75, and is started again.
    local attempt
    for attempt in 1 2 3 4 5 6; do
        launch "$name"
        if wait_ready "$name" "$(url_of "$name")"; then
            return 0
        fi
        [[ "$(exit_status "$name")" == 75 ]] && ((attempt < 6)) || return 1
        log "starting $name again in 5 s (attempt $((attempt + 1)) of 6; this start's log becomes $CLUSTER_DIR/$name.log.1)"
        sleep 5
    done
}

# The database the running processes use (written by `up`, removed by `down`).
running_database() {
    if [[ ! -s "$CLUSTER_DIR/db.connection" || ! -f "$DLL" ]]; then
        log "the cluster in $CLUSTER_DIR is not up (no database connection or build recorded); run '$0 up'"
        return 1
    fi
    DB="$(cat "$CLUSTER_DIR/db.connection")"
}

# `up` on a cluster some of whose processes run: the stopped ones are started, with the build the others run.
start_stopped() {
    local name running=() stopped=()
    for name in "${ALL_NAMES[@]}"; do
        if live_pid "$name" >/dev/null; then running+=("$name"); else stopped+=("$name"); fi
    done
    running_database
    start_recorded_postgres
    # Settled first, also when every process runs (review 18 L1: `RiskMesh__Webhooks__AllowLoopback=true up` on a
    # running cluster recorded nothing and said nothing): recorded, and the processes still on the old settings are
    # named by status, with the restart that applies them.
    settle_settings
    if ((${#stopped[@]} == 0)); then
        log "every process is already running; settings recorded now reach a process when it is restarted (deploy/local-cluster.sh restart NAME)"
        cmd_status
        return 0
    fi
    log "${running[*]} running; starting ${stopped[*]} (the build the others run: no build, no schema)"
    # How each one ended, before its log is moved aside: a crash is worth reading about.
    local how
    for name in "${stopped[@]}"; do
        if how="$(ended_how "$name")"; then
            log "$name had ended: $how; its log is kept as $CLUSTER_DIR/$name.log.1"
        fi
    done
    for name in "${stopped[@]}"; do
        if ! start_one "$name"; then
            log "$name did not start; the processes that run were left as they are${LAUNCHED:+; $(failed_start_logs "$name")}"
            exit 1
        fi
    done
    cmd_status
}

# The PostgreSQL an earlier `up` started and recorded in postgres.started, started again if it does not answer (it
# was stopped, or the machine rebooted): the silos cannot start without it (newcomer 22b H2). A server `up` did not
# start (RISKMESH_DB, or one already running) is not this script's to start.
start_recorded_postgres() {
    [[ -z "${RISKMESH_DB:-}" && -f "$CLUSTER_DIR/postgres.started" ]] || return 0
    (
        # shellcheck disable=SC1091
        source "$CLUSTER_DIR/postgres.started"
        export RISKMESH_PG_PORT RISKMESH_PG_DIR RISKMESH_PG_DATABASE
        postgres_sh status 2>/dev/null && exit 0
        log "the cluster's PostgreSQL (127.0.0.1:$RISKMESH_PG_PORT, data in $RISKMESH_PG_DIR, recorded in $CLUSTER_DIR/postgres.started) does not answer; starting it"
        postgres_sh start
    )
}

cmd_restart() {
    local name="${1:-}"
    case "$name" in
        silo-1 | silo-2 | silo-3 | api) ;;
        *)
            log "restart what? one of: ${ALL_NAMES[*]} (got '${name}')"
            exit 2
            ;;
    esac
    running_database
    start_recorded_postgres
    CHECK_AS="$name"
    settle_settings
    stop_one "$name"
    if ! start_one "$name"; then
        log "$name did not start again; the other processes were left as they are${LAUNCHED:+; $(failed_start_logs "$name")}"
        exit 1
    fi
    report_stale_settings
}

cmd_up() {
    local name started_at=$SECONDS
    for name in "${ALL_NAMES[@]}"; do
        if live_pid "$name" >/dev/null; then
            start_stopped
            return
        fi
    done
    # Every busy port at once, each with the setting that chooses it: one try tells what to change.
    local setting port busy=()
    for setting in RISKMESH_SILO_PORTS RISKMESH_GATEWAY_PORTS RISKMESH_API_PORT RISKMESH_SILO_HTTP_PORTS; do
        case "$setting" in
            RISKMESH_SILO_PORTS) set -- "${SILO_PORTS[@]}" ;;
            RISKMESH_GATEWAY_PORTS) set -- "${GATEWAY_PORTS[@]}" ;;
            RISKMESH_API_PORT) set -- "$API_PORT" ;;
            RISKMESH_SILO_HTTP_PORTS) set -- "${HTTP_PORTS[@]}" ;;
        esac
        for port in "$@"; do
            if port_in_use "$port"; then
                busy+=("127.0.0.1:$port ($setting)")
            fi
        done
    done
    # The PostgreSQL port too, before anything is initialised: a PostgreSQL answering there is used (an earlier up's,
    # or someone else's), anything else holding it would only fail after initdb had made a fresh data directory.
    if [[ -z "${RISKMESH_DB:-}" ]]; then
        choose_postgres
        if port_in_use "$RISKMESH_PG_PORT" && ! postgres_sh status >/dev/null 2>&1; then
            busy+=("127.0.0.1:$RISKMESH_PG_PORT (RISKMESH_PG_PORT, held by something that is not PostgreSQL)")
        fi
    fi
    if ((${#busy[@]} > 0)); then
        log "ports already in use: ${busy[*]}; free them first, or choose other ports with the settings named"
        exit 1
    fi
    command -v curl >/dev/null || { log "curl is required"; exit 1; }
    record_ports
    # The settings before the build and PostgreSQL's start, when the build there is the one `up` will run: a refused
    # value costs seconds, not a build (cluster22), and nothing is started.
    local checked=""
    settings_before_build && checked=1

    start_postgres
    DB="$(cat "$CLUSTER_DIR/db.connection")"
    # A failure past this point leaves no half-started cluster behind.
    trap 'log "up failed; stopping what was started (each log stays in $CLUSTER_DIR; the next up keeps a failed one as NAME.log.failed)"; cmd_down' ERR
    build
    make_certificates
    # Once the build can check them, with the certificates they name: nothing is recorded that no process would take.
    [[ -n "$checked" ]] || settle_settings
    log "applying the schema"
    (cd "$BIN_DIR" && dotnet "$DLL" schema apply --RiskMesh:Database:Invariant=Npgsql "--RiskMesh:Database:ConnectionString=$DB") \
        >"$CLUSTER_DIR/schema.log" 2>&1 || { tail -n 30 "$CLUSTER_DIR/schema.log" >&2; false; }
    log "$(tail -n 1 "$CLUSTER_DIR/schema.log")"

    # silo-1 first and alone: on an empty database it issues the bootstrap admin key, exactly once.
    launch silo-1
    wait_ready silo-1 "http://127.0.0.1:${HTTP_PORTS[0]}"
    launch silo-2
    launch silo-3
    wait_ready silo-2 "http://127.0.0.1:${HTTP_PORTS[1]}"
    wait_ready silo-3 "http://127.0.0.1:${HTTP_PORTS[2]}"
    launch api
    wait_ready api "$API_URL"
    trap - ERR

    echo "RiskMesh cluster up in $((SECONDS - started_at)) s (service id $SERVICE_ID, cluster id $CLUSTER_ID)"
    echo "API:        $API_URL  (OpenAPI, /api/v1, /health/ready)"
    echo "Silos:      http://127.0.0.1:${HTTP_PORTS[0]} http://127.0.0.1:${HTTP_PORTS[1]} http://127.0.0.1:${HTTP_PORTS[2]}  (health, /dashboard)"
    if [[ -s "$CLUSTER_DIR/silo-1/admin.key" ]]; then
        echo "Admin key:  $CLUSTER_DIR/silo-1/admin.key  (send it as X-Api-Key)"
    else
        echo "Admin key:  none written: this database already had keys for service id $SERVICE_ID (an earlier run's $CLUSTER_DIR/silo-1/admin.key, if kept, still works)"
    fi
    echo "Logs, pids: $CLUSTER_DIR"
}

# The first source file changed since the last build `up` made began (build.done), or nothing. (Not the binary's
# date: MSBuild leaves riskmesh-silo.dll as it was when only a project it references, or a file it copies, changed.)
source_newer_than_build() {
    local file stamp="$CLUSTER_DIR/build.done"
    for file in "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" "$ROOT/global.json"; do
        if [[ "$file" -nt "$stamp" ]]; then
            echo "${file#"$ROOT"/}"
            return 0
        fi
    done
    file="$(find "$ROOT/src" \( -name bin -o -name obj -o -name node_modules \) -prune -o -type f -newer "$stamp" -print -quit)"
    [[ -z "$file" ]] || echo "${file#"$ROOT"/}"
}

# `up` of a stopped cluster: the settings checked (and recorded) with the build there, when nothing changed since it
# was made; otherwise says why they are checked after the build, and fails. The check is the host's own, and only a
# build of the sources `up` runs can say what they accept.
settings_before_build() {
    local why changed code=0
    if [[ ! -f "$DLL" || ! -f "$CLUSTER_DIR/build.done" ]]; then
        why="no build made by an earlier up of this cluster is there"
    elif changed="$(source_newer_than_build)" && [[ -n "$changed" ]]; then
        why="$changed changed since the last build up made"
    else
        make_certificates
        DB="${RISKMESH_DB:-$(postgres_sh url)}"
        settle_settings before-build || code=$?
        case "$code" in
            0) return 0 ;;
            2) why="the check could not run with the build in $BIN_DIR (above)" ;;
            *) exit 1 ;;
        esac
    fi
    # Said when there are settings to check: RiskMesh__* variables given, or settings recorded.
    if [[ -n "$(recorded_settings)" ]] || compgen -e | grep -qi '^riskmesh__'; then
        log "settings are checked after the build: $why, and the check is the host's own (riskmesh-silo settings check)"
    fi
    return 1
}

# The exit status of process $1's last run, as its watcher wrote it (waiting a moment for it), or nothing.
exit_status() {
    local i pid status
    for i in $(seq 1 30); do
        if [[ -s "$CLUSTER_DIR/$1.exit" ]]; then
            read -r pid status <"$CLUSTER_DIR/$1.exit"
            echo "$status"
            return 0
        fi
        sleep 0.1
    done
}

# What a start that ended before it was ready means, and what to do, by its exit code (README, Configuration).
explain_exit() {
    local name="$1" status
    status="$(exit_status "$name")"
    case "$status" in
        78)
            log "$name ended with exit code 78: the host refused a setting (above)"
            name_refused_settings "$(tail -n 40 "$CLUSTER_DIR/$name.log")"
            ;;
        69) log "$name ended with exit code 69: the database did not answer (above); start PostgreSQL, then '$0 up' (which starts the PostgreSQL it recorded)" ;;
        75) log "$name ended with exit code 75: the cluster still counted its previous run as active" ;;
        134) log "$name ended with SIGABRT (exit status 134): an unhandled exception ended the .NET runtime; see the end of its log" ;;
        "") ;;
        *) log "$name ended with $(ended_how "$name")" ;;
    esac
}

# Seconds since a time taken from $EPOCHREALTIME, to a tenth.
seconds_since() {
    local tenths=$(((${EPOCHREALTIME/./} - ${1/./}) / 100000))
    echo "$((tenths / 10)).$((tenths % 10))"
}

# How a process ended, from NAME.exit as its watcher wrote it, if that was process $2: "exit code 0", "killed by
# signal 9 (SIGKILL, exit status 137)"; fails if no record of that process is there (yet).
ended_how() {
    local file="$CLUSTER_DIR/$1.exit" pid status signal
    [[ -s "$file" ]] || return 1
    read -r pid status <"$file"
    [[ -z "${2:-}" || "$pid" == "$2" ]] || return 1
    if ((status > 128)) && signal="$(kill -l $((status - 128)) 2>/dev/null)"; then
        echo "killed by signal $((status - 128)) (SIG$signal, exit status $status)$(exit_meaning "$status")"
    else
        echo "exit code $status$(exit_meaning "$status")"
    fi
}

# The host's exit codes that are not crashes (README, Configuration), and SIGABRT's, for the lines that name them.
exit_meaning() {
    case "$1" in
        78) echo " (a setting was refused: see its log)" ;;
        69) echo " (the database did not answer at start)" ;;
        75) echo " (the cluster still counted an earlier silo at its address as active)" ;;
        134) echo " (an unhandled exception ended the .NET runtime: see the end of its log)" ;;
    esac
}

# SIGTERM, then SIGKILL after $STOP_TIMEOUT s; says how the process ended and how long its stop took: a silo leaving
# the cluster cleanly exits 0 in seconds (README, Rolling restart), anything else is said as such.
stop_one() {
    local name="$1" pid deadline asked killed="" how i log="$CLUSTER_DIR/$1.log"
    if ! pid="$(live_pid "$name")"; then
        rm -f "$CLUSTER_DIR/$name.pid"
        return 0
    fi
    # A process an older local-cluster.sh started has no watcher to record how it ended: not waited for.
    local watched=""
    if tr '\0' '\n' <"/proc/$(ps -o ppid= -p "$pid" | tr -d ' ')/cmdline" 2>/dev/null | grep -qx local-cluster-watcher; then
        watched=1
    fi
    echo "==== local-cluster: SIGTERM to $name (pid $pid) at $(now_utc) (by $COMMAND) ====" >>"$log"
    asked=$EPOCHREALTIME
    kill -TERM "$pid" 2>/dev/null || true
    # In microseconds: SECONDS counts whole seconds, which made a timeout of 2 s anything from 1 to 2.
    deadline=$((${asked/./} + STOP_TIMEOUT * 1000000))
    while kill -0 "$pid" 2>/dev/null && ((${EPOCHREALTIME/./} < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) still running after ${STOP_TIMEOUT} s; SIGKILL"
        echo "==== local-cluster: $name (pid $pid) still running after ${STOP_TIMEOUT} s: SIGKILL at $(now_utc) ====" >>"$log"
        kill -KILL "$pid" 2>/dev/null || true
        killed=1
        # Gone before its ports are tried again (restart): SIGKILL is delivered, not waited for.
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    local took
    took="$(seconds_since "$asked")"
    # The watcher writes how it ended just after the process is gone.
    for i in $(seq 1 50); do
        [[ -n "$watched" ]] || break
        how="$(ended_how "$name" "$pid")" && break
        how=""
        sleep 0.1
    done
    if [[ -n "$killed" ]]; then
        log "$name (pid $pid) did not stop by itself and was killed ${took} s after SIGTERM (${how:-exit code not recorded}): not a clean stop; see the end of its log, $log"
    elif [[ "$how" == "exit code 0" ]]; then
        log "stopped $name (pid $pid): exit code 0, ${took} s after SIGTERM"
    elif [[ -n "$how" ]]; then
        log "$name (pid $pid) stopped ${took} s after SIGTERM with $how, not 0: not a clean stop; see the end of its log, $log"
    else
        log "stopped $name (pid $pid) ${took} s after SIGTERM; its exit code is not known (it was started by an older local-cluster.sh, which did not record it)"
    fi
    rm -f "$CLUSTER_DIR/$name.pid"
}

cmd_down() {
    trap - ERR
    local name
    # The API first, so nothing new arrives; the silos one after another, so each hands its grains over cleanly.
    stop_one api
    for name in silo-3 silo-2 silo-1; do
        stop_one "$name"
    done
    # Stop (not delete) the server `up` started: the journal, notices, plans and keys are there for the next `up`.
    # postgres.started stays, so `purge` still knows which data directory is ours.
    if [[ -f "$CLUSTER_DIR/postgres.started" ]]; then
        (
            # shellcheck disable=SC1091
            source "$CLUSTER_DIR/postgres.started"
            export RISKMESH_PG_PORT RISKMESH_PG_DIR
            postgres_sh halt
        )
    fi
    rm -f "$CLUSTER_DIR/db.connection"
}

# Deletes the data: `down`, then PostgreSQL's data directory if `up` started that server, then the cluster directory.
cmd_purge() {
    cmd_down
    if [[ -f "$CLUSTER_DIR/postgres.started" ]]; then
        (
            # shellcheck disable=SC1091
            source "$CLUSTER_DIR/postgres.started"
            export RISKMESH_PG_PORT RISKMESH_PG_DIR
            postgres_sh purge
        )
    else
        log "PostgreSQL was not started by up (RISKMESH_DB or a server already running): its data is left alone"
    fi
    rm -rf "$CLUSTER_DIR"
    log "removed $CLUSTER_DIR"
}

cmd_status() {
    local name pid url code=0
    for name in "${ALL_NAMES[@]}"; do
        url="$(url_of "$name")"
        if pid="$(live_pid "$name")"; then
            if is_ready "$url"; then
                echo "$name  pid $pid  ready    $url"
            else
                echo "$name  pid $pid  running, not ready  $url$(not_ready_reason "$url")"
                code=1
            fi
        else
            echo "$name  stopped"
            code=1
        fi
    done
    local line shown=()
    while IFS= read -r line; do
        [[ -n "$line" ]] && shown+=("$(shown_setting "${line%%=*}" "${line#*=}")")
    done < <(recorded_settings)
    if ((${#shown[@]} > 0)); then
        echo "settings   ${shown[*]}  (recorded in $SETTINGS_FILE, given to every process up and restart start)"
    fi
    report_stale_settings
    return "$code"
}

# Named in each stopped process's log, with the SIGTERM it was sent.
COMMAND="local-cluster.sh ${1:-} ${2:-}"
COMMAND="${COMMAND% }"
case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    purge) cmd_purge ;;
    status) cmd_status ;;
    restart) cmd_restart "${2:-}" ;;
    *)
        echo "usage: $0 up|down|purge|status|restart silo-1|silo-2|silo-3|api" >&2
        exit 2
        ;;
esac
