#!/usr/bin/env bash
# One campaign: ./run.sh TARGET [SECONDS]. Builds (nightly, no sanitizer), seeds, then runs the
# target under nice with bounded inputs (-max_len), a memory cap (-rss_limit_mb=2048) and a
# per-input time limit (-timeout, a hang); the log goes to logs/TARGET.log. Equivalent to
#   cargo +nightly fuzz run -s none TARGET -- -max_total_time=SECONDS -max_len=N ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
t=$1
secs=${2:-600}
case $t in
  period_and_dates) max_len=256 ;;
  portal_capture_json) max_len=8192 ;;
  *) max_len=16384 ;;
esac
target_dir=${CARGO_TARGET_DIR:-$here/target}
if [ -z "${NO_BUILD:-}" ]; then
  (cd "$here" && nice -n 19 cargo +nightly fuzz build -s none --target-dir "$target_dir" "$t")
fi
[ -d "$here/corpus/$t" ] || "$here/seed.sh" >/dev/null
mkdir -p "$here/artifacts/$t" "$here/logs"
nice -n 19 "$target_dir/x86_64-unknown-linux-gnu/release/$t" \
  "$here/corpus/$t" \
  -artifact_prefix="$here/artifacts/$t/" \
  -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb=2048 -timeout=60 \
  -print_final_stats=1 >"$here/logs/$t.log" 2>&1 || true
tail -n 20 "$here/logs/$t.log"
