#!/usr/bin/env bash
# Runs the main sample (samples/RealtimeCache) on the embedded Kafka cluster. Needs nothing from the OS.
# Extra arguments go to the sample.
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project samples/RealtimeCache -c Release -- "$@"
