#!/usr/bin/env bash
# GET throughput of a running RiskMesh host, measured by wrk (Debian package `wrk`) in a separate process:
# random ports, cities and countries of the loaded topology, 2 threads, 64 connections, 20 s, latency percentiles.
# Usage: RISKMESH_API_KEY=$(cat data/admin.key) bash bench/wrk/run.sh [URL]   (URL default http://127.0.0.1:8080)
set -euo pipefail
url="${1:-${RISKMESH_URL:-http://127.0.0.1:8080}}"
: "${RISKMESH_API_KEY:?set RISKMESH_API_KEY to a key that may read (analyst or above)}"
export RISKMESH_API_KEY
paths="$(mktemp)"
trap 'rm -f "$paths"' EXIT
curl -sf -H "X-Api-Key: $RISKMESH_API_KEY" "$url/api/v1/topology" | python3 -c '
import json, sys
t = json.load(sys.stdin)
for p in t["ports"]: print("/api/v1/ports/" + p["id"])
for c in t["cities"]: print("/api/v1/cities/" + c["id"])
for c in t["countries"]: print("/api/v1/countries/" + c["code"])
' > "$paths"
export RISKMESH_WRK_PATHS="$paths"
echo "$(wc -l < "$paths") paths; warming up 5 s" >&2
wrk -t2 -c64 -d5s -s "$(dirname "$0")/get-mix.lua" "$url" > /dev/null
wrk -t2 -c64 -d20s --latency -s "$(dirname "$0")/get-mix.lua" "$url"
