"""Arrow dossiers (pyarrow, polars, pandas, Parquet / Arrow IPC files read by chiso.read) are
scored by the columnar fast path, which gives exactly the row path's scorecard, accounting and
drill-downs; tables it cannot take (duplicate ids, text dates, a cell the row path rejects) go
down the row path. The process log is never read for scoring: a malformed one rejects nothing.
``card.accounting["reader"]`` says which path was taken."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest

import chiso


@pytest.fixture(scope="module")
def sample() -> chiso.Sample:
    return chiso.generate(6_000, seed=23, as_dicts=True)


def _json(v: object) -> str:
    return json.dumps(v, default=lambda x: x.isoformat())


def plain_rows(sample: chiso.Sample) -> list[dict]:
    """The sample's dossiers in the plain shape dataframes export: typed times, flags and
    codes; supplements, fee waits and the process log as JSON text."""
    out = []
    for d in sample.dossiers:
        d = dict(d)
        for name in ("supplements", "fee_waits", "steps"):
            d[name] = _json(d[name]) if d[name] else None
        out.append(d)
    return out


@pytest.fixture(scope="module")
def rows(sample) -> list[dict]:
    return plain_rows(sample)


@pytest.fixture(scope="module")
def table(rows) -> pa.Table:
    t = pa.Table.from_pylist(rows)
    assert t.schema.field("received_at").type == pa.timestamp("us")
    assert t.schema.field("supplements").type == pa.string()
    return t


def score(sample: chiso.Sample, dossiers, **kw) -> chiso.Scorecard:
    return chiso.score(
        dossiers,
        procedures=sample.procedures,
        units=kw.pop("units", sample.units),
        petitions=sample.petitions,
        period=sample.period,
        as_of=sample.as_of,
        **kw,
    )


def assert_same(fast: chiso.Scorecard, rows: chiso.Scorecard, *, drill: bool = True) -> None:
    """Every number of the two scorecards, their accounting, and (optionally) the drill-downs."""
    assert fast.to_json() == rows.to_json()
    assert fast.indicators().to_pylist() == rows.indicators().to_pylist()
    assert fast.table().to_pylist() == rows.table().to_pylist()
    strip = ("reader", "reader_note")
    a = {k: v for k, v in fast.accounting.items() if k not in strip}
    b = {k: v for k, v in rows.accounting.items() if k not in strip}
    assert a == b
    if drill:
        for status in ("all", "overdue", "late", "excluded"):
            assert fast.dossiers(status).to_pylist() == rows.dossiers(status).to_pylist()
        assert fast.overdue().to_pylist() == rows.overdue().to_pylist()
        assert fast.check().to_pylist() == rows.check().to_pylist()
        fo, fu = fast.officials()
        ro, ru = rows.officials()
        assert (fo.to_pylist(), fu.to_pylist()) == (ro.to_pylist(), ru.to_pylist())
        assert fast.plan().steps.to_pylist() == rows.plan().steps.to_pylist()


@pytest.fixture(scope="module")
def by_rows(sample, rows) -> chiso.Scorecard:
    card = score(sample, rows)
    assert card.accounting["reader"] == "rows"
    assert card.accounting["reader_note"] is None
    assert card.accounting["scored"] > 0 and card.accounting["excluded"] > 0
    return card


INPUTS = {
    "pyarrow": lambda t: t,
    "pyarrow-batches": lambda t: pa.RecordBatchReader.from_batches(t.schema, t.to_batches(700)),
    "polars": pl.from_arrow,
    "pandas": lambda t: t.to_pandas(),
    "pandas-arrow": lambda t: t.to_pandas(types_mapper=pd.ArrowDtype),
}


@pytest.mark.parametrize("kind", INPUTS)
def test_fast_path_equals_row_path(sample, table, by_rows, kind) -> None:
    card = score(sample, INPUTS[kind](table))
    assert card.accounting["reader"] == "columnar", card.accounting["reader_note"]
    assert card.accounting["reader_note"] is None
    assert_same(card, by_rows)


@pytest.mark.parametrize("suffix", ["parquet", "arrow"])
def test_read_files_use_the_fast_path(sample, table, by_rows, tmp_path, suffix) -> None:
    path = tmp_path / f"dossiers.{suffix}"
    if suffix == "parquet":
        pq.write_table(table, path, row_group_size=1000)
    else:
        feather.write_feather(table, path, compression="uncompressed")
    records = chiso.read(path)
    assert "on demand" in repr(records)
    card = score(sample, records)
    assert card.accounting["reader"] == "columnar"
    # Rejects in the file name the file, as the row reader's do.
    assert_same(card, by_rows)
    assert len(records) == len(table)
    assert len(records.rejects()) == 0
    assert "on demand" not in repr(records)
    # Records once converted are kept: changing the file afterwards changes nothing.
    pq.write_table(table.slice(0, 10), tmp_path / "other.parquet")
    (tmp_path / "other.parquet").replace(path)
    assert_same(score(sample, records), by_rows, drill=False)


def test_unit_seen_only_in_excluded_dossiers(sample, rows) -> None:
    """The row path's unit tree lists a unit whose every dossier is excluded (received in
    another year, or never): so must the fast path's."""
    extra = []
    for i, code in enumerate(["D52.TS.NEW", "ZZ.ONLY", " D52.TS.SPACE "]):
        d = dict(rows[i])
        d.update(dossier_id=f"EXTRA-{i}", unit_code=code)
        d["received_at"] = dt.datetime(2019, 1, 1, 8) if i else None
        extra.append(d)
    data = rows + extra
    for units in (sample.units, None):
        fast = score(sample, pa.Table.from_pylist(data), units=units)
        assert fast.accounting["reader"] == "columnar"
        slow = score(sample, data, units=units)
        assert {"D52.TS.NEW", "ZZ.ONLY", "D52.TS.SPACE"} <= set(slow.units)
        assert fast.units == slow.units
        assert_same(fast, slow, drill=False)


