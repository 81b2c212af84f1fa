"""Peer: the dossier-based indicators in pandas (vectorised, pyarrow reader). Rules: common.py.

    python benches/peers/peer_pandas.py DATA_DIR [--format parquet|arrow|csv] [--out result.json]
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.feather as feather

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

TIMES = ["received_at", "due_at", "finished_at", "returned_at"]
FLAGS = ["e_result", "digitised", "reused_data", "personal_store", "population_data",
         "unsatisfied", "has_petition"]


def read(data: str, name: str, fmt: str, columns: list[str] | None = None) -> pd.DataFrame:
    path = os.path.join(data, f"{name}.{fmt}")
    names = c.headers(data) if name == "dossiers" else {}
    cols = [c.header(names, x) for x in columns] if columns else None
    back = {c.header(names, x): x for x in columns or []}
    if fmt == "parquet":
        return pd.read_parquet(path, columns=cols).rename(columns=back)
    if fmt == "arrow":
        return feather.read_table(path, columns=cols).to_pandas().rename(columns=back)
    # pandas.read_csv(engine="pyarrow") without its dtype post-pass (which fails on nullable
    # integer columns): codes stay text, ISO times are parsed by Arrow
    codes = {c.header(names, x): pa.string() for x in ("dossier_id", "unit_code",
                                                       "procedure_code", "code", "parent",
                                                       "supplements", "units")}
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types=codes, include_columns=cols, strings_can_be_null=True))
    df = table.to_pandas().rename(columns=back)
    for col in TIMES:
        if col in df.columns and df[col].dtype == object:
            df[col] = pd.to_datetime(df[col], format=c.TIME_FORMAT)
    return df

def supplements(d: pd.DataFrame) -> pd.DataFrame:
    """One row per supplement request: (row, requested_at, completed_at)."""
    has = d["supplements"].notna()
    rows, req, comp = [], [], []
    for row, text in zip(d.index[has], d["supplements"][has], strict=True):
        for w in json.loads(text):
            rows.append(row)
            req.append(w["requested_at"])
            comp.append(w.get("completed_at"))
    return pd.DataFrame({
        "row": np.asarray(rows, dtype=np.int64),
        "requested_at": pd.to_datetime(pd.Series(req, dtype=object), format=c.TIME_FORMAT),
        "completed_at": pd.to_datetime(pd.Series(comp, dtype=object), format=c.TIME_FORMAT),
    })


def run(data: str, fmt: str = "parquet") -> c.Result:
    t = pd.Timestamp(c.T)
    d = read(data, "dossiers", fmt, c.DOSSIER_COLUMNS)
    for col in TIMES:
        d[col] = d[col].astype("datetime64[us]")
    inferred = np.select(
        [d["returned_at"].notna(), d["finished_at"].notna(), d["received_at"].notna()],
        [10, 9, 4], 1)
    status = d["status"].fillna(pd.Series(inferred, index=d.index))
    rdate = d["received_at"].dt.normalize()
    keep = (~status.isin([1, 3]) & (d["received_at"] <= t)
            & (rdate >= pd.Timestamp(c.PERIOD_START)) & (rdate <= pd.Timestamp(c.PERIOD_END)))
    d = d[keep].reset_index(drop=True)

    fin_ok = d["finished_at"] <= t
    ret_ok = d["returned_at"] <= t
    terminal = d["finished_at"].where(fin_ok, d["returned_at"].where(ret_ok))
    horizon = terminal.fillna(t)

    s = supplements(d)
    s["horizon"] = horizon.to_numpy()[s["row"].to_numpy()]
    # More than one request made by T is late, even one made after the dossier ended.
    requests = s["requested_at"].le(t).groupby(s["row"]).sum()
    s = s[s["requested_at"] <= s["horizon"]]
    wait = (s["completed_at"] - s["requested_at"]).clip(lower=pd.Timedelta(0))
    done = s["completed_at"] <= s["horizon"]
    g = pd.DataFrame({
        "requests": requests,
        "waited_h": wait.where(done).groupby(s["row"]).sum(),
        "outstanding": s["requested_at"].where(~done).groupby(s["row"]).min(),
    }).reindex(d.index)
    # A supplement outstanding at the horizon (open, or when the dossier ended): processing ends
    # at its request.
    out_at = g["outstanding"]
    s_out = out_at.to_numpy()[s["row"].to_numpy()]
    by_then = (s["requested_at"].to_numpy() <= s_out) & (s["completed_at"].to_numpy() <= s_out)
    waited_o = wait[by_then].groupby(s["row"][by_then]).sum().reindex(d.index)

    zero = pd.Timedelta(0)
    end = out_at.fillna(terminal)
    waited = waited_o.fillna(zero).where(out_at.notna(), g["waited_h"].fillna(zero))
    repeated = g["requests"].fillna(0).to_numpy() > 1

    procs = read(data, "procedures", fmt,
                 ["procedure_code", "paper_result", "statutory_time", "statutory_time_unit"])
    p = procs.set_index("procedure_code").reindex(d["procedure_code"])
    paper = p["paper_result"].fillna(False).to_numpy(dtype=bool)

    # Statutory fallback in Vietnamese working days (calendar.csv).
    cal = pd.read_csv(os.path.join(data, "calendar.csv"), parse_dates=["date"])
    working = cal["working"].astype(str).str.lower().eq("true").to_numpy()
    cum = np.cumsum(working)
    workdays = cal["date"].to_numpy()[working]
    fb = (d["due_at"].isna().to_numpy() & p["statutory_time"].notna().to_numpy()
          & (p["statutory_time_unit"] == "working_days").to_numpy())
    deadline = d["due_at"].copy()
    if fb.any():
        rec = d["received_at"][fb]
        dayno = (rec.dt.normalize() - cal["date"].iloc[0]).dt.days.to_numpy()
        n = np.ceil(p["statutory_time"].to_numpy()[fb]).astype(np.int64)
        # received on a day off: counted from 08:00 of the next working day
        on_day = working[dayno]
        day = workdays[cum[dayno] + n - on_day]
        time_of_day = np.where(on_day, (rec - rec.dt.normalize()).to_numpy(),
                               np.timedelta64(8, "h"))
        deadline[fb] = pd.to_datetime(day) + time_of_day

    ended = end.notna().to_numpy()
    in_time = ((end - waited) <= deadline).to_numpy() | deadline.isna().to_numpy()
    overdue = ((t - waited) > deadline).to_numpy()
    late = repeated | np.where(ended, ~in_time, overdue)
    judged = repeated | deadline.notna().to_numpy()
    scores = judged & ~late

    flags = {f: d[f].fillna(False).to_numpy(dtype=bool) for f in FLAGS}
    result_ok = ~paper | flags["e_result"]
    fee = (d["fee_total"] > 0).to_numpy()
    per = pd.DataFrame({
        "unit_code": d["unit_code"],
        "received": 1,
        "judged": judged,
        "on_time": scores,
        "online": (d["channel"] == 2).to_numpy() & result_ok,
        "fee_dossiers": fee,
        "paid_online": fee & d["paid_online"].isin([1, 2]).to_numpy(),
        "e_result": flags["e_result"],
        "digitised": flags["digitised"] & result_ok,
        "reused_data": flags["reused_data"],
        "personal_store": flags["personal_store"],
        "population_data": flags["population_data"],
        "satisfied": ~flags["unsatisfied"] & ~flags["has_petition"] & ~late,
    })
    counts = per.groupby("unit_code", sort=False).sum()
    units = read(data, "units", fmt, ["code", "parent"])
    parents = [x if isinstance(x, str) else None for x in units["parent"]]
    bridge = pd.DataFrame(c.ancestors(zip(units["code"], parents, strict=True)),
                          columns=["unit_code", "unit"])
    pooled = bridge.merge(counts, left_on="unit_code", right_index=True, how="left").groupby(
        "unit")[c.COUNTERS].sum().reset_index()
    return c.from_counts(pooled.to_dict("records"))


if __name__ == "__main__":
    c.main(run)
