"""chiso.Scoreboard: the live scoreboard equals chiso.score of the latest records at the same
moment, whatever the batches; upserts are idempotent and stale syncs ignored; project equals
advancing a copy; snapshots round-trip and corrupted ones are refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import chiso


def _board(sample: chiso.Sample) -> chiso.Scoreboard:
    return chiso.Scoreboard(
        period=sample.period,
        procedures=sample.procedures,
        units=sample.units,
        petitions=sample.petitions,
        as_of=dt.datetime(2026, 1, 1),
    )


def _units(card: chiso.Scorecard) -> dict:
    return json.loads(card.to_json())["scorecard"]


def test_live_equals_batch_scoring(sample: chiso.Sample) -> None:
    board = _board(sample)
    rows = sample.dossiers
    quarter = len(rows) // 4
    for k in range(4):
        part = rows[k * quarter : (k + 1) * quarter if k < 3 else len(rows)]
        board.upsert(part)
        board.advance(dt.datetime(2026, 3 * k + 2, 1))
    board.advance(sample.as_of)
    assert len(board) == len(rows)
    live = board.scorecard(sample.period)
    batch = sample.score()
    assert live.units == batch.units
    assert _units(live) == _units(batch)
    assert live.total() > 0


def test_upserts_are_idempotent_and_stale_syncs_ignored(sample: chiso.Sample) -> None:
    board = _board(sample)
    frame = pd.DataFrame(sample.dossiers[:500])
    frame["synced_at"] = pd.Timestamp("2026-06-01 08:00")
    first = board.upsert(pa.Table.from_pandas(frame))
    assert first["added"] == 500
    board.advance(sample.as_of)
    before = _units(board.scorecard())
    again = board.upsert(frame)
    assert again["unchanged"] == 500
    older = frame.copy()
    older["synced_at"] = pd.Timestamp("2026-05-01 08:00")
    older["finished_at"] = None
    older["status"] = 4
    assert board.upsert(older)["stale"] == 500
    assert _units(board.scorecard()) == before


def test_unreadable_rows_are_set_aside_or_raise_with_nothing_applied(
    sample: chiso.Sample,
) -> None:
    board = _board(sample)
    board.advance(sample.as_of)
    rows = [dict(r) for r in sample.dossiers[:300]]
    rows[10]["received_at"] = "31/02/2026"
    rows[20]["dossier_id"] = None
    done = board.upsert(rows)
    assert (done["added"], done["rejected"], done["stale"]) == (298, 2, 0)
    rejects = board.rejects().to_pylist()
    assert [(r["row"], r["column"]) for r in rejects] == [(11, "received_at"), (21, "dossier_id")]
    assert len(board.rejects()) == 0, "listed once"
    # The same as the 298 readable rows alone.
    alone = _board(sample)
    alone.advance(sample.as_of)
    alone.upsert([r for i, r in enumerate(rows) if i not in (10, 20)])
    assert _units(board.scorecard()) == _units(alone.scorecard())

    before = _units(board.scorecard())
    more = [dict(r) for r in sample.dossiers[300:400]]
    more[5]["received_at"] = "not a date"
    with pytest.raises(chiso.InputError, match="row 6") as raised:
        board.upsert(more, errors="raise")
    assert raised.value.column == "received_at"
    assert len(board) == 298 and _units(board.scorecard()) == before, "nothing applied"
    with pytest.raises(chiso.ChisoError, match="errors must be"):
        board.upsert(more, errors="ignore")


def test_changes_name_before_after_and_dossiers(sample: chiso.Sample) -> None:
    board = _board(sample)
    board.changes()
    board.upsert(sample.dossiers[:300])
    board.advance(sample.as_of)
    rows = board.changes().to_pylist()
    assert rows, "something moved"
    assert {"unit", "indicator", "points_before", "points_after", "dossiers"} <= rows[0].keys()
    moved = [r for r in rows if r["dossiers"]]
    assert moved, "changes name the dossiers that moved them"
    assert board.changes().to_pylist() == [], "nothing moved since the last call"


def test_project_equals_advancing_a_loaded_copy(sample: chiso.Sample, tmp_path: Path) -> None:
    board = _board(sample)
    board.upsert(sample.dossiers)
    board.advance(dt.datetime(2026, 10, 1))
    path = tmp_path / "board.chiso"
    board.save(path)
    copy = chiso.Scoreboard.load(path)
    assert copy.now == board.now
    assert _units(copy.scorecard()) == _units(board.scorecard())
    at = dt.datetime(2026, 10, 20)
    projected = board.project(at)
    copy.advance(at)
    assert _units(projected) == _units(copy.scorecard())
    assert board.now == dt.datetime(2026, 10, 1), "project leaves the board as it was"
    # What the projection says will move is what moved on the copy.
    risk = board.at_risk(at).to_pylist()
    assert risk, "deadlines pass between the two moments"
    moved = copy.changes().to_pylist()

    def figures(rows: list[dict]) -> list[tuple]:
        return [
            tuple(v for k, v in r.items() if k not in ("dossiers", "more_dossiers")) for r in rows
        ]

    assert figures(risk) == figures(moved)
    assert all(r["dossiers"] for r in risk if r["points_delta"] != 0)


def test_corrupted_snapshots_are_refused(sample: chiso.Sample, tmp_path: Path) -> None:
    board = _board(sample)
    board.upsert(sample.dossiers[:200])
    path = tmp_path / "board.chiso"
    board.save(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    bad = tmp_path / "flipped.chiso"
    bad.write_bytes(bytes(data))
    with pytest.raises(chiso.ChisoError, match="checksum"):
        chiso.Scoreboard.load(bad)
    short = tmp_path / "short.chiso"
    short.write_bytes(path.read_bytes()[:100])
    with pytest.raises(chiso.ChisoError, match="truncated"):
        chiso.Scoreboard.load(short)
    foreign = tmp_path / "foreign.chiso"
    foreign.write_bytes(b"PAR1 not a scoreboard at all")
    with pytest.raises(chiso.ChisoError, match="not a chiso"):
        chiso.Scoreboard.load(foreign)


def _tables_board(s: chiso.Sample) -> chiso.Scoreboard:
    return chiso.Scoreboard(
        period=s.period,
        procedures=s.procedures,
        units=s.units,
        petitions=s.petitions,
        as_of=dt.datetime(2026, 1, 1),
    )


@pytest.fixture(scope="module")
def tables() -> chiso.Sample:
    """The sample as Arrow tables (what dataframes hand over), without the process log (the live
    state keeps none, so drill-downs can be compared column for column)."""
    s = chiso.generate(4_000, seed=11)
    d = s.dossiers.to_arrow()
    d = d.drop_columns(["steps"]).append_column(
        "synced_at", pa.array([dt.datetime(2026, 6, 1, 8)] * d.num_rows, pa.timestamp("s"))
    )
    return chiso.Sample(
        units=s.units,
        procedures=s.procedures,
        dossiers=d,
        petitions=s.petitions,
        as_of=s.as_of,
        period=s.period,
    )


@pytest.mark.parametrize("shape", ["pyarrow", "batches", "polars", "pandas"])
def test_arrow_upserts_take_the_columnar_path(tables: chiso.Sample, shape: str) -> None:
    table: pa.Table = tables.dossiers
    third = table.num_rows // 3
    parts = [table.slice(0, third), table.slice(third, third), table.slice(2 * third)]

    def as_shape(t: pa.Table) -> object:
        if shape == "batches":
            return t.combine_chunks().to_batches()[0]
        if shape == "polars":
            import polars as pl

            return pl.from_arrow(t)
        if shape == "pandas":
            return t.to_pandas()
        return t

    board = _tables_board(tables)
    for k, part in enumerate(parts):
        done = board.upsert(as_shape(part))
        assert done["reader"] == "columnar", done
        assert done["added"] == part.num_rows
        board.advance(dt.datetime(2026, 3 * k + 3, 1))
    board.advance(tables.as_of)
    # The same records as dicts take the row path and end in the same place.
    rows = _tables_board(tables)
    done = rows.upsert(table.to_pylist())
    assert done["reader"] == "rows"
    rows.advance(tables.as_of)
    live = _units(board.scorecard())
    assert live == _units(rows.scorecard())
    assert live == _units(tables.score())
    # An older sync of every dossier (still open) is stale on both paths; the same sync again
    # changes nothing.
    older = table.drop_columns(["synced_at", "finished_at", "returned_at"]).append_column(
        "synced_at", pa.array([dt.datetime(2026, 5, 1)] * table.num_rows, pa.timestamp("s"))
    )
    assert board.upsert(older)["stale"] == table.num_rows
    assert rows.upsert(older.to_pylist())["stale"] == table.num_rows
    assert board.upsert(as_shape(table))["unchanged"] == table.num_rows
    assert _units(board.scorecard()) == live


def _sorted(t: chiso.Table) -> list[dict]:
    return sorted(t.to_pylist(), key=lambda r: (r["dossier_id"], str(r)))


def test_live_drill_downs_equal_batch_ones(tables: chiso.Sample) -> None:
    board = _tables_board(tables)
    # Two syncs of each dossier: first still open, then its final state.
    table: pa.Table = tables.dossiers
    opened = table.drop_columns(["synced_at", "finished_at", "returned_at"]).append_column(
        "synced_at", pa.array([dt.datetime(2026, 5, 1)] * table.num_rows, pa.timestamp("s"))
    )
    board.upsert(opened)
    board.advance(dt.datetime(2026, 6, 1))
    board.upsert(table.to_pylist()[: table.num_rows // 2])
    board.upsert(table.slice(table.num_rows // 2))
    board.advance(tables.as_of)
    live = board.scorecard()
    batch = tables.score()
    assert _units(live) == _units(batch)
    statuses = ["overdue", "late", "lost", "on_time", "open", "within", "at_risk", "scored"]
    for status in [*statuses, "excluded", "all"]:
        got, want = _sorted(live.dossiers(status)), _sorted(batch.dossiers(status))
        assert got == want, status
        if status in ("overdue", "all"):
            assert want, f"the sample has {status} dossiers"
    unit = batch.units[1]
    assert _sorted(live.dossiers("lost", unit=unit)) == _sorted(batch.dossiers("lost", unit=unit))
    assert _sorted(live.overdue(within=3)) == _sorted(batch.overdue(within=3))
    # A scorecard keeps the state it was made from: later syncs (every deadline moved to next
    # year) do not change its drill-downs.
    overdue = _sorted(live.dossiers("overdue"))
    n = table.num_rows
    later = pa.array([dt.datetime(2027, 6, 1)] * n, pa.timestamp("s"))
    extended = table.drop_columns(["synced_at", "due_at", "rescheduled_due_at"])
    extended = extended.append_column("due_at", later)
    extended = extended.append_column(
        "synced_at", pa.array([dt.datetime(2026, 12, 1)] * n, pa.timestamp("s"))
    )
    board.upsert(extended)
    assert _sorted(board.scorecard().dossiers("overdue")) != overdue, "the board moved on"
    assert _sorted(live.dossiers("overdue")) == overdue
