#!/usr/bin/env bash
# Runs the CI test command (.ci/run) N times in a row while a parallel `dotnet build` loop keeps both cores busy, so the
# suite is shown green on a loaded machine. Stops at the first red run. Usage: eng/stress-test.sh [N] (default 5).
# Each run's log is kept under $STRESS_LOGS (default: a fresh temp folder); the summary prints the load average seen.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
logs=${STRESS_LOGS:-$(mktemp -d -t kafkatyped-stress-XXXX)}
mkdir -p "$logs"

# The load: a copy of the repository rebuilt from scratch over and over (its own obj/bin, so it never races the
# test run's build outputs).
load_tree=$(mktemp -d -t kafkatyped-load-XXXX)
git ls-files -z | xargs -0 -I{} cp --parents {} "$load_tree" 2>/dev/null || true
(
  cd "$load_tree"
  while true; do
    rm -rf src/*/bin src/*/obj
    dotnet build src/Framework/KafkaTyped.csproj -c Debug -nodeReuse:false -p:UseSharedCompilation=false >/dev/null 2>&1 || true
  done
) &
loader=$!
cleanup() {
  # The loop is held still first, then its running build is stopped, then the loop: killed first, the loop's shell
  # would leave its build (no longer its child) running; not held, it would start the next one in between.
  kill -STOP "$loader" 2>/dev/null || true
  pkill -P "$loader" 2>/dev/null || true
  kill "$loader" 2>/dev/null || true
  kill -CONT "$loader" 2>/dev/null || true
  rm -rf "$load_tree"
}
trap cleanup EXIT

# Sample the load average every 10 s for the summary (this invocation's samples only: a reused $STRESS_LOGS folder
# would otherwise mix an earlier run's into it).
: > "$logs/load.txt"
(
  while true; do
    cut -d' ' -f1 /proc/loadavg >> "$logs/load.txt"
    sleep 10
  done
) &
sampler=$!
trap 'kill $sampler 2>/dev/null || true; cleanup' EXIT

status=0
for i in $(seq 1 "$runs"); do
  started=$(date +%s)
  if .ci/run > "$logs/run-$i.log" 2>&1; then
    result=green
  else
    result=red
    status=1
  fi
  elapsed=$(( $(date +%s) - started ))
  summary=$(grep -E '^Tests: ' "$logs/run-$i.log" | tail -1 || true)
  echo "run $i/$runs: $result in ${elapsed}s; ${summary:-no test summary}; log $logs/run-$i.log"
  [ "$result" = red ] && break
done

if [ -s "$logs/load.txt" ]; then
  sort -n "$logs/load.txt" | awk '{ v[NR] = $1; s += $1 } END { printf "load average (1 min) during the runs: min %.2f, median %.2f, max %.2f, mean %.2f over %d samples\n", v[1], v[int((NR + 1) / 2)], v[NR], s / NR, NR }'
fi
exit $status
