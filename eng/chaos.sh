#!/usr/bin/env bash
# The chaos and soak suite (docs/reliability.md): a host process with the embedded Kafka cluster and Schema Registry,
# a producer process, consumer-group members and replicated-cache instances in processes of their own; faults at
# moments drawn from a printed seed (kill -9 and restarts, brokers and the registry going away, coordinator outages,
# members joining and leaving, request errors, slow brokers); then the invariants: nothing lost, per-key order,
# everything committed, dead letters exactly the poison, duplicates explained, caches equal to the reference model.
#
#   eng/chaos.sh                                    the short run ./test.sh also runs (about a minute)
#   eng/chaos.sh --seed 19 --no-time-bounds         the same faults and checks as ./test.sh's run
#   eng/chaos.sh --messages 1000000 --minutes 20    the soak (see docs/reliability.md for its latest figures)
#   eng/chaos.sh --help                             every option
#
# Builds the chaos apps first (Release) unless --no-build is given. Exits 0 when every invariant held.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${CHAOS_CONFIGURATION:-Release}
args=()
build=true
for arg in "$@"; do
  if [ "$arg" = --no-build ]; then build=false; else args+=("$arg"); fi
done
if $build; then
  dotnet build eng/chaos/Runner/KafkaTyped.Chaos.csproj -c "$configuration" -nologo -v quiet
fi
exec dotnet exec "eng/chaos/Runner/bin/$configuration/net10.0/KafkaTyped.Chaos.dll" run ${args[@]+"${args[@]}"}
