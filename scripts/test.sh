#!/usr/bin/env bash
# The one test command: installs what it needs and runs every Rust and Python test.
# Usage: bash scripts/test.sh        (from the repository root; CI runs exactly this)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# One clean build: incremental state would only cost disk (1.3 GB) and time.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
# Space left for the build, printed so that a link failing for want of disk is recognised.
echo "== disk free where the build goes: $(df -h . | awk 'NR==2 {print $4}')"
# Tests write scratch files to the temp folder (~100 MB a run, named by process id): keep them
# beside the build, cleared at the start and removed when every test passed, not left in a
# shared /tmp run after run.
export TMPDIR="${CARGO_TARGET_DIR:-$PWD/target}/test-tmp"
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"

# The HTML report is checked in headless Chromium: install it where we can (Debian, as root),
# and then require the check rather than let it skip.
if ! command -v chromium-headless-shell >/dev/null 2>&1 && ! command -v chromium >/dev/null 2>&1 \
   && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing chromium-headless-shell (HTML report test)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null) \
    || echo "could not install Chromium: the HTML report test will say it skipped"
fi
if command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1; then
  export CHISO_REQUIRE_CHROMIUM=1
fi

echo "== Rust: formatting, lints, module cycles"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
python3 scripts/module_cycles.py

echo "== Rust: API documentation builds without warnings (broken links, bad examples)"
# The library crates only: the CLI binary is also named chiso (a doc output collision), and the
# Python glue is not a Rust API.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet -p chiso -p chiso-calendar -p chiso-io

echo "== Rust: every crate's unit, integration and property tests"
cargo test --workspace --all-targets
# (--all-targets leaves out the documentation examples: run them too)
cargo test --workspace --doc

if [ -f pyproject.toml ]; then
  echo "== Python: fresh venv, wheel, pytest"
  bash scripts/python-tests.sh
fi
rm -rf "$TMPDIR"
echo "== all tests passed"