def steps_aside(sample, data: pa.Table | list[dict], why: str) -> chiso.Scorecard:
    card = score(sample, data if isinstance(data, pa.Table) else pa.Table.from_pylist(data))
    assert card.accounting["reader"] == "rows"
    assert why in card.accounting["reader_note"], card.accounting["reader_note"]
    return card


def test_duplicate_ids_step_aside(sample, rows) -> None:
    later = dict(rows[3], status=10, finished_at=dt.datetime(2026, 3, 1, 9))
    data = [*rows, later]
    card = steps_aside(sample, data, "duplicate")
    slow = score(sample, data)
    assert card.accounting["excluded_by_reason"]["duplicate superseded by a later sync"] == 1
    assert_same(card, slow)


def test_text_dates_take_the_fast_path(sample, rows, by_rows) -> None:
    """Text dates are read by the CSV fast path's parsers (issue 14; they used to step aside);
    an unreadable one steps aside, naming its row."""
    data = [dict(d, received_at=d["received_at"] and d["received_at"].isoformat()) for d in rows]
    card = score(sample, pa.Table.from_pylist(data))
    assert card.accounting["reader"] == "columnar", card.accounting["reader_note"]
    assert_same(card, by_rows)
    data[9]["received_at"] = "soon"
    steps_aside(sample, data, "received_at, row 10")


def test_a_cell_the_row_path_rejects_steps_aside(sample, rows) -> None:
    """``submitted_at`` is not scored, so the columnar tally does not read it; but the row path
    rejects a row whose submission time is not a date, and the fast path must give its result."""
    data = [dict(d, submitted_at=d["submitted_at"].isoformat()) for d in rows]
    fine = score(sample, pa.Table.from_pylist(data))
    assert fine.accounting["reader"] == "columnar"  # text dates that read are no reason
    data[7]["submitted_at"] = "not a date"
    card = steps_aside(sample, data, "submitted_at")
    slow = score(sample, data)
    assert card.accounting["rejected"] == slow.accounting["rejected"] == 1
    assert_same(card, slow)


def test_a_malformed_process_log_is_scored_and_listed_by_check(sample, rows, by_rows) -> None:
    """DATA-MODEL.md §1: only the toolkit reads the process log. A malformed one rejects nothing:
    the columnar path (which never decodes the log) and the row path score the dossier alike,
    and the data-quality report and the per-official figures name it."""
    data = [dict(d) for d in rows]
    # Two dossiers counted in the period (received, not refused), so officials() sees them too.
    counted = [i for i, d in enumerate(data) if d["received_at"] and d["status"] not in (1, 3)]
    bad = {counted[5]: '[{"step": "xu_ly", "started_at": "yesterday"}]', counted[9]: "{not json"}
    for i, text in bad.items():
        data[i]["steps"] = text
    fast = score(sample, pa.Table.from_pylist(data))
    assert fast.accounting["reader"] == "columnar", fast.accounting["reader_note"]
    slow = score(sample, data)
    assert slow.accounting["reader"] == "rows"
    assert fast.accounting["rejected"] == slow.accounting["rejected"] == 0
    assert_same(fast, by_rows, drill=False)
    assert_same(slow, by_rows, drill=False)
    ids = sorted(data[i]["dossier_id"] for i in bad)
    for card in (fast, slow):
        found = [r for r in card.check().to_pylist() if r["rule"] == "unreadable_process_log"]
        assert sorted(x for r in found for x in r["samples"].split()) == ids
    _, units = slow.officials()
    listed = [x for u in units.to_pylist() for x in u["unreadable_log_dossiers"].split()]
    assert sorted(listed) == ids


def test_records_are_shared_not_copied(sample, table, by_rows, tmp_path) -> None:
    """A scorecard from chiso.read records converts them once, for both."""
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    records = chiso.read(path)
    card = score(sample, records)
    assert "on demand" in repr(records)
    card.dossiers("all")
    assert "on demand" not in repr(records)
    assert card.reconcile(records).to_pylist() == by_rows.reconcile(table).to_pylist()
