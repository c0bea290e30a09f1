#!/usr/bin/env bash
# Installs the OS packages KafkaTyped needs, only those missing: librdkafka1 (the native Kafka client),
# kcat (an independent Kafka client for interop tests) and protobuf-compiler (protoc, for byte-compatibility tests).
# Idempotent. Without root or password-less sudo it prints the exact command to run and fails.
set -euo pipefail

missing=()
if ! { ldconfig -p 2>/dev/null | grep -q 'librdkafka\.so\.1'; } && [ ! -e /usr/lib/x86_64-linux-gnu/librdkafka.so.1 ] && [ ! -e /usr/lib/aarch64-linux-gnu/librdkafka.so.1 ]; then
  missing+=(librdkafka1)
fi
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)

[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "KafkaTyped needs: ${missing[*]} (librdkafka, kcat, protoc). This script installs them with apt-get (Debian/Ubuntu);" >&2
  echo "on macOS run: brew install librdkafka kcat protobuf" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "KafkaTyped needs the OS packages: ${missing[*]}. Install them once with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing OS packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; refresh them once, then install.
if ! "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi
