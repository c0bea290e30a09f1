#!/usr/bin/env bash
# Regenerates Price.cs from price.proto with protoc (apt-get install protobuf-compiler). The output is checked in so
# the tests build without protoc.
set -euo pipefail
cd "$(dirname "$0")"
protoc --csharp_out=. price.proto
