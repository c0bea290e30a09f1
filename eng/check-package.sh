#!/usr/bin/env bash
# Packs src/Framework and checks that the one KafkaTyped package carries the runtime for both target frameworks (with
# the .proto library it uses) and the generator, analyzers and code fixes with their dependencies under
# analyzers/dotnet/cs (the compiler loads an analyzer's dependencies from the same folder).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet pack src/Framework/KafkaTyped.csproj -c Release --no-build -o "$out" >/dev/null
pkg=$(ls "$out"/KafkaTyped.*.nupkg)
contents=$(python3 -c "import zipfile,sys; print('\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))" "$pkg")
status=0
for f in lib/net8.0/KafkaTyped.dll lib/net10.0/KafkaTyped.dll lib/net8.0/KafkaTyped.SchemaModel.dll lib/net10.0/KafkaTyped.SchemaModel.dll \
         analyzers/dotnet/cs/KafkaTyped.Generators.dll analyzers/dotnet/cs/KafkaTyped.Analyzers.dll analyzers/dotnet/cs/KafkaTyped.CodeFixes.dll \
         analyzers/dotnet/cs/KafkaTyped.Roslyn.dll analyzers/dotnet/cs/KafkaTyped.SchemaModel.dll \
         buildTransitive/KafkaTyped.props; do
  if ! grep -qx "$f" <<<"$contents"; then
    echo "package check: $(basename "$pkg") lacks $f" >&2
    status=1
  fi
done
# The analyzer side must never load the runtime or Confluent.Kafka into the compiler.
if grep -qx "analyzers/dotnet/cs/KafkaTyped.dll\|analyzers/dotnet/cs/Confluent.Kafka.dll" <<<"$contents"; then
  echo "package check: analyzers/dotnet/cs carries the runtime or Confluent.Kafka" >&2
  status=1
fi
[ $status -eq 0 ] && echo "package check: $(basename "$pkg") carries the runtime (net8.0, net10.0) and the generator, analyzers and code fixes with their dependencies"
exit $status
