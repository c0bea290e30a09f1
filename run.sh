#!/usr/bin/env bash
# Runs the main sample (samples/RealtimeCache) on the embedded Kafka cluster. Installs missing OS packages first.
# Extra arguments go to the sample.
set -euo pipefail
cd "$(dirname "$0")"
eng/install-os-deps.sh
exec dotnet run --project samples/RealtimeCache -c Release -- "$@"
