#!/usr/bin/env bash
# Runs every test: builds the solution (warnings are errors), checks the package layout, then runs all test projects.
# Installs missing OS packages first.
set -euo pipefail
cd "$(dirname "$0")"
eng/install-os-deps.sh
dotnet build KafkaTyped.sln -c Release
eng/check-package.sh
dotnet test KafkaTyped.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
