#!/usr/bin/env bash
# Brings up a Tugboat cluster on this machine (README's first command): installs what is
# missing, builds, and runs `tug server` in the foreground with its state in
# /var/lib/tugboat/server (override with TUG_DATA_DIR). Ctrl-C stops it; state is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npm run --silent build
exec node bin/tug.js server --data-dir "${TUG_DATA_DIR:-/var/lib/tugboat/server}" --listen "${TUG_LISTEN:-127.0.0.1:6443}" "$@"
