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
