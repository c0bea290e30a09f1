#!/usr/bin/env bash
# Installs what only the OS provides for the tests: kcat, an independent Kafka client the interop tests run against
# the embedded cluster. Nothing else comes from the OS (librdkafka and protoc come from NuGet packages); running an
# application or sample needs nothing from here.
# Idempotent. Without root or password-less sudo it prints the exact command to run and fails.
set -euo pipefail

command -v kcat >/dev/null 2>&1 && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The KafkaTyped tests need kcat (an independent Kafka client). This script installs it with apt-get (Debian/Ubuntu);" >&2
  echo "elsewhere install it yourself, for example: brew install kcat" >&2
  exit 1
fi

exec "$(dirname "$0")/apt-install.sh" "The KafkaTyped tests need kcat (an independent Kafka client)" kcat
