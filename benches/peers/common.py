"""What every peer shares: the evaluation setting, the indicator table of profile portal-2026, the
result shape, reading chiso's scorecard JSON and comparing results.

Rules (DATA-MODEL.md §3, crates/chiso/src/classify.rs, tally.rs, measure.rs), default options:
- counted: effective status not 1/3, received_at present, received_at <= T and on a day of 2026;
  T = min(as_of, period end); status missing is inferred (returned 10, finished 9, received 4, 1).
- end of processing: finished_at if <= T, else returned_at if <= T; but a supplement outstanding
  at the horizon (requested <= the end, or <= T while open; not completed by it) ends processing
  at its earliest request, ended or open (§3 step 2); waits completed by the end are subtracted;
  > 1 request by the horizon = late.
- deadline: due_at; without one, received_at + the procedure's statutory time in Vietnamese
  working days (calendar.csv, same calendar as chiso); without either (and not repeated), the
  dossier cannot be judged and is left out of 2.1 (its denominator `judged`), §3 step 5.
- late: repeated, or ended with end - waited > deadline, or open with T - waited > deadline;
  scores (2.1 numerator) = judged and not late; 5.4 satisfied = not late, not unsatisfied, no
  petition.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Callable, Iterable

PERIOD = "2026"
AS_OF = "2026-11-20T16:00"
PERIOD_START = dt.date(2026, 1, 1)
PERIOD_END = dt.date(2026, 12, 31)
T = min(dt.datetime(2026, 11, 20, 16, 0),
        dt.datetime.combine(PERIOD_END, dt.time(23, 59, 59, 999999)))

# id, numerator counter, denominator counter, max points, target (None = linear)
INDICATORS: list[tuple[str, str, str, float, float | None]] = [
    ("2.1", "on_time", "judged", 20.0, None),
    ("3.3", "online", "received", 6.0, 0.50),
    ("3.6", "paid_online", "fee_dossiers", 6.0, None),
    ("4.1", "e_result", "received", 6.0, None),
    ("4.2", "digitised", "received", 4.0, None),
    ("4.3", "reused_data", "received", 2.0, 0.80),
    ("4.4", "personal_store", "received", 4.0, None),
    ("4.5b", "population_data", "received", 2.0, None),
    ("5.4", "satisfied", "received", 6.0, 0.90),
]
IDS = [i[0] for i in INDICATORS]
COUNTERS = ["received", "judged", "on_time", "online", "fee_dossiers", "paid_online", "e_result",
            "digitised", "reused_data", "personal_store", "population_data", "satisfied"]

DOSSIER_COLUMNS = ["dossier_id", "unit_code", "procedure_code", "channel", "received_at",
                   "due_at", "finished_at", "returned_at", "status", "supplements", "fee_total",
                   "paid_online", "e_result", "digitised", "reused_data", "personal_store",
                   "population_data", "unsatisfied", "has_petition"]

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


def headers(data: str) -> dict[str, str]:
    """The dossier file's header of each canonical column: the data folder's `columns.json`
    (the wide export's Vietnamese headers), else the canonical names themselves."""
    path = os.path.join(data, "columns.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def header(names: dict[str, str], col: str) -> str:
    return names.get(col, col)

Result = dict[tuple[str, str], tuple[int, int, float]]  # (unit, id) -> (num, den, points)


def points(num: float, den: float, p: float, target: float | None) -> float:
    """The score rule; every indicator here scores 0 on an empty denominator."""
    if den <= 0:
        return 0.0
    r = min(max(num / den, 0.0), 1.0)
    return p * r if target is None else min(p * r / target, p)


def from_counts(rows: Iterable[dict]) -> Result:
    """Result from per-unit pooled counters (dicts with `unit` and every counter)."""
    out: Result = {}
    for c in rows:
        for ind, num, den, p, target in INDICATORS:
            n, d = int(c[num]), int(c[den])
            out[(c["unit"], ind)] = (n, d, points(n, d, p, target))
    return out


def from_chiso_json(text: str) -> Result:
    card = json.loads(text)
    card = card.get("scorecard", card)  # the CLI wraps it with the input accounting
    out: Result = {}
    for u in card["units"]:
        code = u["unit"]
        for i in u["indicators"]:
            if i["id"] in IDS:
                out[(code, i["id"])] = (round(i["numerator"]), round(i["denominator"]),
                                        float(i["points"]))
    return out


def compare(name: str, got: Result, want: Result) -> list[str]:
    """Differences of a peer's result from chiso's (every unit the peer reports, all ids)."""
    errors = []
    missing = sorted({k[0] for k in want} - {k[0] for k in got})
    if missing:
        errors.append(f"{name}: units missing: {missing[:5]}")
    for key, (n, d, pts) in sorted(want.items()):
        if key not in got:
            continue
        gn, gd, gp = got[key]
        if gn != n or gd != d or not math.isclose(gp, pts, rel_tol=0, abs_tol=1e-9):
            errors.append(f"{name}: unit {key[0]} indicator {key[1]}: peer {gn}/{gd} "
                          f"-> {gp!r}, chiso {n}/{d} -> {pts!r}")
    for key in sorted(set(got) - set(want)):
        errors.append(f"{name}: unit {key[0]} indicator {key[1]} not in chiso's scorecard")
    return errors


def ancestors(units: Iterable[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """(unit, ancestor-or-self) pairs of a unit tree of any depth: the pooling bridge."""
    parent = dict(units)
    pairs = []
    for u in parent:
        a: str | None = u
        seen = set()
        while a is not None and a not in seen:
            seen.add(a)
            pairs.append((u, a))
            a = parent.get(a)
    return pairs


def main(run: Callable[[str, str], Result]) -> None:
    """The command line every peer shares: `peer_X.py DATA [--format F] [--out FILE]` runs the
    peer on a data folder and writes its results as JSON (what the harness compares and times)."""
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--format", default="parquet")
    ap.add_argument("--out")
    a = ap.parse_args()
    res = run(a.data, a.format)
    if a.out:
        with open(a.out, "w") as f:
            json.dump([[u, i, *v] for (u, i), v in sorted(res.items())], f)
