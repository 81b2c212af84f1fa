"""The live scoreboard's benchmarks (issue 15) in one run: `cargo bench -p chiso --bench live`
(replay from columns and from records, re-scoring after each batch, bytes per tracked dossier,
`advance` with 1 M open dossiers, the scorecard of a 150-unit province, snapshot save / load)
and the throughput of `chiso watch --format jsonl` on a `chiso generate --events` stream.
Prints a Markdown section "## Live scoreboard"; with `--out BENCHMARKS.md` also puts it there
(replacing the section with that heading, else appended).

    python3 benches/run_live.py --chiso $CARGO_TARGET_DIR/release/chiso \\
        --dossiers 10000000 --watch-dossiers 1000000 [--out BENCHMARKS.md]

`--dossiers` sizes the bench (CHISO_LIVE_DOSSIERS; 10 M is ~25 M records, under ~6 GB);
`--watch-dossiers` the JSON Lines stream replayed through `chiso watch` (data clock, batches of
10,000, output to /dev/null). `--smoke` runs the bench as a test (debug build, one pass, no
Criterion timings) to check the script end to end without a release build.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/chiso-live-bench"
HEADING = "## Live scoreboard"

# Criterion's result lines: the benchmark's id, then "time: [low estimate high]".
CRITERION = re.compile(r"^(\S+)\s*\n?\s+time:\s+\[\S+ \S+ (\S+ \S+) \S+ \S+\]", re.M)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_bench(dossiers: int, smoke: bool) -> tuple[dict[str, str], dict[str, str], float]:
    """`cargo bench` (or `cargo test` when smoke): its `live-result:` lines and Criterion's
    middle estimates by benchmark id, and the wall time."""
    env = dict(os.environ, CHISO_LIVE_DOSSIERS=str(dossiers))
    cmd = ["cargo", "test" if smoke else "bench", "-p", "chiso", "--bench", "live"]
    t = time.time()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.time() - t
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode})")
    results = dict(
        line.split(": ", 1)[1].split("=", 1)
        for line in (p.stdout + p.stderr).splitlines()
        if line.startswith("live-result: ") and "=" in line
    )
    times = {m.group(1): m.group(2) for m in CRITERION.finditer(p.stdout)}
    return results, times, wall


# What makes the lifecycle stream: the sample generator, the lifecycle and the JSON Lines writers.
STREAM_MAKERS = ["crates/chiso-io/src/sample*.rs", "crates/chiso/src/live/lifecycle.rs",
                 "crates/chiso-io/src/live/*.rs", "crates/chiso-io/src/write/*.rs"]


def stream_dir(dossiers: int) -> str:
    """The stream's folder, named by a hash of the code that makes it: a stream made by older
    code is never reused."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from run_peers import source_key

    key = source_key(STREAM_MAKERS, f"dossiers={dossiers} seed=7")
    return os.path.join(WORK, f"{dossiers}-{key}")


def run_watch(chiso: str, dossiers: int) -> dict[str, float]:
    """`chiso watch --format jsonl` over a generated lifecycle stream: records/s and wall time."""
    data = stream_dir(dossiers)
    events = os.path.join(data, "events.jsonl")
    if not os.path.exists(events):
        subprocess.run([chiso, "generate", "--dossiers", str(dossiers), "--seed", "7", "--events",
                        "--no-process-log", "--out", data], check=True, capture_output=True)
    with open(events, "rb") as f:
        records = sum(1 for _ in f)
    cmd = [chiso, "watch", "--dossiers", events,
           "--procedures", os.path.join(data, "procedures.jsonl"),
           "--units", os.path.join(data, "units.jsonl"),
           "--period", "2026", "--clock", "data", "--format", "jsonl", "--batch", "10000"]
    t = time.time()
    with open(os.devnull, "w") as null:
        p = subprocess.run(cmd, stdout=null, stderr=subprocess.PIPE, text=True)
    wall = time.time() - t
    if p.returncode != 0:
        raise SystemExit(f"chiso watch failed: {p.stderr[-2000:]}")
    return {"records": records, "wall": wall, "per_s": records / wall}


def find(times: dict[str, str], *parts: str) -> str:
    """The estimate of the benchmark whose id contains every part, or a dash."""
    for k, v in times.items():
        if all(p in k for p in parts):
            return v
    return "–"


def find_exact(times: dict[str, str], key: str) -> str:
    """The estimate of the benchmark with exactly this id, or a dash."""
    return times.get(key, "–")


