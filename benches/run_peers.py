"""chiso against pandas, polars and DuckDB: same input, same machine, one run; writes BENCHMARKS.md.

    python3 benches/run_peers.py                 # 1 M and 10 M dossiers, everything
    python3 benches/run_peers.py --sizes 1000000 --runs 3 --no-criterion --out /tmp/B.md
    python3 benches/run_peers.py --sizes 1000000,10000000 --shapes log,nolog,wide --big-shapes log

What it does, in order (nothing here is a test; the fast correctness check is
benches/peers/check_small.py):
1. makes its own virtual environment under /tmp/chiso-bench/venv (pandas, polars, duckdb, pyarrow,
   ruff) and re-runs itself inside it;
2. builds the CLI (`cargo build --release -p chiso-cli`, CARGO_TARGET_DIR=/tmp/tgt-bench) and, if
   the repository has the Python package (pyproject.toml), a wheel with maturin into the venv;
3. generates the data under /tmp/chiso-bench/data/<shape>-<N>-<key> (benches/peers/make_data.py),
   where <key> hashes the generator's and writers' sources and the arguments: data made by other
   code is never reused (stale folders of the same shape and size are removed);
4. per size, shape (`log`, `nolog`, `wide`) and format: runs chiso once and each peer once, checks
   every peer's numerators and denominators equal chiso's and its points within 1e-9 (a peer that
   disagrees is reported and not timed);
5. times each engine `--runs` times in a fresh subprocess (wall time; peak RSS from wait4), file
   in -> scorecard out; then `cargo bench -p chiso --bench core` and `cargo bench -p chiso-io
   --bench readers`;
6. writes the report (default BENCHMARKS.md at the repository root) from the measured numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get("CHISO_BENCH_DIR", "/tmp/chiso-bench")
VENV = os.path.join(WORK, "venv")
TARGET = os.environ.get("CARGO_TARGET_DIR", "/tmp/tgt-bench")
PEERS = os.path.join(ROOT, "benches", "peers")
PACKAGES = ["pandas", "polars", "duckdb", "pyarrow", "ruff"]


def in_venv() -> None:
    """Re-executes this script with the venv's Python, creating the venv first if needed."""
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(py):
        os.makedirs(WORK, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q", *PACKAGES], check=True)
    os.execv(py, [py, *sys.argv])


def sh(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("+", shlex.join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine() -> str:
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = next(int(x.split()[1]) for x in f if x.startswith("MemTotal"))
    return (f"{os.cpu_count()} cores ({model}), {mem / 1024 / 1024:.1f} GiB memory, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def measure(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of `cmd` in a fresh subprocess."""
    with open(os.path.join(WORK, "stderr.txt"), "w+b") as err:  # a file: a pipe could fill
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=stdout, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace")
    if p.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({p.returncode}): {text[-2000:]}")
    return wall, ru.ru_maxrss


def build(a) -> tuple[str, str | None]:
    env = {**os.environ, "CARGO_TARGET_DIR": TARGET}
    sh(["cargo", "build", "--release", "-p", "chiso-cli"], cwd=ROOT, env=env)
    chiso = os.path.join(TARGET, "release", "chiso")
    note = None
    if a.no_python_api:
        return chiso, "Python API: skipped (--no-python-api)"
    if not os.path.exists(os.path.join(ROOT, "pyproject.toml")):
        return chiso, "Python API: skipped (no pyproject.toml in the repository)"
    try:
        py = sys.executable
        sh([py, "-m", "pip", "install", "-q", "maturin>=1.9.4,<2"])
        wheels = os.path.join(WORK, "wheels")
        sh([os.path.join(VENV, "bin", "maturin"), "build", "--release", "--out", wheels],
           cwd=ROOT, env=env, stdout=sys.stderr)
        newest = max((os.path.join(wheels, w) for w in os.listdir(wheels)),
                     key=os.path.getmtime)
        sh([py, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", newest])
        sh([py, "-c", "import chiso; chiso.score"])
    except (subprocess.CalledProcessError, OSError, ValueError) as e:
        note = f"Python API: skipped (the package did not build or import: {e})"
    return chiso, note


SHAPES = {"log": "with the process log (`steps`), as `chiso generate` writes it",
          "nolog": "without the process log (`chiso generate --no-process-log`)",
          "wide": "a one-stop system's export (`chiso generate --shape wide`): ~40 columns, "
                  "Vietnamese headers, process log included"}
# What makes the data: the generator and writers, and the script that assembles the province.
MAKERS = ["crates/chiso-io/src/sample*.rs", "crates/chiso-io/src/write/tables.rs",
          "benches/peers/make_data.py"]


def data_key(shape: str, n: int, seed: int = 100) -> str:
    """A hash of what makes the data (the generator's and writers' sources, make_data.py) and of
    its arguments: cached data made by other code or arguments is never reused."""
    return source_key(MAKERS, f"shape={shape} dossiers={n} seed={seed}")


def source_key(makers: list[str], arguments: str) -> str:
    """A hash of the sources matching `makers` (globs from the repository's root) and of the
    arguments they were run with: the name of a cache made by exactly that code."""
    import glob
    import hashlib

    h = hashlib.sha256(arguments.encode())
    for pattern in makers:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            h.update(os.path.relpath(path, ROOT).encode())
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()[:12]


def data_dir(n: int, shape: str = "log") -> str:
    return os.path.join(WORK, "data", f"{shape}-{n}-{data_key(shape, n)}")


def make_data(chiso: str, n: int, shape: str) -> None:
    out = data_dir(n, shape)
    if os.path.exists(os.path.join(out, "calendar.csv")):
        return
    # Data of this shape and size made by other code is stale: removed (it can be GBs).
    import shutil

    for old in os.listdir(os.path.join(WORK, "data")) if os.path.isdir(
            os.path.join(WORK, "data")) else []:
        if old.startswith(f"{shape}-{n}-") and os.path.join(WORK, "data", old) != out:
            shutil.rmtree(os.path.join(WORK, "data", old), ignore_errors=True)
    sh([sys.executable, os.path.join(PEERS, "make_data.py"), "--chiso", chiso,
        "--dossiers", str(n), "--out", out, "--shape", shape])


def describe(n: int, shape: str) -> list[str]:
    """The data's columns, file sizes and bytes per row, read from the files themselves."""
    import pyarrow.parquet as pq

    d = data_dir(n, shape)
    names = pq.read_schema(os.path.join(d, "dossiers.parquet")).names
    sizes = {fmt: os.path.getsize(os.path.join(d, f"dossiers.{fmt}"))
             for fmt in ("parquet", "arrow", "csv")}
    files = ", ".join(f"{fmt} {b / 1e6:,.0f} MB ({b / n:,.0f} B/row)" for fmt, b in sizes.items())
    return [f"- `{shape}`, {n:,} dossiers (`{d}`): {SHAPES[shape]}; {len(names)} columns; "
            f"dossiers.{{{files}}}",
            f"  - columns: {', '.join(f'`{x}`' for x in names)}"]


def chiso_cmd(chiso: str, d: str, fmt: str) -> list[str]:
    return [chiso, "score", "--dossiers", f"{d}/dossiers.{fmt}",
            "--procedures", f"{d}/procedures.{fmt}", "--units", f"{d}/units.{fmt}",
            "--period", "2026", "--as-of", "2026-11-20T16:00", "--format", "json"]


PY_API = """
import sys, chiso
d, fmt = sys.argv[1], sys.argv[2]
card = chiso.score(chiso.read(f"{d}/dossiers.{fmt}"),
                   procedures=chiso.read(f"{d}/procedures.{fmt}", kind="procedure"),
                   units=chiso.read(f"{d}/units.{fmt}", kind="unit"),
                   period="2026", as_of="2026-11-20T16:00")
if len(sys.argv) > 3:
    open(sys.argv[3], "w").write(card.to_json())
"""


def engines(chiso: str, d: str, fmt: str, py_api: bool) -> dict[str, list[str]]:
    py = sys.executable
    e = {"chiso CLI": chiso_cmd(chiso, d, fmt)}
    if py_api:
        e["chiso Python"] = [py, "-c", PY_API, d, fmt]
    for peer in ("pandas", "polars", "duckdb"):
        e[peer] = [py, os.path.join(PEERS, f"peer_{peer}.py"), d, "--format", fmt]
    return e


def check(chiso: str, d: str, fmt: str, py_api: bool, log: list[str], shape: str) -> set[str]:
    """Runs each engine once and compares with the CLI's scorecard; returns who disagrees."""
    sys.path.insert(0, PEERS)
    import common

    want = common.from_chiso_json(subprocess.run(chiso_cmd(chiso, d, fmt), check=True,
                                                 capture_output=True, text=True).stdout)
    bad = set()
    for name, cmd in engines(chiso, d, fmt, py_api).items():
        if name == "chiso CLI":
            continue
        out = os.path.join(WORK, f"check-{name.replace(' ', '_')}.json")
        if name == "chiso Python":
            subprocess.run(cmd + [out], check=True)
            with open(out) as f:
                got = common.from_chiso_json(f.read())
        else:
            subprocess.run(cmd + ["--out", out], check=True)
            with open(out) as f:
                got = {(u, i): (n, dd, p) for u, i, n, dd, p in json.load(f)}
        errors = common.compare(name, got, want)
        units = len({k[0] for k in got})
        n = os.path.basename(d).split("-")[1]
        if errors:
            bad.add(name)
            log.append(f"- {name} ({shape}, {fmt}, {n} dossiers): **disagrees** with "
                       f"chiso in {len(errors)} values, e.g. `{errors[0]}`")
        else:
            log.append(f"- {name} ({shape}, {fmt}, {n} dossiers): equal to chiso on "
                       f"{units} units x {len(common.IDS)} indicators (numerators, "
                       "denominators exact; points within 1e-9)")
    return bad


def time_runs(cmd: list[str], runs: int) -> dict:
    walls, rss = [], []
    for _ in range(runs):
        w, r = measure(cmd)
        walls.append(w)
        rss.append(r)
    return {"median": statistics.median(walls), "min": min(walls), "rss_kib": max(rss),
            "walls": walls}


def criterion() -> tuple[list[tuple[str, str, str]], str]:
    env = {**os.environ, "CARGO_TARGET_DIR": TARGET}
    before = load()
    text, codes = "", []
    for crate, bench in (("chiso", "core"), ("chiso-io", "readers")):
        p = subprocess.run(["cargo", "bench", "-p", crate, "--bench", bench], cwd=ROOT, env=env,
                           capture_output=True, text=True)
        text += p.stdout + "\n" + p.stderr + "\n"
        codes.append((bench, p.returncode, p.stderr[-500:]))
    with open(os.path.join(WORK, "criterion.txt"), "w") as f:
        f.write(text)
    rows: list[list[str]] = []
    pending = ""
    in_change = False  # criterion's "change:" block repeats time/thrpt as percentages
    skip = ("Benchmarking", "Found", "Gnuplot", "Running", "Compiling", "Finished", "WARNING",
            "Warning", "Performance", "No change", "Change within")
    for line in text.splitlines():
        one = re.match(r"^(\S.*?)\s+time:\s+\[(.*)\]", line)
        cont = re.match(r"^\s+time:\s+\[(.*)\]", line)
        thrpt = re.match(r"^\s+thrpt:\s+\[(.*)\]", line)
        if "change:" in line:
            in_change = True
        elif one:
            rows.append([one.group(1), one.group(2), ""])
            in_change = False
        elif cont and pending and not in_change:
            rows.append([pending, cont.group(1), ""])
        elif thrpt and rows and not in_change:
            rows[-1][2] = thrpt.group(1)
        elif line and not line[0].isspace() and not line.startswith(skip):
            pending = line.strip()
            in_change = False
    status = "; ".join(f"{b} ok" if rc == 0 else f"{b} exit {rc}: {err}" for b, rc, err in codes)
    return [tuple(r) for r in rows], f"load before {before}, after {load()}; {status}"


def quantity(value_unit: list[str]) -> float:
    """'1.23', 'ms' -> 0.00123; '21.5', 'Melem/s' -> 21.5e6 (criterion's middle estimate)."""
    if len(value_unit) < 2 or value_unit[0].endswith("%"):
        return float("nan")
    v, unit = float(value_unit[0]), value_unit[1]
    scale = {"ps": 1e-12, "ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0,
             "elem/s": 1.0, "Kelem/s": 1e3, "Melem/s": 1e6, "Gelem/s": 1e9}
    return v * scale.get(unit, float("nan"))


def fmt_rate(rows: int, s: float) -> str:
    return f"{rows / s / 1e6:.2f} M/s"


NOTES_HEADING = "## Analysis (hand-written, included from `benches/peers/NOTES.md`)"


def notes_section() -> list[str]:
    notes = os.path.join(PEERS, "NOTES.md")
    if not os.path.exists(notes):
        return []
    with open(notes) as f:
        return [NOTES_HEADING, "", f.read().strip(), ""]


def sections_after_notes(text: str) -> str:
    """What follows the analysis in a report: the sections other scripts write (Python, Spark,
    the live scoreboard, limits), from the first level-2 heading after the analysis's own."""
    if NOTES_HEADING not in text:
        return ""
    after = text.split(NOTES_HEADING, 1)[1]
    m = re.search(r"^## ", after, re.M)
    return after[m.start():] if m else ""


def include_notes(path: str) -> None:
    """Replaces the hand-written analysis of an existing report; the measured part before it and
    the other scripts' sections after it are kept."""
    with open(path) as f:
        text = f.read()
    measured = text.split(NOTES_HEADING)[0].rstrip("\n").split("\n")
    rest = sections_after_notes(text)
    with open(path, "w") as f:
        f.write("\n".join([*measured, "", *notes_section()]) + ("\n" + rest if rest else ""))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="parquet,arrow,csv",
                    help="formats timed for every engine, size and shape")
    ap.add_argument("--shapes", default="log,nolog,wide",
                    help=f"data shapes timed at the smallest size ({', '.join(SHAPES)})")
    ap.add_argument("--big-shapes", default="log", help="data shapes timed at the other sizes")
    ap.add_argument("--no-criterion", action="store_true")
    ap.add_argument("--no-python-api", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "BENCHMARKS.md"))
    ap.add_argument("--notes-only", action="store_true",
                    help="re-include benches/peers/NOTES.md into --out; measure nothing")
    a = ap.parse_args()
    if a.notes_only:
        include_notes(a.out)
        return
    in_venv()
    started = dt.datetime.now().astimezone()
    start_uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    chiso, py_note = build(a)
    py_api = py_note is None
    sizes = [int(x) for x in a.sizes.split(",")]
    formats = a.formats.split(",")

    def shapes(n: int) -> list[str]:
        return a.shapes.split(",") if n == min(sizes) else a.big_shapes.split(",")

    for n in sizes:
        for shape in shapes(n):
            make_data(chiso, n, shape)

    checks: list[str] = []
    results = []  # (n, shape, fmt, engine, stats, load)
    for n in sizes:
        for shape in shapes(n):
            d = data_dir(n, shape)
            for fmt in formats:
                bad = check(chiso, d, fmt, py_api, checks, shape)
                for name, cmd in engines(chiso, d, fmt, py_api).items():
                    if name in bad:
                        results.append((n, shape, fmt, name, None, load()))
                        continue
                    before = load()
                    print(f"timing {name} on {n} {shape} {fmt} (load {before})",
                          file=sys.stderr, flush=True)
                    results.append((n, shape, fmt, name, time_runs(cmd, a.runs), before))

    crit, crit_note = ([], "not run (--no-criterion)") if a.no_criterion else criterion()
    finished = dt.datetime.now().astimezone()

    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    L = ["# Benchmarks", "",
         "Written by `benches/run_peers.py` from a real run; do not edit by hand. Re-run with "
         "the command below to refresh.", "",
         f"- Date: {started:%Y-%m-%d %H:%M %Z} to {finished:%H:%M %Z}",
         f"- Machine: {machine()}",
         f"- Load: `uptime` at the start: `{start_uptime}`; at the end: `{uptime}`. The machine "
         "is shared with other engineers' builds, so timings are noisy: the 1-minute load "
         "average is given for every measurement.",
         f"- Commit: `{rev}`" + (" (working tree has uncommitted changes)" if dirty else ""),
         "- Command: `" + shlex.join(["python3", "benches/run_peers.py", *sys.argv[1:]]) + "`",
         "- Data: `benches/peers/make_data.py` (6 seeded `chiso generate` district chunks "
         "re-coded as one province: 157 units, 1,800 procedures), generated for this run's "
         "generator: each folder is keyed by a hash of the generator's and writers' sources "
         f"({', '.join(f'`{m}`' for m in MAKERS)}) and the arguments, and made anew when they "
         "change. Every engine reads the same files (the peers read only the columns they "
         "need). Every dossier has a due date except the generator's ~1%, which the peers judge "
         "by statutory time in Vietnamese working days, like chiso",
         "- Evaluation: `--period 2026 --as-of 2026-11-20T16:00`, profile portal-2026, default "
         "options; indicators compared: 2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4, 4.5b, 5.4 for every "
         "unit (leaves, districts, province)",
         f"- Timing: median wall time of {a.runs} runs, each in a fresh process (start-up, "
         "reading, classification, tallies and scores included; chiso also prints the whole "
         "JSON scorecard to /dev/null); peak RSS = max over runs (wait4)", ""]
    if py_note:
        L += [f"- {py_note}", ""]
    L += ["## Data", ""]
    for n in sizes:
        for shape in shapes(n):
            L += describe(n, shape)
    L += ["", "## Agreement (checked before timing)", "", *checks, ""]

    def stats(n: int, shape: str, fmt: str, name: str):
        return next((r[4] for r in results if r[:4] == (n, shape, fmt, name) and r[4]), None)

    for n in sizes:
        for shape in shapes(n):
            for fmt in formats:
                rows = [r for r in results if r[:3] == (n, shape, fmt)]
                ref = stats(n, shape, fmt, "chiso CLI")
                mb = os.path.getsize(os.path.join(data_dir(n, shape), f"dossiers.{fmt}")) / 1e6
                L += [f"## {n:,} dossiers, `{shape}`, {fmt} in -> scorecard out "
                      f"({mb:,.0f} MB)", "",
                      "| engine | median s | min s | dossiers/s | MB/s | peak RSS MiB | chiso "
                      "CLI time / engine time (< 1: chiso faster) | load (1, 5, 15 min) |",
                      "|---|---|---|---|---|---|---|---|"]
                for *_, name, st, ld in rows:
                    if st is None:
                        L.append(f"| {name} | disagrees, not timed | | | | | | {ld} |")
                        continue
                    ratio = f"{ref['median'] / st['median']:.3f}" if ref else "-"
                    L.append(f"| {name} | {st['median']:.3f} | {st['min']:.3f} | "
                             f"{fmt_rate(n, st['median'])} | {mb / st['median']:,.0f} | "
                             f"{st['rss_kib'] / 1024:.0f} | {ratio} | {ld} |")
                L.append("")
    L += ["## Criterion: `cargo bench -p chiso --bench core` and `cargo bench -p chiso-io --bench "
          "readers`", "", crit_note, ""]
    if crit:
        L += ["| benchmark | time [low est high] | throughput [low est high] |", "|---|---|---|"]
        L += [f"| {b} | {t} | {th} |" for b, t, th in crit]
        L.append("")

    # Targets of issue 13, judged from the numbers above.
    L += ["## Targets (issue 13)", ""]
    for n in sizes:
        for shape in shapes(n):
            for fmt in formats:
                for me in ("chiso CLI", "chiso Python"):
                    mine = stats(n, shape, fmt, me)
                    peers = {p: stats(n, shape, fmt, p) for p in ("pandas", "polars", "duckdb")}
                    peers = {p: st for p, st in peers.items() if st}
                    if not mine or not peers:
                        continue
                    best, st = min(peers.items(), key=lambda kv: kv[1]["median"])
                    ok = all(mine["median"] < x["median"] for x in peers.values())
                    L.append(f"- {n:,} `{shape}` {fmt}: {me} faster than pandas, polars and "
                             f"DuckDB: {'met' if ok else '**missed**'} ({mine['median']:.2f} s; "
                             f"fastest peer {best} {st['median']:.2f} s)")
        with_log, without = stats(n, "log", "parquet", "chiso CLI"), \
            stats(n, "nolog", "parquet", "chiso CLI")
        if with_log and without:
            r = with_log["median"] / without["median"]
            L.append(f"- {n:,} Parquet with the log within 1.3x of the same data without it "
                     f"(chiso CLI): {'met' if r <= 1.3 else '**missed**'} ({with_log['median']:.3f}"
                     f" s vs {without['median']:.3f} s, {r:.2f}x)")
        csv = stats(n, "log", "csv", "chiso CLI")
        if csv:
            mb = os.path.getsize(os.path.join(data_dir(n, "log"), "dossiers.csv")) / 1e6
            rate = mb / csv["median"]
            L.append(f"- {n:,} CSV with the log >= 800 MB/s (chiso CLI): "
                     f"{'met' if rate >= 800 else '**missed**'} ({rate:,.0f} MB/s, {mb:,.0f} MB)")
    for b, t, th in crit:
        if "tally_columns" in b and "_1_thread" in b and th:
            rate = quantity(th.split()[2:4])
            L.append(f"- >= 20 M dossiers/s/core, classify + tally from columns (criterion "
                     f"`{b}`): {'met' if rate >= 20e6 else '**missed**'} ({rate / 1e6:.1f} M/s)")
        if b.startswith("score_province"):
            secs = quantity(t.split()[2:4])
            L.append(f"- scoring a province's tallies < 1 ms (criterion `{b}`): "
                     f"{'met' if secs < 1e-3 else '**missed**'} ({secs * 1e3:.3f} ms)")
    L.append("")
    L += notes_section()
    # Sections other scripts wrote after the analysis stay.
    rest = ""
    if os.path.exists(a.out):
        with open(a.out) as f:
            rest = sections_after_notes(f.read())
    with open(a.out, "w") as f:
        f.write("\n".join(L) + ("\n" + rest if rest else ""))
    print("\n".join(L))


if __name__ == "__main__":
    main()
