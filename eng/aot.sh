#!/usr/bin/env bash
# Native AOT, end to end: publishes samples/AotWorker with PublishAot for linux-x64, fails on any trim or AOT warning
# that comes from KafkaTyped or from the code its generator wrote into the worker, fails on a dependency warning that
# docs/native-aot.md does not list yet, then runs the native executable on the embedded Kafka cluster (produce, handle,
# dead-letter, replicated cache) and fails unless every check of the run held.
#
#   eng/aot.sh                 publish and run once (what CI runs; a few minutes, mostly the AOT compiler)
#   eng/aot.sh --measure [N]   also publish the same worker for the JIT and run both N times (default 5) in turn
#                              (ABBA...), printing start-up to first handled message, peak RSS and sizes, with medians
#
# Native AOT needs a C toolchain for the final link: clang and zlib's development files. They are installed here with
# apt-get as root or through password-less sudo; without those rights the script stops and prints the command to run.
# Output goes to artifacts/aot/ (published apps, logs).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
project="$root/samples/AotWorker/AotWorker.csproj"
out="$root/artifacts/aot"
rid=linux-x64
measure=0
repeats=5
if [ "${1:-}" = "--measure" ]; then
  measure=1
  repeats=${2:-5}
elif [ $# -gt 0 ]; then
  echo "usage: eng/aot.sh [--measure [repeats]]" >&2
  exit 2
fi

# The trim and AOT warnings of dependencies, each explained in docs/native-aot.md ("Warnings from dependencies"):
# "code member-prefix", matched against the warning's code and the member it names.
known_dependency_warnings=(
  "IL2067 Confluent.Kafka.Impl.Librdkafka.SetDelegates"
  "IL2091 Confluent.Kafka.Internal.Util.Marshal.PtrToStructure"
  "IL2026 Confluent.Kafka.Internal.OAuthBearer.Aws.AwsAutoWireDispatcher.ResolveCreateHandler"
  "IL2075 Confluent.Kafka.Internal.OAuthBearer.Aws.AwsAutoWireDispatcher.ResolveCreateHandler"
)

install_toolchain() {
  local missing=()
  command -v clang >/dev/null 2>&1 || missing+=(clang)
  # The linker takes -lz (System.IO.Compression's native part).
  if ! { [ -e /usr/include/zlib.h ] || dpkg -s zlib1g-dev >/dev/null 2>&1; }; then missing+=(zlib1g-dev); fi
  [ ${#missing[@]} -eq 0 ] && return 0
  "$root/eng/apt-install.sh" "Native AOT needs a C toolchain for its final link" "${missing[@]}"
}

# Prints the trim/AOT warnings of a publish log, one per line as "CODE MEMBER: message", without MSBuild's project suffix.
warnings_of() {
  grep -E '(warning|error) IL[0-9]{4}' "$1" \
    | sed -E 's/ \[[^]]*\.csproj\]$//; s/^.*(warning|error) (IL[0-9]{4}): /\2 /' \
    | sort -u
}

publish_native() {
  local log="$out/publish-native.log"
  echo "== dotnet publish (Native AOT, $rid): log in ${log#"$root"/}"
  rm -rf "$out/native"
  local started=$SECONDS
  # PublishAot comes from the project file: as a global property it would reach the netstandard2.0 Roslyn projects.
  if ! dotnet publish "$project" -c Release -r "$rid" -o "$out/native" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "FAILED: the Native AOT publish failed (log: $log)" >&2
    exit 1
  fi
  echo "   published in $((SECONDS - started)) s"

  local ours=() unknown=() known=()
  while IFS= read -r warning; do
    [ -n "$warning" ] || continue
    # KafkaTyped's assemblies and the worker (where the generated code lives): none allowed.
    if [[ "$warning" == *KafkaTyped* || "$warning" == *AotWorker* ]]; then
      ours+=("$warning")
      continue
    fi
    local code=${warning%% *} rest=${warning#* } matched=0
    for entry in "${known_dependency_warnings[@]}"; do
      if [ "$code" = "${entry%% *}" ] && [[ "$rest" == "${entry#* }"* ]]; then matched=1; fi
    done
    if [ $matched -eq 1 ]; then known+=("$warning"); else unknown+=("$warning"); fi
  done < <(warnings_of "$log")

  echo "   dependency warnings documented in docs/native-aot.md: ${#known[@]}"
  if [ ${#ours[@]} -gt 0 ]; then
    printf '   %s\n' "${ours[@]}" >&2
    echo "FAILED: ${#ours[@]} trim/AOT warning(s) from KafkaTyped or its generated code (above); fix them, do not suppress them blindly" >&2
    exit 1
  fi
  if [ ${#unknown[@]} -gt 0 ]; then
    printf '   %s\n' "${unknown[@]}" >&2
    echo "FAILED: ${#unknown[@]} new trim/AOT warning(s) from a dependency (above): find out whether they matter, list them in docs/native-aot.md and in known_dependency_warnings of eng/aot.sh" >&2
    exit 1
  fi
  echo "   no trim or AOT warning from KafkaTyped or generated code"
}

publish_jit() {
  local log="$out/publish-jit.log"
  echo "== dotnet publish (JIT, framework-dependent, $rid): log in ${log#"$root"/}"
  rm -rf "$out/jit"
  # The JIT build of the same worker: no PublishAot, so also none of the feature switches it sets.
  if ! dotnet publish "$project" -c Release -r "$rid" --self-contained false -p:PublishAot=false -o "$out/jit" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "FAILED: the JIT publish failed (log: $log)" >&2
    exit 1
  fi
}

# Runs one build once; prints its AOTWORKER line followed by the wall time, or fails with its output.
run_once() {
  local kind=$1 log="$out/run-$1.log" started ended
  started=$(date +%s%N)
  if ! timeout 300 "$out/$kind/AotWorker" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "FAILED: the $kind worker did not complete its run (log: $log)" >&2
    exit 1
  fi
  ended=$(date +%s%N)
  local line
  line=$(grep '^AOTWORKER OK ' "$log" || true)
  if [ -z "$line" ]; then
    tail -n 40 "$log" >&2
    echo "FAILED: the $kind worker exited without its AOTWORKER OK line (log: $log)" >&2
    exit 1
  fi
  echo "$line wall-ms=$(((ended - started) / 1000000))"
}

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

range() { sort -n | awk 'NR == 1 { min = $1 } { max = $1 } END { print min "–" max }'; }

# Bytes of what a deployment ships: the publish folder without symbols (.dbg, .pdb) and XML docs.
deployed_bytes() { find "$1" -type f ! -name '*.dbg' ! -name '*.pdb' ! -name '*.xml' -printf '%s\n' | awk '{ s += $1 } END { print s }'; }

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

mkdir -p "$out"
install_toolchain
publish_native

echo "== run (Native AOT, embedded cluster)"
line=$(run_once native)
echo "   $line"
[[ "$line" == *"runtime=native-aot"* ]] || { echo "FAILED: the published executable did not run as Native AOT" >&2; exit 1; }

if [ $measure -eq 1 ]; then
  publish_jit
  echo "== $repeats runs of each, alternated (ABBA...), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  : >"$out/measure.txt"
  for ((i = 1; i <= repeats; i++)); do
    if ((i % 2)); then order="native jit"; else order="jit native"; fi
    for kind in $order; do
      line=$(run_once "$kind")
      echo "   $kind: $line"
      echo "$kind $line" >>"$out/measure.txt"
    done
  done
  echo "   load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

  echo
  echo "| Build | Start-up to first handled message, ms | Peak RSS, MiB | Whole run (wall), ms | Executable / managed code | Deployed files (incl. 3 librdkafka builds) |"
  echo "|---|---|---|---|---|---|"
  for kind in jit native; do
    startup=$(grep "^$kind " "$out/measure.txt" | while read -r l; do field startup-to-first-handled-ms "$l"; done)
    rss=$(grep "^$kind " "$out/measure.txt" | while read -r l; do field peak-rss-mb "$l"; done)
    wall=$(grep "^$kind " "$out/measure.txt" | while read -r l; do field wall-ms "$l"; done)
    if [ "$kind" = native ]; then
      code=$(stat -c %s "$out/native/AotWorker")
      label="Native AOT"
    else
      code=$(find "$out/jit" -name '*.dll' -printf '%s\n' | awk '{ s += $1 } END { print s }')
      label="JIT (framework-dependent; the shared runtime is extra)"
    fi
    echo "| $label | $(median <<<"$startup") ($(range <<<"$startup")) | $(median <<<"$rss") ($(range <<<"$rss")) | $(median <<<"$wall") ($(range <<<"$wall")) | $(mib "$code") MiB | $(mib "$(deployed_bytes "$out/$kind")") MiB |"
  done
fi

echo "OK: Native AOT publish has no KafkaTyped warning, and the native worker ran end to end"
