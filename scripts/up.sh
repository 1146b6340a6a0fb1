#!/usr/bin/env bash
# Brings up a Tugboat cluster on this machine (README's first command): installs what is
# missing, builds, and runs `tug up` in the foreground — control plane and one node, state in
# /var/lib/tugboat (override with TUG_DATA_DIR) — until Ctrl-C. Extra arguments go to `tug up`.
# `node bin/tug.js down` removes the cluster from the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npm run --silent build
exec node bin/tug.js up --data-dir "${TUG_DATA_DIR:-/var/lib/tugboat}" "$@"
