#!/usr/bin/env bash
# Runs every RiskMesh test on a fresh machine, the one command CI runs.
#
# Installs what the tests need (Debian packages: postgresql for the persistence and cluster
# tests, chromium for the headless dashboard test), starts a throwaway PostgreSQL
# (scripts/postgres.sh; its own state directory, deleted afterwards), builds and tests the solution in Release, stops PostgreSQL, and
# ends with one line "N passed, N failed" (", N skipped" when any were skipped).
# Exit code: non-zero when the build or any test failed.
#
# Environment:
#   RISKMESH_TEST_RESULTS  where .trx files go (default artifacts/test-results)
#   RISKMESH_PG_PORT, RISKMESH_PG_DIR  passed on to scripts/postgres.sh (defaults 55432, /tmp/riskmesh-pg-test)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
RESULTS_DIR="${RISKMESH_TEST_RESULTS:-$ROOT/artifacts/test-results}"
CHROMIUM=/usr/bin/chromium

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { echo "==> $*"; }

# --- prerequisites ----------------------------------------------------------------------
missing=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if [[ ! -x "$CHROMIUM" ]]; then
    # Fonts are only a recommendation of chromium; without them pages render as empty boxes.
    missing+=(chromium fonts-liberation)
fi
if ((${#missing[@]} > 0)); then
    step "installing Debian packages: ${missing[*]}"
    SUDO=()
    if [[ "$(id -u)" != "0" ]]; then
        SUDO=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    step "prerequisites present (PostgreSQL server, Chromium)"
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet SDK not found on PATH" >&2
    exit 1
fi

# --- PostgreSQL -------------------------------------------------------------------------
# The tests' server has its own state directory (default /tmp/riskmesh-pg-test, never a local cluster's). It is deleted
# afterwards only if this run created it: a server already running is left running, an existing directory is kept.
PG_STATE_DIR="$(bash "$ROOT/scripts/postgres.sh" dir)"
pg_cleanup=purge
if bash "$ROOT/scripts/postgres.sh" status 2>/dev/null; then
    pg_cleanup=none
elif [[ -e "$PG_STATE_DIR" ]]; then
    pg_cleanup=stop
fi
cleanup() {
    case "$pg_cleanup" in
        purge) step "stopping PostgreSQL and deleting $PG_STATE_DIR"; bash "$ROOT/scripts/postgres.sh" purge || true ;;
        stop) step "stopping PostgreSQL (its data in $PG_STATE_DIR was there before and is kept)"; bash "$ROOT/scripts/postgres.sh" stop || true ;;
        *) step "leaving the PostgreSQL that was already running" ;;
    esac
}
trap cleanup EXIT

step "starting a throwaway PostgreSQL"
bash "$ROOT/scripts/postgres.sh" start
RISKMESH_TEST_POSTGRES="$(bash "$ROOT/scripts/postgres.sh" url)"
export RISKMESH_TEST_POSTGRES
export RISKMESH_CHROMIUM="$CHROMIUM"

# --- build ------------------------------------------------------------------------------
step "building RiskMesh.sln (Release)"
if ! dotnet build RiskMesh.sln -c Release -nologo; then
    echo "build failed" >&2
    exit 1
fi

# --- test -------------------------------------------------------------------------------
rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
step "running tests (results in $RESULTS_DIR)"
test_status=0
# LogFilePrefix gives each test project its own .trx; a hang dump beats waiting out CI's clock.
dotnet test RiskMesh.sln -c Release --no-build -nologo \
    --logger "trx;LogFilePrefix=riskmesh" \
    --results-directory "$RESULTS_DIR" \
    --blame-hang-timeout 15m || test_status=$?

# --- summary ----------------------------------------------------------------------------
# Reads one attribute of a TRX <Counters .../> element, 0 when absent.
attr() {
    local value
    value="$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
    echo "${value:-0}"
}

passed=0
failed=0
skipped=0
trx_count=0
shopt -s nullglob globstar
for trx in "$RESULTS_DIR"/**/*.trx; do
    trx_count=$((trx_count + 1))
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)"
    passed=$((passed + $(attr passed "$counters")))
    failed=$((failed + $(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters")))
    skipped=$((skipped + $(attr notExecuted "$counters")))
done

if ((trx_count == 0)); then
    echo "no test results found in $RESULTS_DIR" >&2
    if ((test_status == 0)); then
        test_status=1
    fi
fi
if ((test_status != 0 && failed == 0)); then
    # The runner failed without a failed test in the results (a crashed test host, say): count it.
    echo "dotnet test exited with $test_status" >&2
    failed=1
fi

summary="$passed passed, $failed failed"
if ((skipped > 0)); then
    summary="$summary, $skipped skipped"
fi
echo
echo "$summary"

if ((failed > 0 || test_status != 0)); then
    exit 1
fi
