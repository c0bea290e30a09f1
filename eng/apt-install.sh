#!/usr/bin/env bash
# Installs Debian/Ubuntu packages the repository's scripts need from the OS, with apt-get as root or through
# password-less sudo; without those rights it prints the exact command to run once and fails.
#   eng/apt-install.sh "<who needs them, and why>" package...
# The caller checks what is missing first, so an installed machine never gets here.
set -euo pipefail

why=$1
shift
command="sudo apt-get update && sudo apt-get install -y $*"

if ! command -v apt-get >/dev/null 2>&1; then
  echo "$why: $*. This script installs them with apt-get (Debian/Ubuntu); elsewhere install them with your package manager." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "$why: $*. Install them once with:" >&2
  echo "  $command" >&2
  exit 1
fi

echo "Installing $* ($why)"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; refresh them once, then install.
if ! "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "$@"
fi
