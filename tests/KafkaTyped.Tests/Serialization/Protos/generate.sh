#!/usr/bin/env bash
# Regenerates the checked-in protoc C# output used by the Serialization and SchemaRegistry tests.
# The generated files are committed so the build does not need protoc; rerun this after editing a .proto here.
# Uses Debian's protoc 3.21 (apt-get install protobuf-compiler). orders_v2.proto redefines orders.proto's types, so
# each file is compiled on its own (C# descriptors have no global pool; duplicates across files are fine there).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf Generated && mkdir Generated
for file in orders.proto orders_v2.proto common/money.proto payments.proto; do
  protoc --proto_path=. --csharp_out=Generated --csharp_opt=file_extension=.g.cs "$file"
done
