#!/usr/bin/env bash
# The whole test suite (README's second command): installs what is missing, builds, then runs
# every *.test.ts under src/, test/ and bench/ with Node's test runner (TypeScript loaded through tsx).
# Pass file paths to run only those.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npm run --silent build
if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(find src test bench web/src -name '*.test.ts' | sort); fi
# A test that hangs fails after 10 minutes instead of eating CI's whole budget.
exec node --import tsx --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "${files[@]}"
