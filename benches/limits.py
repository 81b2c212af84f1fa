#!/usr/bin/env python3
"""Time and peak memory at the stated limits (docs/limits.md), for BENCHMARKS.md.

Runs, each under ``/usr/bin/time -v`` (wall time, maximum resident set size):

1. the core test ``crates/chiso/tests/limits.rs`` in a release build at full size: a unit tree of
   100,000 units and a catalogue of 1,000,000 procedures, one dossier per unit;
2. ``chiso score`` (release) on a CSV whose one cell is 100 MB: refused with one line, the
   reader stopping at the 4 MiB cell limit.

Usage: python3 benches/limits.py [--units N] [--procedures N] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[int, float, float, str]:
    """Exit code, wall seconds, peak RSS in MiB and stderr of `cmd` under /usr/bin/time -v."""
    p = subprocess.run(
        ["/usr/bin/time", "-v", *cmd],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    secs = 0.0
    if wall:
        h, m, s = wall.groups()
        secs = int(h or 0) * 3600 + int(m) * 60 + float(s)
    mib = int(rss.group(1)) / 1024 if rss else float("nan")
    return p.returncode, secs, mib, p.stderr


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--procedures", type=int, default=1_000_000)
    args = ap.parse_args()

    build = ["cargo", "test", "--release", "-p", "chiso", "--test", "limits", "--no-run"]
    out = subprocess.run(build, cwd=ROOT, capture_output=True, text=True)
    exe = re.search(r"Executable tests/limits\.rs \((.+)\)", out.stderr)
    if out.returncode or not exe:
        print(out.stderr, file=sys.stderr)
        return 1
    test = exe.group(1)
    rc, secs, mib, err = timed(
        [test, "--exact", "a_large_unit_tree_and_catalogue_score"],
        {"CHISO_LIMIT_UNITS": str(args.units), "CHISO_LIMIT_PROCEDURES": str(args.procedures)},
    )
    if rc:
        print(err, file=sys.stderr)
        return 1
    print(
        f"| {args.units:,} units, {args.procedures:,} procedures, {args.units:,} dossiers "
        f"(build, score, check) | {secs:.2f} s | {mib:.0f} MiB |"
    )

    out = subprocess.run(["cargo", "build", "--release", "-p", "chiso-cli"], cwd=ROOT)
    if out.returncode:
        return 1
    chiso = target_dir() / "release" / "chiso"
    golden = (ROOT / "tests/golden/input/dossiers.csv").read_text(encoding="utf-8-sig")
    header, row = golden.splitlines()[:2]
    first, rest = row.split(";", 1)
    with tempfile.TemporaryDirectory(prefix="chiso-limits-") as d:
        big = Path(d) / "big.csv"
        with big.open("wb") as f:
            f.write(f"{header}\n{first};".encode())
            chunk = b"x" * (1 << 20)
            for _ in range(100):
                f.write(chunk)
            f.write(f";{rest.split(';', 1)[1]}\n".encode())
        for label, env in (("fast path first", {}), ("row reader", {"CHISO_ROW_PATH": "1"})):
            rc, secs, mib, err = timed(
                [str(chiso), "score", "--dossiers", str(big), "--period", "2026-Q3"], env
            )
            line = err.strip().splitlines()[0] if err.strip() else ""
            print(f"| 100 MB cell, {label}: exit {rc} | {secs:.2f} s | {mib:.0f} MiB | {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