def section(a: argparse.Namespace, r: dict[str, str], times: dict[str, str], bench_wall: float,
            w: dict[str, float] | None) -> str:
    n = int(r.get("dossiers", a.dossiers))
    rows = int(r.get("records", 0))
    kind = "smoke run (debug build, no Criterion timings)" if a.smoke else "release"
    lines = [
        HEADING,
        "",
        f"`python3 benches/run_live.py --dossiers {a.dossiers} --watch-dossiers "
        f"{a.watch_dossiers}` ({kind}); {platform.machine()}, {os.cpu_count()} cores, "
        f"load {load()} at the end; bench wall time {bench_wall:.0f} s.",
        "",
        f"Replay of {n:,} dossiers' lifecycle stream ({rows:,} records) in batches of 10,000, "
        "the clock moved to the batch's last sync before the batch is applied (as `chiso watch "
        "--clock data` does), the scorecard read after each batch (one core):",
        "",
        "| path | time | records/s |",
        "|---|---:|---:|",
        f"| live, from columns (Arrow batches' form) | {r.get('replay_columns_s', '–')} s | "
        f"{int(float(r.get('replay_columns_records_per_s', 0))):,} |",
        f"| live, from records | {r.get('replay_records_s', '–')} s | "
        f"{int(float(r.get('replay_records_records_per_s', 0))):,} |",
        "| live, from columns, each batch applied before the clock moves (most records judged "
        "twice) | – | "
        f"{int(float(r.get('replay_columns_upsert_first_records_per_s', 0))):,} |",
    ]
    if "rescore_s" in r:
        every = r.get("rescore_every", "1")
        note = "" if every == "1" else f" (every {every}th batch timed, scaled)"
        per_s = rows / max(float(r["rescore_s"]), 1e-9)
        lines.append(f"| re-scoring everything after each batch{note} | {r['rescore_s']} s | "
                     f"{int(per_s):,} |")
        lines += ["", f"Re-scoring takes **{r.get('rescore_over_live_columns', '–')}×** "
                      "the live scoreboard's time."]
    lines += [
        "",
        "| measure | value |",
        "|---|---:|",
        f"| bytes per tracked dossier beyond its id, 1 M open dossiers | "
        f"{r.get('open_1m_bytes_per_dossier', '–')} (+{r.get('open_1m_id_bytes_per_dossier', '–')}"
        " id bytes) |",
        f"| bytes per tracked dossier after the replay (tallies and slack included) | "
        f"{r.get('replay_bytes_per_dossier', '–')} |",
        f"| `advance` 1 minute, 1 M open dossiers | {find(times, 'advance', '1_minute')} |",
        f"| `advance` 1 hour, 1 M open dossiers | {find(times, 'advance', '1_hour')} |",
        f"| `scorecard` of the 150-unit province ({n:,} dossiers), after the replay | "
        f"{find_exact(times, f'scorecard_150_units_catalogue_2000/live_{n}_dossiers')} |",
        "| the same, after the re-scoring comparison ran in the process (allocator's heap "
        "churned) | "
        f"{find(times, 'scorecard_150', 'after_rescoring')} |",
        "| scoring alone from a ready tally (floor) | "
        f"{find(times, 'scorecard_150', 'score_only')} |",
        f"| `load` of a 1 M-dossier snapshot ({int(r.get('snapshot_1m_bytes', 0)):,} bytes) | "
        f"{find(times, 'load_1m')} |",
        f"| `save` of it (to bytes) | {find(times, 'save_1m')} |",
    ]
    if w:
        lines += [
            "",
            f"`chiso watch --format jsonl --clock data` on `chiso generate --events` "
            f"({a.watch_dossiers:,} dossiers, {int(w['records']):,} JSON Lines records): "
            f"{w['wall']:.1f} s, **{int(w['per_s']):,} records/s**.",
        ]
    return "\n".join(lines).rstrip() + "\n"


def put_section(path: str, text_section: str) -> None:
    """Replaces the section whose heading line is HEADING (or starts with it and a space) in a
    Markdown file, or appends it."""
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines)
                  if line == HEADING or line.startswith(HEADING + " ")), None)
    if start is None:
        text = text.rstrip() + "\n\n" + text_section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
                   len(lines))
        rest = "\n".join(lines[end:])
        text = "\n".join(lines[:start]) + "\n" + text_section + ("\n" + rest if rest else "")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chiso", required=True, help="the CLI binary (release for real numbers)")
    ap.add_argument("--dossiers", type=int, default=1_000_000, help="bench size")
    ap.add_argument("--watch-dossiers", type=int, default=1_000_000)
    ap.add_argument("--smoke", action="store_true", help="debug test run, no timings")
    ap.add_argument("--skip-bench", action="store_true")
    ap.add_argument("--skip-watch", action="store_true")
    ap.add_argument("--out", help="a Markdown file to put the section in")
    a = ap.parse_args()

    r, times, wall = ({}, {}, 0.0) if a.skip_bench else run_bench(a.dossiers, a.smoke)
    w = None if a.skip_watch else run_watch(a.chiso, a.watch_dossiers)
    text = section(a, r, times, wall, w)
    sys.stdout.write(text)
    if a.out:
        put_section(a.out, text)


if __name__ == "__main__":
    main()
