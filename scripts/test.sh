#!/usr/bin/env bash
# The one test command: installs what it needs and runs every Rust and Python test.
# Usage: bash scripts/test.sh        (from the repository root; CI runs exactly this)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

echo "== Rust: every crate's unit, integration and property tests"
cargo test --workspace --all-targets

if [ -f pyproject.toml ]; then
  echo "== Python: fresh venv, wheel, pytest"
  bash scripts/python-tests.sh
fi
echo "== all tests passed"
