#!/usr/bin/env bash
# Refreshes the web console screenshots in docs/console/ (shown in the README): runs the console's browser tests
# (headless Chromium through Playwright, after the April 2020 scenario), which save each role's main page there.
# For pages of a host you run yourself, signed in with your key: node scripts/console-screenshot.mjs (README, Web console).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RISKMESH_CHROMIUM="${RISKMESH_CHROMIUM:-/usr/bin/chromium}"
export RISKMESH_SCREENSHOTS_DIR="$PWD/docs/console"
dotnet build tests/RiskMesh.FunctionalTests -c Release
dotnet test tests/RiskMesh.FunctionalTests -c Release --no-build --filter "FullyQualifiedName~ConsoleBrowserTests"
ls -l docs/console
