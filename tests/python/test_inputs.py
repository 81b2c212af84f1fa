"""The same records given as pandas, polars, pyarrow (several string, time and dictionary
encodings), chiso.read records, or lists of dicts give identical scorecards."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import chiso


def scored(sample: chiso.Sample, dossiers, **kw) -> chiso.Scorecard:
    return chiso.score(
        dossiers,
        procedures=kw.pop("procedures", sample.procedures),
        units=kw.pop("units", sample.units),
        petitions=kw.pop("petitions", sample.petitions),
        period=sample.period,
        as_of=sample.as_of,
        **kw,
    )


def fingerprint(card: chiso.Scorecard) -> str:
    data = json.loads(card.to_json())
    return json.dumps(
        {"units": data["scorecard"]["units"], "accounting": data["accounting"]}, sort_keys=True
    )


@pytest.fixture(scope="module")
def reference(sample, card) -> str:
    return fingerprint(card)


@pytest.fixture(scope="module")
def arrow_table(sample) -> pa.Table:
    return pa.Table.from_pylist(sample.dossiers)


def test_scorecard_has_every_unit(card, sample) -> None:
    assert len(card.units) == len(sample.units)
    assert card.accounting["read"] == len(sample.dossiers) + len(sample.petitions)
    assert card.accounting["rejected"] == 0


def test_pyarrow_table(sample, reference, arrow_table) -> None:
    assert fingerprint(scored(sample, arrow_table)) == reference


def test_pyarrow_record_batch_reader(sample, reference, arrow_table) -> None:
    reader = pa.RecordBatchReader.from_batches(arrow_table.schema, arrow_table.to_batches(1000))
    assert fingerprint(scored(sample, reader)) == reference


def test_pandas_frame(sample, reference, arrow_table) -> None:
    assert fingerprint(scored(sample, pd.DataFrame(sample.dossiers))) == reference
    arrow_backed = arrow_table.to_pandas(types_mapper=pd.ArrowDtype)
    assert fingerprint(scored(sample, arrow_backed)) == reference


def test_polars_frame_utf8view(sample, reference, arrow_table) -> None:
    df = pl.from_arrow(arrow_table)
    assert isinstance(df, pl.DataFrame)
    assert fingerprint(scored(sample, df)) == reference


def test_all_inputs_as_tables(sample, reference) -> None:
    card = chiso.score(
        pl.DataFrame(sample.dossiers),
        procedures=pa.Table.from_pylist(sample.procedures),
        units=pd.DataFrame(sample.units),
        petitions=pl.DataFrame(sample.petitions),
        period=sample.period,
        as_of=sample.as_of,
    )
    assert fingerprint(card) == reference


def test_large_strings_dictionaries_and_zoned_timestamps(sample, reference, arrow_table) -> None:
    t = arrow_table
    for name in ("unit_code", "procedure_code"):
        i = t.schema.get_field_index(name)
        t = t.set_column(i, name, pa.compute.dictionary_encode(t[name]))
    i = t.schema.get_field_index("dossier_id")
    t = t.set_column(i, "dossier_id", t["dossier_id"].cast(pa.large_string()))
    # The same instants with a zone: Vietnam wall-clock time minus 7 hours, tagged UTC.
    for name in ("received_at", "due_at", "finished_at", "returned_at"):
        i = t.schema.get_field_index(name)
        col = pa.compute.subtract(t[name], pa.scalar(dt.timedelta(hours=7)))
        t = t.set_column(i, name, col.cast(pa.timestamp("us", tz="UTC")))
    assert fingerprint(scored(sample, t)) == reference


def test_vietnamese_headers(sample, reference, arrow_table) -> None:
    renamed = arrow_table.rename_columns(
        ["Ngày tiếp nhận" if c == "received_at" else c for c in arrow_table.column_names]
    )
    assert fingerprint(scored(sample, renamed)) == reference
    rows = [
        {("Ngày tiếp nhận" if k == "received_at" else k): v for k, v in d.items()}
        for d in sample.dossiers
    ]
    assert fingerprint(scored(sample, rows)) == reference


def test_read_records_from_a_file(sample, reference, tmp_path) -> None:
    path = tmp_path / "dossiers.parquet"
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(sample.dossiers), path)
    records = chiso.read(path)
    assert records.kind == "dossiers"
    assert len(records) == len(sample.dossiers)
    assert len(records.rejects()) == 0
    assert fingerprint(scored(sample, records)) == reference


def test_dates_and_date_as_of(sample) -> None:
    card = chiso.score(
        [
            {
                "dossier_id": "A",
                "unit_code": "H44.07",
                "procedure_code": "1",
                "received_at": dt.date(2026, 9, 7),
                "due_at": dt.datetime(2026, 9, 11, 17),
                "status": 4,
            }
        ],
        period="2026-09",
        as_of=dt.date(2026, 9, 10),
    )
    assert card.meta["evaluated_at"] == dt.datetime(2026, 9, 10, 23, 59, 59)
    assert card.dossiers("within").to_pylist()[0]["dossier_id"] == "A"
