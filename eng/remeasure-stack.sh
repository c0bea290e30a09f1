#!/usr/bin/env bash
# Runs the same benchmark harness commands in two checkouts, alternating them (ABBA: before, after, after, before, ...)
# so that a shared machine's load falls on both sides alike. Used for docs/performance.md, "Stack upgrade: before and
# after (issue 11)". Both checkouts must already be built (dotnet build -c Release of the three benchmark projects).
#   eng/remeasure-stack.sh BEFORE_DIR AFTER_DIR OUT_DIR [REPEATS=3] [MESSAGES=100000] [CACHE_ENTRIES=300000] [BLOCKS="e2e cache micro"]
# Each block (end to end, cache bootstrap, microbenchmarks) logs /proc/loadavg before and after it in OUT_DIR/load.txt;
# every run's output goes to OUT_DIR/<block>-<side>-<repeat>.txt.
set -euo pipefail

before=$(realpath "$1")
after=$(realpath "$2")
out=$(realpath -m "$3")
repeats=${4:-3}
messages=${5:-100000}
cache_entries=${6:-300000}
blocks=" ${7:-e2e cache micro} "
mkdir -p "$out"

# The microbenchmarks: dispatch per message and a codec subset (serialize and parse, protoc's class vs the generated one).
micro_filter=('*.DispatchBenchmarks.*' '*.CodecBenchmarks.Protoc_ToByteArray' '*.CodecBenchmarks.Generated_ToByteArray'
  '*.CodecBenchmarks.Protoc_Parse_Span' '*.CodecBenchmarks.Generated_Parse_Span')

run_block() {
  local block=$1
  shift
  [[ $blocks == *" $block "* ]] || return 0
  echo "$block start $(date -u +%T) $(cat /proc/loadavg)" | tee -a "$out/load.txt"
  for ((r = 1; r <= repeats; r++)); do
    # ABBA: odd repeats run before then after, even repeats after then before.
    local order=(before after)
    ((r % 2 == 0)) && order=(after before)
    for side in "${order[@]}"; do
      local dir=$before
      [ "$side" = after ] && dir=$after
      echo "  $block $side repeat $r $(date -u +%T)"
      (cd "$dir" && "$@") >"$out/$block-$side-$r.txt" 2>&1
    done
  done
  echo "$block end   $(date -u +%T) $(cat /proc/loadavg)" | tee -a "$out/load.txt"
}

run_block e2e dotnet run -c Release --no-build --project benchmarks/KafkaTyped.EndToEnd -- --messages "$messages" --repeats 1
run_block cache dotnet run -c Release --no-build --project benchmarks/KafkaTyped.CacheHarness -- "$cache_entries" 1 0
run_block micro dotnet run -c Release --no-build --project benchmarks/KafkaTyped.Benchmarks -- \
  --filter "${micro_filter[@]}" --job short --inProcess
