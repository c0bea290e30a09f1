#!/usr/bin/env bash
# Packs src/Framework and checks that the one KafkaTyped package carries the runtime for both target frameworks (with
# the .proto library it uses) and the generator, analyzers and code fixes with their dependencies under
# analyzers/dotnet/cs (the compiler loads an analyzer's dependencies from the same folder), and depends on neither
# Confluent.SchemaRegistry nor Newtonsoft.Json. Packs the KafkaTyped.SchemaRegistry.Confluent adapter, KafkaTyped.Testing,
# KafkaTyped.Templates and the KafkaTyped.Cli tool too and checks their layout.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet pack src/Framework/KafkaTyped.csproj -c Release --no-build -o "$out" >/dev/null
dotnet pack src/SchemaRegistry.Confluent/KafkaTyped.SchemaRegistry.Confluent.csproj -c Release --no-build -o "$out" >/dev/null
dotnet pack src/Testing/KafkaTyped.Testing.csproj -c Release --no-build -o "$out" >/dev/null
dotnet pack src/Templates/KafkaTyped.Templates.csproj -c Release --no-build -o "$out" >/dev/null
dotnet pack src/Cli/KafkaTyped.Cli.csproj -c Release --no-build -o "$out" >/dev/null
status=0

# check PACKAGE FILE... : every listed file must be in the package.
check() {
  local pkg=$1; shift
  local contents
  contents=$(python3 -c "import zipfile,sys; print('\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))" "$pkg")
  for f in "$@"; do
    if ! grep -qx "$f" <<<"$contents"; then
      echo "package check: $(basename "$pkg") lacks $f" >&2
      status=1
    fi
  done
}

# The dependency ids a package's .nuspec declares.
dependencies() {
  python3 -c "import zipfile,sys,re; z=zipfile.ZipFile(sys.argv[1]); n=[x for x in z.namelist() if x.endswith('.nuspec')][0]; print('\n'.join(sorted(set(re.findall(r'<dependency id=\"([^\"]+)\"', z.read(n).decode())))))" "$1"
}

# The package types a package's .nuspec declares (DotnetTool, Template; none for a library).
package_types() {
  python3 -c "import zipfile,sys,re; z=zipfile.ZipFile(sys.argv[1]); n=[x for x in z.namelist() if x.endswith('.nuspec')][0]; print('\n'.join(re.findall(r'<packageType name=\"([^\"]+)\"', z.read(n).decode())))" "$1"
}

core=$(ls "$out"/KafkaTyped.0*.nupkg)
adapter=$(ls "$out"/KafkaTyped.SchemaRegistry.Confluent.*.nupkg)
testing=$(ls "$out"/KafkaTyped.Testing.*.nupkg)
templates=$(ls "$out"/KafkaTyped.Templates.*.nupkg)
cli=$(ls "$out"/KafkaTyped.Cli.*.nupkg)
check "$core" lib/net8.0/KafkaTyped.dll lib/net10.0/KafkaTyped.dll lib/net8.0/KafkaTyped.SchemaModel.dll lib/net10.0/KafkaTyped.SchemaModel.dll \
  analyzers/dotnet/cs/KafkaTyped.Generators.dll analyzers/dotnet/cs/KafkaTyped.Analyzers.dll analyzers/dotnet/cs/KafkaTyped.CodeFixes.dll \
  analyzers/dotnet/cs/KafkaTyped.Roslyn.dll analyzers/dotnet/cs/KafkaTyped.SchemaModel.dll \
  buildTransitive/KafkaTyped.props
check "$adapter" lib/net8.0/KafkaTyped.SchemaRegistry.Confluent.dll lib/net10.0/KafkaTyped.SchemaRegistry.Confluent.dll
check "$testing" lib/net8.0/KafkaTyped.Testing.dll lib/net10.0/KafkaTyped.Testing.dll README.md
check "$templates" content/kafkatyped-worker/.template.config/template.json content/kafkatyped-cache/.template.config/template.json \
  content/kafkatyped-api/.template.config/template.json README.md
# The tool runs anywhere `dotnet tool install` puts it: its runtime, and librdkafka for the OSes the client supports.
check "$cli" tools/net10.0/any/KafkaTyped.Cli.dll tools/net10.0/any/DotnetToolSettings.xml tools/net10.0/any/KafkaTyped.dll \
  tools/net10.0/any/runtimes/linux-x64/native/librdkafka.so tools/net10.0/any/runtimes/osx-arm64/native/librdkafka.dylib \
  tools/net10.0/any/runtimes/win-x64/native/librdkafka.dll
[ "$(package_types "$templates")" = Template ] || { echo "package check: $(basename "$templates") is not a Template package" >&2; status=1; }
[ "$(package_types "$cli")" = DotnetTool ] || { echo "package check: $(basename "$cli") is not a DotnetTool package" >&2; status=1; }
# The cache template is the RealtimeCache sample, one source: every .cs file of the sample is in it unchanged.
for f in samples/RealtimeCache/*.cs; do
  if ! python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); sys.exit(0 if z.read('content/kafkatyped-cache/RealtimeCache/'+sys.argv[2].split('/')[-1]) == open(sys.argv[2],'rb').read() else 1)" "$templates" "$f" 2>/dev/null; then
    echo "package check: $(basename "$templates")'s kafkatyped-cache lacks $f or carries another copy of it" >&2
    status=1
  fi
done

# The analyzer side must never load the runtime or Confluent.Kafka into the compiler.
if python3 -c "import zipfile,sys; sys.exit(0 if any(n in ('analyzers/dotnet/cs/KafkaTyped.dll','analyzers/dotnet/cs/Confluent.Kafka.dll') for n in zipfile.ZipFile(sys.argv[1]).namelist()) else 1)" "$core"; then
  echo "package check: analyzers/dotnet/cs carries the runtime or Confluent.Kafka" >&2
  status=1
fi
# Read into variables first: `grep -q` stops reading at its first match, which would break the writer's pipe.
core_dependencies=$(dependencies "$core")
adapter_dependencies=$(dependencies "$adapter")
testing_dependencies=$(dependencies "$testing")
grep -qx KafkaTyped <<<"$testing_dependencies" || { echo "package check: $(basename "$testing") does not depend on KafkaTyped" >&2; status=1; }
if grep -qE '^(Confluent\.SchemaRegistry|Newtonsoft\.Json)$' <<<"$core_dependencies"; then
  echo "package check: $(basename "$core") must not depend on Confluent.SchemaRegistry or Newtonsoft.Json (that is the adapter package's job)" >&2
  status=1
fi
for id in KafkaTyped Confluent.SchemaRegistry; do
  if ! grep -qx "$id" <<<"$adapter_dependencies"; then
    echo "package check: $(basename "$adapter") does not depend on $id" >&2
    status=1
  fi
done

[ $status -eq 0 ] && echo "package check: $(basename "$core") carries the runtime (net8.0, net10.0) and the generator, analyzers and code fixes, without Confluent.SchemaRegistry or Newtonsoft.Json; $(basename "$adapter") carries the adapter; the Testing, Templates and Cli packages have their layout"
exit $status
