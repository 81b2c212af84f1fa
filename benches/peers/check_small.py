"""Fast correctness check: every peer (pandas, polars, DuckDB) equals chiso on a 20 k-dossier
province in every input format (Parquet, Arrow IPC, CSV), and on the hand-made edge cases of
edge_cases.py (one unit per case, so each case is compared on its own). Exits 1 on any
disagreement.

Needs a built CLI and pandas, polars, duckdb, pyarrow (e.g. the venv run_peers.py makes):

    cargo build --release -p chiso-cli
    /tmp/chiso-bench/venv/bin/python benches/peers/check_small.py [--chiso target/release/chiso]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402
import edge_cases  # noqa: E402
import peer_duckdb  # noqa: E402
import peer_pandas  # noqa: E402
import peer_polars  # noqa: E402


def main() -> int:
    root = os.path.dirname(os.path.dirname(HERE))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    ap = argparse.ArgumentParser()
    ap.add_argument("--chiso", default=os.path.join(target, "release", "chiso"))
    ap.add_argument("--dossiers", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=100)
    a = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "make_data.py"), "--chiso", a.chiso,
                        "--dossiers", str(a.dossiers), "--seed", str(a.seed), "--out", tmp],
                       check=True)
        edge = os.path.join(tmp, "edge")
        edge_cases.write(edge, tmp)
        for data, fmt in [(tmp, "parquet"), (tmp, "arrow"), (tmp, "csv"), (edge, "parquet"),
                          (edge, "csv")]:
            out = subprocess.run(
                [a.chiso, "score", "--dossiers", f"{data}/dossiers.{fmt}",
                 "--procedures", f"{data}/procedures.{fmt}", "--units", f"{data}/units.{fmt}",
                 "--period", common.PERIOD, "--as-of", common.AS_OF, "--format", "json"],
                check=True, capture_output=True, text=True).stdout
            want = common.from_chiso_json(out)
            label = f"{'edge' if data == edge else 'sample'}/{fmt}"
            for name, peer in (("pandas", peer_pandas), ("polars", peer_polars),
                               ("duckdb", peer_duckdb)):
                errors = common.compare(f"{name} {label}", peer.run(data, fmt), want)
                status = "ok" if not errors else f"{len(errors)} differences"
                print(f"{name:7} {label:15} {len(want)} values: {status}")
                failures += errors
    for e in failures[:20]:
        print(e)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
