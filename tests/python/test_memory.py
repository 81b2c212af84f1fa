"""A million-row pandas frame is scored without copying it.

Each measurement runs in a fresh subprocess: build the frame (pyarrow-backed columns, as
``pd.read_parquet(..., dtype_backend="pyarrow")`` or pandas 3's default strings give), note the
resident memory, score, and read the peak (``resource.getrusage``). The bound: the peak rises by
less than BYTES_PER_ROW per dossier (the scorer's own per-dossier record, and the result), and by
no more than scoring the same data as a pyarrow table (zero-copy by construction) plus 10% of
the frame's size. A copy of the frame would add its whole size (~76 MB for these columns) on top.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

ROWS = 1_000_000
# What chiso itself may keep per dossier: its Dossier record (≈ 300 B + id strings) and the
# transient working set of the Arrow conversion when the row path is taken; these typed
# columns take the columnar fast path, which keeps no record at all (~50 B/row measured).
BYTES_PER_ROW = 700

SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import chiso

    n = int(sys.argv[1]); kind = sys.argv[2]
    rng = np.random.default_rng(1)
    base = np.datetime64("2026-01-01T08:00", "us")
    received = base + rng.integers(0, 300 * 86400, n).astype("timedelta64[s]")
    due = received + np.timedelta64(5 * 86400, "s")
    finished = received + rng.integers(3600, 8 * 86400, n).astype("timedelta64[s]")
    units = np.array([f"H44.{i:02}" for i in range(1, 41)])
    procs = np.array([f"1.00{i:04}" for i in range(200)])
    table = pa.table({
        "dossier_id": pa.array([f"D{i:09}" for i in range(n)]),
        "unit_code": pa.array(units[rng.integers(0, len(units), n)]),
        "procedure_code": pa.array(procs[rng.integers(0, len(procs), n)]),
        "received_at": pa.array(received),
        "due_at": pa.array(due),
        "finished_at": pa.array(finished),
        "status": pa.array(np.full(n, 9, dtype=np.int64)),
        "channel": pa.array(rng.integers(1, 3, n)),
    })
    frame = table.to_pandas(types_mapper=pd.ArrowDtype) if kind == "pandas" else table
    nbytes = table.nbytes
    del table
    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize()
    before = rss()
    card = chiso.score(frame, period="2026", as_of="2026-12-31T17:00")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"before": before, "peak": peak, "nbytes": nbytes,
                      "scored": card.accounting["scored"], "total": card.total()}))
    """
)


def measure(kind: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROWS), kind],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/statm")
def test_million_row_pandas_frame_is_not_copied() -> None:
    pandas = measure("pandas")
    arrow = measure("pyarrow")
    assert pandas["scored"] == arrow["scored"] == ROWS
    assert pandas["total"] == arrow["total"]
    rise = pandas["peak"] - pandas["before"]
    arrow_rise = arrow["peak"] - arrow["before"]
    print(
        f"\nframe {pandas['nbytes'] / 1e6:.0f} MB; peak rise scoring it: pandas "
        f"{rise / 1e6:.0f} MB, pyarrow {arrow_rise / 1e6:.0f} MB; bound "
        f"{BYTES_PER_ROW * ROWS / 1e6:.0f} MB"
    )
    assert rise < BYTES_PER_ROW * ROWS
    assert rise <= arrow_rise + 0.10 * pandas["nbytes"]
