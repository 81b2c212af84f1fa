"""Hand-made dossiers for the cases the generator rarely or never produces (check_small.py scores
them with chiso and every peer). Each row says what it tests; T = 2026-11-20 16:00.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import polars as pl
from make_data import write_all


def ts(s: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(s) if s else None


def waits(*pairs: tuple[str, str | None]) -> str:
    return json.dumps([{"requested_at": r, "completed_at": c} for r, c in pairs])


def cases(paper3: str, plain1: str) -> list[dict]:
    """`paper3`: a paper-result, fee-bearing procedure of 3 working days; `plain1`: no paper
    result, 1 working day."""
    R, D = "2026-03-02T09:00:00", "2026-03-05T09:00:00"  # received Mon, due Thu
    rows = [
        # (what, overrides)
        ("finished exactly at due: on time", dict(finished_at=D, status=9)),
        ("finished a minute late", dict(finished_at="2026-03-05T09:01:00", status=9)),
        ("finish recorded after T, not returned: open, not yet due",
         dict(received_at="2026-11-18T09:00:00", due_at="2026-12-05T09:00:00",
              finished_at="2026-12-01T09:00:00", status=4)),
        ("finish after T but returned before T: ended at the return",
         dict(finished_at="2026-12-01T09:00:00", returned_at="2026-03-06T09:00:00", status=10)),
        ("completed supplement of 1 day subtracted: on time",
         dict(finished_at="2026-03-05T21:00:00", status=9,
              supplements=waits(("2026-03-03T09:00:00", "2026-03-04T09:00:00")))),
        ("supplement requested after the end is ignored: late",
         dict(finished_at="2026-03-05T21:00:00", status=9,
              supplements=waits(("2026-03-06T09:00:00", "2026-03-09T09:00:00")))),
        ("two requests: late although early",
         dict(finished_at="2026-03-03T09:00:00", status=9,
              supplements=waits(("2026-03-02T10:00:00", "2026-03-02T11:00:00"),
                                ("2026-03-02T12:00:00", "2026-03-02T13:00:00")))),
        ("open, supplement outstanding since before due: ends at the request, on time",
         dict(status=5, supplements=waits(("2026-03-04T09:00:00", None)))),
        ("finished long after due, a supplement requested before due never completed: ended at"
         " the request (§3 step 2), on time",
         dict(finished_at="2026-03-10T09:00:00", status=9,
              supplements=waits(("2026-03-04T09:00:00", None)))),
        ("finished on time, a second request after the end but before T: two requests, late",
         dict(finished_at=D, status=9,
              supplements=waits(("2026-03-03T09:00:00", "2026-03-03T10:00:00"),
                                ("2026-03-06T09:00:00", None)))),
        ("open, one completed wait of 2 days, long past due: overdue",
         dict(status=5, supplements=waits(("2026-03-02T10:00:00", "2026-03-04T10:00:00"),))),
        ("open, completed wait then an outstanding request: ends at it, two requests: late",
         dict(status=5, supplements=waits(("2026-03-02T10:00:00", "2026-03-04T10:00:00"),
                                          ("2026-03-06T10:00:00", None)))),
        ("open, second request after T does not count yet",
         dict(received_at="2026-11-16T09:00:00", due_at="2026-11-25T09:00:00", status=5,
              supplements=waits(("2026-11-17T09:00:00", "2026-11-18T09:00:00"),
                                ("2026-11-21T09:00:00", None)))),
        ("open and past due: overdue",
         dict(received_at="2026-11-10T09:00:00", due_at="2026-11-13T09:00:00", status=4)),
        ("open, 10 days of completed waits: T - waits before due, within deadline (chiso"
         " subtracts completed waits from T for open dossiers too)",
         dict(received_at="2026-11-04T09:00:00", due_at="2026-11-13T09:00:00", status=4,
              supplements=waits(("2026-11-05T09:00:00", "2026-11-15T09:00:00")))),
        ("no due date, 3 working days from Fri 9 Jan (Sat 10 Jan is a make-up working day):"
         " deadline Tue 13 Jan 10:00, finished 09:00: on time",
         dict(received_at="2026-01-09T10:00:00", due_at=None, finished_at="2026-01-13T09:00:00",
              status=9)),
        ("same, finished 11:00: late",
         dict(received_at="2026-01-09T10:00:00", due_at=None, finished_at="2026-01-13T11:00:00",
              status=9)),
        ("no due date, received on Sunday 11 Jan, 1 working day: a day off rolls to 08:00 of"
         " the next working day, deadline Tue 13 Jan 08:00",
         dict(procedure_code=plain1, received_at="2026-01-11T14:00:00", due_at=None,
              finished_at="2026-01-12T13:59:00", status=9)),
        ("no due date, received during Tet (17 Feb), 3 working days: from Mon 23 Feb 08:00,"
         " deadline Thu 26 Feb 08:00, finished 25 Feb 08:31: early",
         dict(received_at="2026-02-17T08:30:00", due_at=None, finished_at="2026-02-25T08:31:00",
              status=9)),
        ("no due date, procedure not in the catalogue: cannot be judged, left out of 2.1",
         dict(procedure_code="9.999999", due_at=None, finished_at="2026-06-30T09:00:00",
              status=9)),
        ("status missing, inferred returned: counted",
         dict(finished_at="2026-03-04T09:00:00", returned_at="2026-03-04T10:00:00",
              status=None)),
        ("status missing, only received: inferred in progress", dict(status=None)),
        ("status 1 with a receipt time: not received", dict(status=1)),
        ("refused at the counter", dict(status=3)),
        ("received after T", dict(received_at="2026-11-21T09:00:00", due_at=None, status=4)),
        ("received in 2025", dict(received_at="2025-12-31T09:00:00", status=4)),
        ("channel missing: direct", dict(channel=None, finished_at=D, status=9)),
        ("postal", dict(channel=3, finished_at=D, status=9)),
        ("online, paper procedure, no e-result: not online in 3.3, not digitised in 4.2",
         dict(channel=2, digitised=True, finished_at=D, status=9)),
        ("online with e-result", dict(channel=2, e_result=True, digitised=True, finished_at=D,
                                      status=9)),
        ("online, no paper result", dict(procedure_code=plain1, channel=2, digitised=True,
                                         due_at="2026-03-03T09:00:00", status=4)),
        ("paid online without a fee: not in 3.6", dict(fee_total=0.0, paid_online=1, status=4)),
        ("fee paid at a provincial gateway", dict(fee_total=50000.0, paid_online=2, status=4)),
        ("fee, not paid online", dict(fee_total=50000.0, paid_online=0, status=4)),
        ("unsatisfied, petition, reused, store, population flags",
         dict(unsatisfied=True, reused_data=True, personal_store=True, population_data=True,
              finished_at=D, status=9)),
        ("petition about it", dict(has_petition=True, finished_at=D, status=9)),
    ]
    out = []
    for i, (what, kw) in enumerate(rows):
        r = dict(dossier_id=f"EDGE-{i:03d}", unit_code="", procedure_code=paper3, channel=1,
                 received_at=R, due_at=D, finished_at=None, returned_at=None, status=4,
                 supplements=None, fee_total=0.0, paid_online=0, e_result=False,
                 digitised=False, reused_data=False, personal_store=False,
                 population_data=False, unsatisfied=False, has_petition=False, what=what)
        r.update(kw)
        out.append(r)
    return out


def write(out: str, base: str) -> None:
    """Writes the edge cases to `out` with the catalogue and units of the dataset in `base`."""
    os.makedirs(out, exist_ok=True)
    procs = pl.read_parquet(os.path.join(base, "procedures.parquet"))
    units = pl.read_parquet(os.path.join(base, "units.parquet"))
    pick = procs.filter(pl.col("paper_result"), pl.col("fee_bearing"), pl.col("statutory_time")
                        == 3, pl.col("units").str.contains("T52.H1", literal=True))
    plain = procs.filter(~pl.col("paper_result"), pl.col("statutory_time") == 1)
    rows = cases(pick["procedure_code"][0], plain["procedure_code"][0])
    schema = pl.read_parquet_schema(os.path.join(base, "dossiers.parquet"))
    # One unit per case under district T52.H1, so every case is compared on its own.
    units = pl.concat([units, pl.DataFrame(
        {"code": [f"T52.H1.E{i:02d}" for i in range(len(rows))],
         "name": [r["what"] for r in rows], "kind": ["department"] * len(rows),
         "parent": ["T52.H1"] * len(rows), "e_certified_copy": [None] * len(rows)},
        schema=units.schema)])
    for i, r in enumerate(rows):
        r["unit_code"] = f"T52.H1.E{i:02d}"
        for k in ("received_at", "due_at", "finished_at", "returned_at"):
            r[k] = ts(r[k])
    df = pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)
    write_all(df, out, "dossiers")
    write_all(procs, out, "procedures")
    write_all(units, out, "units")
    with open(os.path.join(base, "calendar.csv")) as src, \
            open(os.path.join(out, "calendar.csv"), "w") as dst:
        dst.write(src.read())
