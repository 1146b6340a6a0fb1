#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for Tugboat and its tests: apt packages and npm
# dependencies. Safe to run repeatedly; quick when done. `tug up` checks the node packages again
# itself (src/cmd/host-packages.ts), so `npx tug up` works without this script too.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
# want PACKAGE [COMMAND-OR-PATH]: install PACKAGE unless dpkg has it (or COMMAND-OR-PATH exists).
want() {
  if [ -n "${2:-}" ] && { command -v "$2" >/dev/null 2>&1 || [ -e "$2" ]; }; then return; fi
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || need+=("$1")
}
# The etcd driver and HA tests.
want etcd-server etcd
# A real node (tug agent / tug up): container runtime, CNI plugins, nftables, iproute2, and what
# the pause and test images are built from (gcc for pause.c, a static busybox).
want containerd
want runc
want containernetworking-plugins
want nftables
want iproute2
want busybox-static
want gcc
want libc6-dev
# The DNS benchmark's peer (bench/dns): dnsmasq without the service that would start with it.
want dnsmasq-base /usr/sbin/dnsmasq
# Tests pull through CRI from a real OCI registry on loopback.
want docker-registry
# The ingress data plane (nginx with the Lua module its endpoint balancer runs on); bench/ingress
# also compares it with an nginx configured by hand.
want nginx /usr/sbin/nginx
want libnginx-mod-http-lua /usr/lib/nginx/modules/ngx_http_lua_module.so
# The dashboard's browser tests (test/dashboard) drive Debian's chromium through playwright-core.
want chromium /usr/bin/chromium
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to install: ${need[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # A freshly installed nginx may have started its own service on port 80, where the ingress
  # controller listens; only that service (found by the package's pid file) is stopped.
  if [[ " ${need[*]} " == *" nginx "* ]] && [ -s /run/nginx.pid ]; then /usr/sbin/nginx -s quit || true; fi
fi
# The unprivileged user the ingress's nginx workers run as (src/agent/ingress/nginx/worker-user.ts;
# without it they use www-data, then nobody): a system user with no home and no shell.
if [ "$(id -u)" = 0 ] && ! id tugboat-ingress >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group tugboat-ingress
fi
# An apt-installed etcd or containerd may have started a service on its default ports or socket;
# tests and tug start their own with their own ports, sockets and state.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
