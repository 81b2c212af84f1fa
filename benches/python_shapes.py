"""Python on analysts' tables (issue 14): `chiso.score` on each table shape analysts have, against
the CLI on the same data, and the README quick start. Writes the section "Python on analysts'
tables" of BENCHMARKS.md (replacing it when present) from this run only.

Usage (release builds of the CLI and of the Python module):
    cargo build --release -p chiso-cli
    maturin develop --release            # or: pip install the wheel
    python3 benches/python_shapes.py [--rows 1000000] [--cli target/release/chiso]

Data: `chiso generate --dossiers N --seed 7 --format csv --no-process-log` (CSV is the shape
every dataframe reads back; the process log is left out, the dtypes are the point here). Each
shape is loaded once, untimed (that is the analyst's own read); the time is `chiso.score` on
it (median of 3 in one process). `chiso.read` rows include the read. The CLI time is a fresh
process reading the CSV (median of 3). Every scorecard is checked equal to the CLI's before
it is timed, and the reader each took is shown.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

import chiso

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2026"
AS_OF = "2026-11-20T16:00"
SECTION = "## Python on analysts' tables"


def median_time(f: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def units_of(scorecard: dict[str, Any]) -> str:
    return json.dumps(scorecard["units"], sort_keys=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument(
        "--cli",
        default=str(
            Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "chiso"
        ),
    )
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = ap.parse_args()
    cli = args.cli
    work = Path(tempfile.mkdtemp(prefix="chiso-shapes-"))
    subprocess.run(
        [
            cli,
            "generate",
            "--dossiers",
            str(args.rows),
            "--seed",
            "7",
            "--out",
            str(work),
            "--format",
            "csv",
            "--no-process-log",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    files = {k: work / f"{k}.csv" for k in ("dossiers", "procedures", "units", "petitions")}
    for f in files.values():
        assert f.exists(), f

    cli_cmd = [
        cli,
        "score",
        "--dossiers",
        str(files["dossiers"]),
        "--procedures",
        str(files["procedures"]),
        "--units",
        str(files["units"]),
        "--petitions",
        str(files["petitions"]),
        "--period",
        PERIOD,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]

    def run_cli() -> str:
        return subprocess.run(cli_cmd, check=True, capture_output=True, text=True).stdout

    cli_s, cli_out = median_time(run_cli)
    cli_json = json.loads(cli_out)
    cli_units = units_of(cli_json["scorecard"] if "scorecard" in cli_json else cli_json)
    cli_load = load()

    procedures = chiso.read(files["procedures"], "procedure")
    units = chiso.read(files["units"], "unit")
    petitions = chiso.read(files["petitions"], "petition")

    def score(d: Any) -> chiso.Scorecard:
        return chiso.score(
            d, procedures=procedures, units=units, petitions=petitions, period=PERIOD, as_of=AS_OF
        )

    csv = files["dossiers"]
    shapes: list[tuple[str, Callable[[], Any], bool]] = [
        ("pandas `read_csv(dtype=str)`", lambda: pd.read_csv(csv, dtype=str), False),
        ("pandas `read_csv()` (inferred)", lambda: pd.read_csv(csv), False),
        (
            "pandas `read_csv(dtype_backend='pyarrow')`",
            lambda: pd.read_csv(csv, dtype_backend="pyarrow"),
            False,
        ),
        ("polars `read_csv()`", lambda: pl.read_csv(csv), False),
        (
            "polars `read_csv(try_parse_dates=True)`",
            lambda: pl.read_csv(csv, try_parse_dates=True),
            False,
        ),
        ("pyarrow `csv.read_csv()`", lambda: pacsv.read_csv(csv), False),
        ("`chiso.read(csv)` + score (read timed)", lambda: None, True),
        (
            "generator table (`chiso.generate(...).dossiers`)",
            lambda: chiso.generate(args.rows, seed=7).dossiers,
            False,
        ),
        (
            "generator table without its `steps` column (process log: see note)",
            lambda: pa.table(chiso.generate(args.rows, seed=7).dossiers).drop_columns(["steps"]),
            False,
        ),
    ]
    rows = []
    for name, make, read_timed in shapes:
        data = make()
        if read_timed:
            s, card = median_time(lambda: score(chiso.read(csv)))
        else:
            s, card = median_time(lambda d=data: score(d))
        same = "—"
        if "generator" not in name:
            same = "yes" if units_of(json.loads(card.to_json())["scorecard"]) == cli_units else "NO"
        rows.append(
            (name, s, card.accounting["reader"], card.accounting.get("reader_note"), same, load())
        )
        del data

    # The README quick start: generate 40,000 dossiers, hand them to pandas, score.
    def quick() -> chiso.Scorecard:
        sample = chiso.generate(40_000, seed=7)
        return chiso.score(
            sample.dossiers.to_pandas(),
            procedures=sample.procedures,
            units=sample.units,
            petitions=sample.petitions,
            period="2026",
            as_of=sample.as_of,
        )

    quick_s, quick_card = median_time(quick)
    gen_s, sample = median_time(lambda: chiso.generate(40_000, seed=7))
    frame = sample.dossiers.to_pandas()
    score_s, _ = median_time(
        lambda: chiso.score(
            frame,
            procedures=sample.procedures,
            units=sample.units,
            petitions=sample.petitions,
            period="2026",
            as_of=sample.as_of,
        )
    )

    bare = frame.drop(columns=["steps"])
    bare_s, _ = median_time(
        lambda: chiso.score(
            bare,
            procedures=sample.procedures,
            units=sample.units,
            petitions=sample.petitions,
            period="2026",
            as_of=sample.as_of,
        )
    )

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    head = "| Python s | CLI s | Python / CLI | reader | = CLI | load (1, 5, 15 min) |"
    lines = [
        SECTION,
        "",
        f"Written by `benches/python_shapes.py` from one run ({stamp}, "
        f"commit `{commit}`, {os.cpu_count()} cores). `uptime` at the end: `{uptime}` — the "
        "machine may be shared with other builds (the load average is given for each row).",
        "",
        f"Command: `cargo build --release -p chiso-cli && maturin develop --release && "
        f"python3 benches/python_shapes.py --rows {args.rows}`",
        "",
        f"Data: `chiso generate --dossiers {args.rows} --seed 7 --format csv --no-process-log`; "
        f"`--period {PERIOD} --as-of {AS_OF}`. Python time: `chiso.score` on the table already "
        "loaded (median of 3); the CLI: `chiso score --format json` on the CSV, a fresh process, "
        "median of 3. \"= CLI\": every unit's scorecard equal to the CLI's JSON.",
        "",
        f"| shape ({args.rows:,} dossiers) {head}",
        "|---|---|---|---|---|---|---|",
        f"| CLI `chiso score` (CSV) | — | {cli_s:.3f} | 1.00 | — | — | {cli_load} |",
    ]
    for name, s, reader, note, same, ld in rows:
        r = reader if not note else f"{reader} ({note})"
        lines.append(f"| {name} | {s:.3f} | {cli_s:.3f} | {s / cli_s:.2f} | {r} | {same} | {ld} |")
    lines += [
        "",
        f"README quick start (40,000 dossiers: `chiso.generate` → `.to_pandas()` → `chiso.score`): "
        f"**{quick_s:.3f} s** in all (median of 3; generate {gen_s:.3f} s, score of the pandas "
        f"frame {score_s:.3f} s; reader {quick_card.accounting['reader']}); load {load()}. "
        f"The same frame without its `steps` column scores in {bare_s:.3f} s.",
        "",
        '"= CLI: NO" rows: the dataframe\'s own type inference read procedure codes such as '
        "`2.001040` as the float 2.00104, so they no longer match the catalogue; the row reader "
        "scores those frames exactly as the columnar path does (tests/python/test_shapes.py "
        "checks both on every shape).",
        "",
        "Note: the generator's tables carry the process log (`steps`, JSON text), which scoring "
        "never parses (DATA-MODEL.md §1); the row without it shows what the column costs.",
        "",
    ]
    section = "\n".join(lines)
    out = Path(args.out)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if SECTION in text:
        head, rest = text.split(SECTION, 1)
        nxt = rest.find("\n## ")
        text = head + section + (rest[nxt + 1 :] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
