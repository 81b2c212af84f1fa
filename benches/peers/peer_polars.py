"""Peer: the dossier-based indicators in polars (lazy). Rules: see common.py.

    python benches/peers/peer_polars.py DATA_DIR [--format parquet|arrow|csv] [--out result.json]
"""

from __future__ import annotations

import os
import sys

import polars as pl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

SUPPLEMENTS = pl.List(pl.Struct({"requested_at": pl.Datetime("us"),
                                 "completed_at": pl.Datetime("us")}))


def scan(data: str, name: str, fmt: str, schema: dict | None = None) -> pl.LazyFrame:
    path = os.path.join(data, f"{name}.{fmt}")
    names = c.headers(data) if name == "dossiers" else {}
    if fmt == "parquet":
        lf = pl.scan_parquet(path)
    elif fmt == "arrow":
        lf = pl.scan_ipc(path)
    else:
        lf = pl.scan_csv(path, schema_overrides={c.header(names, k): v
                                                 for k, v in (schema or {}).items()
                                                 if not names or k in names})
    return lf.rename({h: k for k, h in names.items()}) if names else lf


def dossier_csv_schema() -> dict:
    ts = pl.Datetime("us")
    return {"dossier_id": pl.Utf8, "unit_code": pl.Utf8, "procedure_code": pl.Utf8,
            "channel": pl.Int64, "submitted_at": ts, "received_at": ts, "due_at": ts,
            "rescheduled_due_at": ts, "finished_at": ts, "returned_at": ts, "status": pl.Int64,
            "supplements": pl.Utf8, "fee_waits": pl.Utf8, "fee_total": pl.Float64,
            "paid_online": pl.Int64, "steps": pl.Utf8}


