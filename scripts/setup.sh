#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for Tugboat and its tests: apt packages (etcd for
# the etcd driver and HA tests) and npm dependencies. Safe to run repeatedly; quick when done.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to install: ${need[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# An apt-installed etcd may have started a service on the default ports; tests use their own ports.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
