#!/usr/bin/env bash
# Regenerates ConsumeEvents.cs from consume_events.proto with protoc (apt-get install protobuf-compiler). The output is
# checked in so the tests build without protoc.
set -euo pipefail
cd "$(dirname "$0")"
protoc --csharp_out=. consume_events.proto