def run(data: str, fmt: str = "parquet") -> c.Result:
    t = pl.lit(c.T).cast(pl.Datetime("us"))
    d = scan(data, "dossiers", fmt, dossier_csv_schema()).select(c.DOSSIER_COLUMNS)
    d = d.with_columns(pl.col(x).cast(pl.Datetime("us")) for x in
                       ("received_at", "due_at", "finished_at", "returned_at"))
    status = pl.coalesce(
        pl.col("status"),
        pl.when(pl.col("returned_at").is_not_null()).then(10)
        .when(pl.col("finished_at").is_not_null()).then(9)
        .when(pl.col("received_at").is_not_null()).then(4).otherwise(1),
    )
    d = d.filter(
        ~status.is_in([1, 3]), pl.col("received_at") <= t,
        pl.col("received_at").dt.date().is_between(c.PERIOD_START, c.PERIOD_END),
    ).with_row_index("row")
    terminal = (pl.when(pl.col("finished_at") <= t).then(pl.col("finished_at"))
                .when(pl.col("returned_at") <= t).then(pl.col("returned_at")))
    d = d.with_columns(terminal=terminal).with_columns(horizon=pl.coalesce("terminal", t))

    # Supplements: one row per request, only for dossiers that have any.
    s = (d.filter(pl.col("supplements").is_not_null())
         .select("row", "terminal", "horizon",
                 pl.col("supplements").str.json_decode(SUPPLEMENTS))
         .explode("supplements").unnest("supplements")
         .filter(pl.col("requested_at").is_not_null()))
    wait = (pl.col("completed_at") - pl.col("requested_at")).clip(pl.duration(seconds=0))
    by_horizon = pl.col("requested_at") <= pl.col("horizon")
    done_by = (pl.col("completed_at") <= pl.col("horizon")).fill_null(False)
    s1 = s.group_by("row").agg(
        # More than one request made by T is late, even one made after the dossier ended.
        requests=(pl.col("requested_at") <= t).sum(),
        waited_h=wait.filter(done_by & by_horizon).sum(),
        outstanding=pl.col("requested_at").filter(~done_by & by_horizon).min(),
    )
    # A supplement outstanding (open, or when the dossier ended): processing ends at its
    # request; only waits completed by then count.
    s2 = (s.join(s1.filter(pl.col("outstanding").is_not_null()), on="row")
          .filter(pl.col("requested_at") <= pl.col("outstanding"),
                  pl.col("completed_at") <= pl.col("outstanding"))
          .group_by("row").agg(waited_o=wait.sum()))

    procs = scan(data, "procedures", fmt, {"procedure_code": pl.Utf8, "units": pl.Utf8}).select(
        "procedure_code", "paper_result", "statutory_time", "statutory_time_unit")
    cal = pl.read_csv(os.path.join(data, "calendar.csv"), try_parse_dates=True)
    day0 = cal["date"][0]
    cum = cal["working"].cast(pl.Int64).cum_sum()  # working days up to and including the day
    workdays = cal.filter(pl.col("working"))["date"]
    # received + n working days, time kept; received on a day off: from 08:00 of the next
    # working day (chiso-calendar's convention)
    dayno = (pl.col("received_at").dt.date() - pl.lit(day0)).dt.total_days()
    on_workday = pl.lit(cal["working"]).gather(dayno)
    n = pl.col("statutory_time").ceil().cast(pl.Int64)
    statutory_day = pl.lit(workdays).gather(
        pl.lit(cum).gather(dayno) + n - on_workday.cast(pl.Int64))
    since_midnight = pl.col("received_at") - pl.col("received_at").dt.truncate("1d")
    statutory = statutory_day.cast(pl.Datetime("us")) + pl.when(on_workday).then(
        since_midnight).otherwise(pl.duration(hours=8))
    deadline = pl.coalesce(
        "due_at",
        pl.when(pl.col("statutory_time").is_not_null()
                & (pl.col("statutory_time_unit") == "working_days")).then(statutory),
    )

    d = (d.join(s1, on="row", how="left").join(s2, on="row", how="left")
         .join(procs, on="procedure_code", how="left"))
    zero = pl.duration(seconds=0)
    from_outstanding = pl.col("outstanding").is_not_null()
    d = d.with_columns(
        end=pl.coalesce("outstanding", pl.col("terminal")),
        waited=pl.when(from_outstanding).then(pl.col("waited_o").fill_null(zero))
        .otherwise(pl.col("waited_h").fill_null(zero)),
        repeated=pl.col("requests").fill_null(0) > 1,
        deadline=deadline,
        paper=pl.col("paper_result").fill_null(False),
    )
    late = pl.col("repeated") | (
        pl.when(pl.col("end").is_not_null())
        .then(pl.col("end") - pl.col("waited") > pl.col("deadline"))
        .otherwise(t - pl.col("waited") > pl.col("deadline"))
        .fill_null(False)
    )
    judged = pl.col("repeated") | pl.col("deadline").is_not_null()
    scores = judged & ~late
    result_ok = ~pl.col("paper") | pl.col("e_result")
    fee = pl.col("fee_total") > 0
    flag = pl.Expr.fill_null
    counts = d.group_by("unit_code").agg(
        received=pl.len(),
        judged=judged.sum(),
        on_time=scores.sum(),
        online=((pl.col("channel") == 2) & result_ok).sum(),
        fee_dossiers=fee.sum(),
        paid_online=(fee & pl.col("paid_online").is_in([1, 2])).sum(),
        e_result=flag(pl.col("e_result"), False).sum(),
        digitised=(pl.col("digitised") & result_ok).sum(),
        reused_data=flag(pl.col("reused_data"), False).sum(),
        personal_store=flag(pl.col("personal_store"), False).sum(),
        population_data=flag(pl.col("population_data"), False).sum(),
        satisfied=(~flag(pl.col("unsatisfied"), False) & ~flag(pl.col("has_petition"), False)
                   & ~late).sum(),
    )
    units = scan(data, "units", fmt, {"code": pl.Utf8, "parent": pl.Utf8}).select(
        "code", "parent").collect()
    bridge = pl.LazyFrame(c.ancestors(units.iter_rows()), schema=["unit_code", "unit"],
                          orient="row")
    pooled = (bridge.join(counts, on="unit_code", how="left").group_by("unit")
              .agg(pl.col(x).sum() for x in c.COUNTERS).collect())
    return c.from_counts(pooled.iter_rows(named=True))


if __name__ == "__main__":
    c.main(run)
