#!/usr/bin/env bash
# Runs every test: builds the solution (warnings are errors), checks the package layout, then runs all test projects.
# Installs kcat (the interop tests' independent Kafka client) first if it is missing. Extra arguments go to `dotnet test` (for example --filter).
set -euo pipefail
cd "$(dirname "$0")"
eng/install-test-deps.sh
dotnet build KafkaTyped.sln -c Release
eng/check-package.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# --blame: should a test host crash, the run names the tests that were running.
dotnet test KafkaTyped.sln -c Release --no-build --blame "$@" 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies, summed from each assembly's "Passed!/Failed!" summary.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' "$log" || status=1
exit $status
