"""Builds the benchmark inputs: a province-like sample at N dossiers as Parquet, Arrow IPC and CSV.

`chiso generate` makes one district (26 units, 100 procedures) and holds every row in memory, so
the province is assembled from K = 6 seeded district chunks (seed = base seed + k): each chunk's
unit codes are moved under its own district `T52.H<k>` of province `T52`, and each procedure is
split into three variants (by row number) so the catalogue has 6 x 3 x 100 = 1,800 procedures and
the province 1 + 6 x 26 = 157 units. Only codes are rewritten; every other column is exactly what
the generator wrote. `--shape` picks the dossier file's columns: `log` (the generator's default,
with the process log `steps`), `nolog` (`--no-process-log`) or `wide` (`--shape wide`: a one-stop
system's export, ~40 columns under Vietnamese headers; `columns.json` then maps each canonical
field the peers read to its header). Also writes `calendar.csv` (every day of 2026-2027 and
whether it is a Vietnamese working day, from `chiso calendar between`), the working-day table the
peers use for the statutory-time fallback.

    python benches/peers/make_data.py --chiso target/release/chiso --dossiers 1000000 \
        --out /tmp/chiso-bench/data/1m
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time

import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

CHUNKS = 6
VARIANTS = 3
ROOT = "D52.TS"  # the generator's district code
PROVINCE = "T52"


def district(k: int) -> str:
    return f"{PROVINCE}.H{k}"


# The wide export's header of each field the peers read (crates/chiso-io/src/sample_export.rs).
WIDE = {"dossier_id": "Mã hồ sơ", "unit_code": "Mã đơn vị tiếp nhận", "procedure_code": "Mã TTHC",
        "channel": "Kênh thực hiện", "submitted_at": "Ngày nộp hồ sơ",
        "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả",
        "rescheduled_due_at": "Ngày hẹn trả mới", "finished_at": "Ngày kết thúc xử lý",
        "returned_at": "Ngày trả kết quả", "status": "Trạng thái hồ sơ",
        "supplements": "Danh sách bổ sung", "fee_total": "Tổng phí",
        "paid_online": "Thanh toán trực tuyến", "e_result": "Có kết quả điện tử",
        "digitised": "Đã số hóa", "reused_data": "Tái sử dụng dữ liệu",
        "personal_store": "Kho dữ liệu cá nhân", "population_data": "Xác thực VNeID",
        "unsatisfied": "Đánh giá không hài lòng", "has_petition": "Có phản ánh",
        "steps": "Quá trình xử lý"}
SHAPE_ARGS = {"log": [], "nolog": ["--no-process-log"], "wide": ["--shape", "wide"]}


def generate_chunk(chiso: str, n: int, seed: int, tmp: str, shape: str) -> str:
    out = os.path.join(tmp, f"chunk{seed}")
    subprocess.run(
        [chiso, "generate", "--dossiers", str(n), "--seed", str(seed), "--out", out,
         "--format", "parquet", *SHAPE_ARGS[shape]],
        check=True, stdout=subprocess.DEVNULL,
    )
    return out


def remap_chunk(path: str, k: int, names: dict[str, str]
                ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    d = pl.read_parquet(os.path.join(path, "dossiers.parquet"))
    p = pl.read_parquet(os.path.join(path, "procedures.parquet"))
    u = pl.read_parquet(os.path.join(path, "units.parquet"))
    new_root = district(k)

    def moved(col: str) -> pl.Expr:
        return pl.col(col).str.replace(ROOT, new_root, literal=True)

    variant = (pl.int_range(pl.len()) % VARIANTS).cast(pl.Utf8)
    proc = names["procedure_code"]
    d = d.with_columns(
        moved(names["dossier_id"]),
        moved(names["unit_code"]),
        # "1.001050" -> "1.<k><v>1050"
        (pl.col(proc).str.slice(0, 2) + pl.lit(str(k)) + variant
         + pl.col(proc).str.slice(4)).alias(proc),
    )
    p = pl.concat([
        p.with_columns(
            (pl.col("procedure_code").str.slice(0, 2) + pl.lit(f"{k}{v}")
             + pl.col("procedure_code").str.slice(4)).alias("procedure_code"),
            moved("units"),
        )
        for v in range(VARIANTS)
    ])
    u = u.with_columns(
        moved("code"),
        pl.when(pl.col("parent").is_null()).then(pl.lit(PROVINCE))
        .otherwise(moved("parent")).alias("parent"),
    )
    return d, p, u


def calendar_table(chiso: str, years: range) -> pl.DataFrame:
    """Every day of `years` and whether it is a working day, asked of chiso's own calendar
    (`chiso calendar between D-1 D` is 1 exactly on working days, swapped Saturdays included)."""
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    days = [first + dt.timedelta(i) for i in range((last - first).days + 1)]
    working = [
        subprocess.run([chiso, "calendar", "between", str(x - dt.timedelta(1)), str(x)],
                       check=True, capture_output=True, text=True).stdout.strip() == "1"
        for x in days
    ]
    return pl.DataFrame({"date": days, "working": working})


def write_all(df: pl.DataFrame, out: str, name: str) -> None:
    table = df.to_arrow()
    # Times as the generator writes them: Timestamp(second), no zone.
    fields = [
        pa.field(f.name, pa.timestamp("s")) if pa.types.is_timestamp(f.type) else f
        for f in table.schema
    ]
    table = table.cast(pa.schema(fields))
    pq.write_table(table, os.path.join(out, f"{name}.parquet"), compression="snappy")
    with ipc.new_file(os.path.join(out, f"{name}.arrow"), table.schema) as w:
        w.write_table(table, max_chunksize=1 << 20)
    df.write_csv(os.path.join(out, f"{name}.csv"), datetime_format="%Y-%m-%dT%H:%M:%S",
                 null_value="")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chiso", required=True)
    ap.add_argument("--dossiers", type=int, required=True)
    ap.add_argument("--seed", type=int, default=100)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shape", choices=sorted(SHAPE_ARGS), default="log")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    names = WIDE if a.shape == "wide" else {c: c for c in WIDE}
    t0 = time.time()
    sizes = [a.dossiers // CHUNKS + (1 if i < a.dossiers % CHUNKS else 0) for i in range(CHUNKS)]
    ds, ps, us = [], [], []
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(a.out))) as tmp:
        for k, n in enumerate(sizes, start=1):
            path = generate_chunk(a.chiso, n, a.seed + k, tmp, a.shape)
            d, p, u = remap_chunk(path, k, names)
            ds.append(d)
            ps.append(p)
            us.append(u)
            print(f"chunk {k}: {n} dossiers ({time.time() - t0:.0f} s)", file=sys.stderr)
    dossiers = pl.concat(ds)
    del ds
    units = pl.concat([
        pl.DataFrame({"code": [PROVINCE], "name": ["Tỉnh mẫu T52"], "kind": ["province"],
                      "parent": [None], "e_certified_copy": [None]},
                     schema=us[0].schema),
        *us,
    ])
    procedures = pl.concat(ps)
    ids = dossiers[names["dossier_id"]]
    assert ids.n_unique() == dossiers.height, "dossier ids must be unique"
    if a.shape == "wide":
        with open(os.path.join(a.out, "columns.json"), "w") as f:
            json.dump(WIDE, f, ensure_ascii=False)
    write_all(dossiers, a.out, "dossiers")
    write_all(procedures, a.out, "procedures")
    write_all(units, a.out, "units")
    calendar_table(a.chiso, range(2026, 2028)).write_csv(os.path.join(a.out, "calendar.csv"))
    print(f"wrote {dossiers.height} dossiers, {procedures.height} procedures, {units.height} "
          f"units to {a.out} ({time.time() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
