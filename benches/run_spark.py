"""chiso.spark.score against the same indicators in plain Spark DataFrame code, on Spark
local[2], Parquet in -> scorecard out; the single-machine CLI on the same file as the reference.
Prints a Markdown section; with `--out BENCHMARKS.md` also puts it there (replacing the section
of the same size from an earlier run, else appended).

    .venv/bin/python benches/run_spark.py --chiso $CARGO_TARGET_DIR/release/chiso \
        --dossiers 10000000 [--runs 1] [--out BENCHMARKS.md]

Run it in a virtual environment with chiso (the wheel), pyspark, polars and pyarrow installed;
Java 17 on the PATH. The data is the peer harness's (`log` shape, with the
process log), made by benches/peers/make_data.py under /tmp/chiso-bench/data/log-<N>-<key>
unless present (the key hashes the generator's sources, as in run_peers.py). Steps: one
SparkSession (local[2], the UI's REST API on for the shuffle figures); chiso.spark.score and
benches/peers/peer_spark.py each once, checked
equal to the CLI's scorecard on every unit and the 9 indicators (a disagreement stops the run);
then each timed `--runs` times (wall time of the Spark job, the session already up); the CLI in a
fresh process. Also: bytes of tallies sent (one per partition), the time spent inside chiso in
the executors, and the shuffle write of each job.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "benches", "peers")
sys.path.insert(0, PEERS)
import common as c  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def shuffle_bytes(spark, since: set[int]) -> tuple[int, set[int]]:
    """Shuffle write of the stages completed since the last call (Spark's REST API)."""
    sc = spark.sparkContext
    url = f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}/stages?status=complete"
    stages = json.load(urllib.request.urlopen(url))
    new = [s for s in stages if (s["stageId"], s["attemptId"]) not in since]
    seen = since | {(s["stageId"], s["attemptId"]) for s in stages}
    return sum(s.get("shuffleWriteBytes", 0) for s in new), seen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chiso", required=True, help="the release CLI binary")
    ap.add_argument("--dossiers", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--out", help="a Markdown file to put the section in")
    a = ap.parse_args()

    # The peer harness's data, keyed by what made it (run_peers.data_dir): never stale data.
    sys.path.insert(0, os.path.join(ROOT, "benches"))
    import run_peers

    data = run_peers.data_dir(a.dossiers, "log")
    if not os.path.exists(os.path.join(data, "calendar.csv")):
        run_peers.make_data(a.chiso, a.dossiers, "log")

    import peer_spark
    import pyarrow.parquet as pq
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import chiso
    import chiso.spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    t0 = time.time()
    spark = (SparkSession.builder.master("local[2]").appName("chiso-bench")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.driver.memory", "6g")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    session_s = time.time() - t0
    # The files hold naive Vietnam times; Spark reads them as such (TIMESTAMP_NTZ).
    dossiers = spark.read.parquet(os.path.join(data, "dossiers.parquet"))
    procedures = pq.read_table(os.path.join(data, "procedures.parquet"))
    units = pq.read_table(os.path.join(data, "units.parquet"))
    kw = dict(procedures=procedures, units=units, period=c.PERIOD, as_of=c.AS_OF,
              partitions=a.partitions)

    cli = [a.chiso, "score", "--dossiers", f"{data}/dossiers.parquet",
           "--procedures", f"{data}/procedures.parquet", "--units", f"{data}/units.parquet",
           "--period", c.PERIOD, "--as-of", c.AS_OF, "--format", "json"]
    want = c.from_chiso_json(subprocess.run(cli, check=True, capture_output=True,
                                            text=True).stdout)

    # Agreement first.
    card = chiso.spark.score(dossiers, **kw)
    errors = c.compare("chiso.spark", c.from_chiso_json(card.to_json()), want)
    errors += c.compare("Spark DataFrame", peer_spark.run_df(spark, data), want)
    if errors:
        raise SystemExit("\n".join(errors[:20]))
    units_checked = len({u for u, _ in want})

    seen: set = set()
    _, seen = shuffle_bytes(spark, seen)
    timings: dict[str, list[float]] = {"chiso.spark.score": [], "Spark DataFrame": [],
                                       "chiso CLI": []}
    shuffles: dict[str, int] = {}
    loads: dict[str, str] = {}
    for _ in range(a.runs):
        t = time.time()
        chiso.spark.score(dossiers, **kw)
        timings["chiso.spark.score"].append(time.time() - t)
        shuffles["chiso.spark.score"], seen = shuffle_bytes(spark, seen)
        loads["chiso.spark.score"] = load()
        t = time.time()
        peer_spark.run_df(spark, data)
        timings["Spark DataFrame"].append(time.time() - t)
        shuffles["Spark DataFrame"], seen = shuffle_bytes(spark, seen)
        loads["Spark DataFrame"] = load()
        t = time.time()
        subprocess.run(cli, check=True, stdout=subprocess.DEVNULL)
        timings["chiso CLI"].append(time.time() - t)
        loads["chiso CLI"] = load()

    # What travels, and how long chiso itself ran inside the executors.
    start = chiso.tally([], period=c.PERIOD, as_of=c.AS_OF)
    parts = chiso.spark.partial_tallies(dossiers, procedures=procedures, start=start,
                                        partitions=a.partitions)
    stats = parts.select(F.count("*").alias("n"), F.sum(F.length("tally")).alias("bytes"),
                         F.max(F.length("tally")).alias("max"), F.sum("rows").alias("rows"),
                         F.sum("seconds").alias("seconds")).collect()[0]

    lines: list[str] = []
    print = lines.append  # noqa: A001 - the report is gathered, then written
    med = {k: statistics.median(v) for k, v in timings.items()}
    spark_s = med["chiso.spark.score"]
    in_chiso = stats["seconds"] / 2  # two executor cores
    print(f"""## Spark local[2]: {a.dossiers:,} dossiers, Parquet in -> scorecard out

- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {os.cpu_count()} cores,
  Linux {platform.release()}, Python {platform.python_version()}, PySpark {spark.version},
  Java 17; commit `{subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT,
  capture_output=True, text=True).stdout.strip()}`
- Command: `python benches/run_spark.py --chiso <release chiso> --dossiers {a.dossiers}
  --runs {a.runs}`; data: benches/peers/make_data.py ({units_checked} units)
- Agreement (checked before timing): chiso.spark.score and the plain Spark DataFrame peer
  (benches/peers/peer_spark.py) both equal the CLI on {units_checked} units x 9 indicators
  (2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 4.4, 4.5b, 5.4; numerators, denominators exact, points within
  1e-9)
- Timing: median wall time of {a.runs} run(s) in one SparkSession (session start-up
  {session_s:.1f} s not included); the CLI in a fresh process. The machine is shared with other
  builds: 1/5/15-minute load average after each measurement.

| engine | median s | dossiers/s | chiso CLI time / engine time | shuffle write | load |
|---|---|---|---|---|---|""")
    for name in ("chiso.spark.score", "Spark DataFrame", "chiso CLI"):
        sh = shuffles.get(name)
        print(f"| {name} | {med[name]:.1f} | {a.dossiers / med[name] / 1e6:.2f} M/s | "
              f"{med['chiso CLI'] / med[name]:.3f} | "
              f"{'-' if sh is None else f'{sh / 2**20:,.0f} MiB'} | {loads[name]} |")
    print(f"""
- Tallies sent: {stats['n']} (one per non-empty partition), {stats['bytes']:,} bytes in all
  (largest {stats['max']:,} bytes) for {stats['rows']:,} rows; the shuffle write of
  chiso.spark.score is the repartition of the dossier rows by dossier_id (so duplicates meet),
  not the tallies.
- Where the time goes: chiso.tally ran {stats['seconds']:.1f} s in all inside the executors
  (~{in_chiso:.1f} s of wall time on 2 cores) of {spark_s:.1f} s; the rest,
  ~{spark_s - in_chiso:.1f} s ({(spark_s - in_chiso) / spark_s:.0%}), is Spark: Parquet scan,
  the repartition shuffle, Arrow hand-over to the Python workers, the tree reduce and the
  driver's scoring.
""")
    spark.stop()
    section = "\n".join(lines).rstrip() + "\n"
    sys.stdout.write(section)
    if a.out:
        put_section(a.out, section)


def put_section(path: str, section: str) -> None:
    """Replaces the section with the same heading in a Markdown file, or appends it."""
    heading = section.splitlines()[0]
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("" if end < 0 else text[end + 1:])
    else:
        text = text.rstrip() + "\n\n" + section
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
