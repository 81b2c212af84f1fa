"""chiso against pandas, polars and DuckDB: same input, same machine, one run; writes BENCHMARKS.md.

    python3 benches/run_peers.py                 # 1 M and 10 M dossiers, everything
    python3 benches/run_peers.py --sizes 1000000 --runs 3 --no-criterion --out /tmp/B.md

What it does, in order (nothing here is a test; the fast correctness check is
benches/peers/check_small.py):
1. makes its own virtual environment under /tmp/chiso-bench/venv (pandas, polars, duckdb, pyarrow,
   ruff) and re-runs itself inside it;
2. builds the CLI (`cargo build --release -p chiso-cli`, CARGO_TARGET_DIR=/tmp/tgt-bench) and, if
   the repository has the Python package (pyproject.toml), a wheel with maturin into the venv;
3. generates the data under /tmp/chiso-bench/data/<N> (benches/peers/make_data.py) unless present;
4. per size: runs chiso once and each peer once, checks every peer's numerators and denominators
   equal chiso's and its points within 1e-9 (a peer that disagrees is reported and not timed);
5. times each engine `--runs` times in a fresh subprocess (wall time; peak RSS from wait4), Parquet
   in -> scorecard out; then the CSV throughput of `chiso score`, `cargo bench -p chiso --bench
   core` and `cargo bench -p chiso-io --bench readers`;
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
WORK = "/tmp/chiso-bench"
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


def data_dir(n: int) -> str:
    return os.path.join(WORK, "data", str(n))


def make_data(chiso: str, n: int) -> None:
    out = data_dir(n)
    if os.path.exists(os.path.join(out, "calendar.csv")):
        return
    sh([sys.executable, os.path.join(PEERS, "make_data.py"), "--chiso", chiso,
        "--dossiers", str(n), "--out", out])


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


def check(chiso: str, d: str, fmt: str, py_api: bool, log: list[str]) -> set[str]:
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
        if errors:
            bad.add(name)
            log.append(f"- {name} ({fmt}, {os.path.basename(d)} dossiers): **disagrees** with "
                       f"chiso in {len(errors)} values, e.g. `{errors[0]}`")
        else:
            log.append(f"- {name} ({fmt}, {os.path.basename(d)} dossiers): equal to chiso on "
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


def include_notes(path: str) -> None:
    """Replaces the hand-written analysis of an existing report; the measured part is kept."""
    with open(path) as f:
        text = f.read()
    measured = text.split(NOTES_HEADING)[0].rstrip("\n").split("\n")
    with open(path, "w") as f:
        f.write("\n".join([*measured, "", *notes_section()]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="parquet", help="formats timed for every engine")
    ap.add_argument("--small-formats", default="arrow,csv",
                    help="further formats timed at the smallest size only")
    ap.add_argument("--csv-size", type=int, default=10_000_000, help="rows of the CSV test")
    ap.add_argument("--csv-runs", type=int, default=3)
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
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    chiso, py_note = build(a)
    py_api = py_note is None
    sizes = [int(x) for x in a.sizes.split(",")]
    for n in sorted(set(sizes + [a.csv_size])):
        make_data(chiso, n)

    checks: list[str] = []
    results = []  # (n, fmt, engine, stats, load)
    def formats(n: int) -> list[str]:
        extra = a.small_formats.split(",") if n == min(sizes) and a.small_formats else []
        return a.formats.split(",") + [f for f in extra if f not in a.formats.split(",")]

    for n in sizes:
        d = data_dir(n)
        for fmt in formats(n):
            bad = check(chiso, d, fmt, py_api, checks)
            for name, cmd in engines(chiso, d, fmt, py_api).items():
                if name in bad:
                    results.append((n, fmt, name, None, load()))
                    continue
                before = load()
                print(f"timing {name} on {n} {fmt} (load {before})", file=sys.stderr, flush=True)
                results.append((n, fmt, name, time_runs(cmd, a.runs), before))

    csv_path = os.path.join(data_dir(a.csv_size), "dossiers.csv")
    csv_load = load()
    csv_stats = time_runs(chiso_cmd(chiso, data_dir(a.csv_size), "csv"), a.csv_runs)
    csv_mb = os.path.getsize(csv_path) / 1e6

    crit, crit_note = ([], "not run (--no-criterion)") if a.no_criterion else criterion()
    finished = dt.datetime.now().astimezone()

    L = ["# Benchmarks", "",
         "Written by `benches/run_peers.py` from a real run; do not edit by hand. Re-run with "
         "the command below to refresh.", "",
         f"- Date: {started:%Y-%m-%d %H:%M %Z} to {finished:%H:%M %Z}",
         f"- Machine: {machine()}",
         f"- Commit: `{rev}`" + (" (working tree has uncommitted changes by others)" if dirty
                                 else ""),
         "- Command: `" + shlex.join(["python3", "benches/run_peers.py", *sys.argv[1:]]) + "`",
         "- Data: `benches/peers/make_data.py` (6 seeded `chiso generate` district chunks "
         "re-coded as one province: 157 units, 1,800 procedures); every dossier has a due date "
         "except the generator's ~1%, which the peers judge by statutory time in Vietnamese "
         "working days, like chiso",
         "- Evaluation: `--period 2026 --as-of 2026-11-20T16:00`, profile portal-2026, default "
         "options; indicators compared: 2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4, 4.5b, 5.4 for every "
         "unit (leaves, districts, province)",
         f"- Timing: median wall time of {a.runs} runs, each in a fresh process (start-up, "
         "reading, classification, tallies and scores included; chiso also prints the whole "
         "JSON scorecard to /dev/null); peak RSS = max over runs (wait4)",
         "- The machine is shared with other engineers' builds: the 1-minute load average is "
         "given for every measurement.", ""]
    if py_note:
        L += [f"- {py_note}", ""]
    L += ["## Agreement (checked before timing)", "", *checks, ""]
    for n in sizes:
        for fmt in formats(n):
            rows = [r for r in results if r[0] == n and r[1] == fmt]
            ref = next((r[3] for r in rows if r[2] == "chiso CLI" and r[3]), None)
            L += [f"## {n:,} dossiers, {fmt} in -> scorecard out", "",
                  "| engine | median s | min s | dossiers/s | peak RSS MiB | chiso CLI time / "
                  "engine time (< 1: chiso faster) | load (1, 5, 15 min) |",
                  "|---|---|---|---|---|---|---|"]
            for _, _, name, st, ld in rows:
                if st is None:
                    L.append(f"| {name} | disagrees, not timed | | | | | {ld} |")
                    continue
                ratio = f"{ref['median'] / st['median']:.3f}" if ref else "-"
                L.append(f"| {name} | {st['median']:.3f} | {st['min']:.3f} | "
                         f"{fmt_rate(n, st['median'])} | {st['rss_kib'] / 1024:.0f} | {ratio} | "
                         f"{ld} |")
            L.append("")
    L += ["## CSV: `chiso score` on the CSV file", "",
          f"Median of {a.csv_runs} run(s).", "",
          f"`{shlex.join(chiso_cmd(chiso, data_dir(a.csv_size), 'csv'))}`", "",
          "| rows | file MB | median s | MB/s | dossiers/s | peak RSS MiB | load |",
          "|---|---|---|---|---|---|---|",
          f"| {a.csv_size:,} | {csv_mb:.0f} | {csv_stats['median']:.2f} | "
          f"{csv_mb / csv_stats['median']:.0f} | {fmt_rate(a.csv_size, csv_stats['median'])} | "
          f"{csv_stats['rss_kib'] / 1024:.0f} | {csv_load} |", ""]
    L += ["## Criterion: `cargo bench -p chiso --bench core` and `cargo bench -p chiso-io --bench "
          "readers`", "", crit_note, ""]
    if crit:
        L += ["| benchmark | time [low est high] | throughput [low est high] |", "|---|---|---|"]
        L += [f"| {b} | {t} | {th} |" for b, t, th in crit]
        L.append("")

    # Targets of issue 7, judged from the numbers above.
    L += ["## Targets (issue 7)", ""]
    big = max(sizes)
    rows = {r[2]: r[3] for r in results if r[0] == big and r[1] == "parquet" and r[3]}
    cli = rows.get("chiso CLI")
    if cli:
        for peer in ("pandas", "polars", "duckdb"):
            if peer in rows:
                r = cli["median"] / rows[peer]["median"]
                verdict = "met" if r < 1 else "**missed**"
                L.append(f"- {big:,} dossiers Parquet -> scorecard faster than {peer}: {verdict} "
                         f"(chiso {cli['median']:.2f} s vs {rows[peer]['median']:.2f} s, "
                         f"ratio {r:.2f})")
    mbs = csv_mb / csv_stats["median"]
    rss = csv_stats["rss_kib"] / 1024
    L.append(f"- CSV >= 300 MB/s: {'met' if mbs >= 300 else '**missed**'} ({mbs:.0f} MB/s)")
    L.append(f"- CSV peak RSS < 300 MB: {'met' if rss * 1.048576 < 300 else '**missed**'} "
             f"({rss * 1.048576:.0f} MB)")
    for b, t, th in crit:
        if "tally_columns" in b and "_1_thread" in b and th:
            rate = quantity(th.split()[2:4])
            L.append(f"- >= 20 M dossiers/s/core, classify + tally from columns (criterion "
                     f"`{b}`): {'met' if rate >= 20e6 else '**missed**'} ({rate / 1e6:.1f} M/s)")
        if b.startswith("score_province"):
            secs = quantity(t.split()[2:4])
            L.append(f"- scoring a province's tallies < 1 ms (criterion `{b}`): "
                     f"{'met' if secs < 1e-3 else '**missed**'} ({secs * 1e3:.3f} ms)")
    if not crit:
        L.append("- >= 20 M dossiers/s/core and scoring < 1 ms: criterion not run")
    L.append("")
    L += notes_section()
    with open(a.out, "w") as f:
        f.write("\n".join(L))
    print("\n".join(L))


if __name__ == "__main__":
    main()
