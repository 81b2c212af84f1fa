"""The tables analysts actually have take the columnar path (issue 14): pandas with ``dtype=str``,
pandas with inferred or Arrow dtypes, polars with and without ``try_parse_dates``, pyarrow,
``chiso.read`` of CSV, and the generator's own tables. Each scorecard equals the row reader's
on the same data (the row reader is what the CLI falls back to; ``CHISO_ROW_PATH=1`` makes the
same route take it), and ``accounting["reader"]`` says ``"columnar"`` unless a cell forces
rows; then ``reader_note`` names the cell and why. Also: the fallback rule, pandas object
columns mixing datetimes and text (as ``pd.read_excel`` builds them), argument types, and a
unit that is its own parent."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import chiso

N = 3_000


@pytest.fixture(scope="module")
def sample() -> chiso.Sample:
    return chiso.generate(N, seed=5)


@pytest.fixture(scope="module")
def table(sample) -> pa.Table:
    t = sample.dossiers.to_arrow()
    assert t.num_rows == N
    return t


@pytest.fixture(scope="module")
def csv_path(table, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "dossiers.csv"
    pacsv.write_csv(table, path)
    return path


def score(sample: chiso.Sample, dossiers: Any, **kw: Any) -> chiso.Scorecard:
    return chiso.score(
        dossiers,
        procedures=sample.procedures,
        units=sample.units,
        petitions=sample.petitions,
        period=kw.pop("period", sample.period),
        as_of=sample.as_of,
        **kw,
    )


def numbers(card: chiso.Scorecard) -> str:
    data = json.loads(card.to_json())
    acc = {k: v for k, v in data["accounting"].items() if k not in ("reader", "reader_note")}
    return json.dumps({"units": data["scorecard"]["units"], "accounting": acc}, sort_keys=True)


@pytest.fixture(scope="module")
def reference(sample, table) -> str:
    """The row reader's scorecard of the generator's table."""
    os.environ["CHISO_ROW_PATH"] = "1"
    try:
        card = score(sample, table)
    finally:
        del os.environ["CHISO_ROW_PATH"]
    assert card.accounting["reader"] == "rows"
    assert card.accounting["scored"] > 0 and card.accounting["excluded"] > 0
    return numbers(card)


SHAPES: dict[str, Callable[[Path, pa.Table, chiso.Sample], Any]] = {
    "pandas dtype=str": lambda p, t, s: pd.read_csv(p, dtype=str),
    "pandas inferred": lambda p, t, s: pd.read_csv(p),
    "pandas Arrow dtypes": lambda p, t, s: pd.read_csv(p, dtype_backend="pyarrow"),
    "pandas categorical codes": lambda p, t, s: pd.read_csv(
        p, dtype={"unit_code": "category", "procedure_code": "category", "status": "category"}
    ),
    "polars": lambda p, t, s: pl.read_csv(p),
    "polars try_parse_dates": lambda p, t, s: pl.read_csv(p, try_parse_dates=True),
    "pyarrow": lambda p, t, s: pacsv.read_csv(p),
    "pyarrow dictionary": lambda p, t, s: t.replace_schema_metadata().cast(
        pa.schema(
            [
                pa.field(f.name, pa.dictionary(pa.int8(), pa.string()))
                if f.name in ("unit_code", "procedure_code")
                else f
                for f in t.schema
            ]
        )
    ),
    "chiso.read csv": lambda p, t, s: chiso.read(p),
    "generator table": lambda p, t, s: s.dossiers,
    "generator to_pandas": lambda p, t, s: s.dossiers.to_pandas(),
    "generator to_polars": lambda p, t, s: s.dossiers.to_polars(),
}


# Shapes whose own type inference changes the data: procedure codes such as `2.001040` are
# read as the float 2.00104 (by pandas and polars), so the catalogue no longer matches them.
# The row reader reads that frame the same way; its numbers differ from the CSV's.
INFERRED = {
    "pandas inferred",
    "pandas Arrow dtypes",
    "pandas categorical codes",
    "polars",
    "polars try_parse_dates",
    "pyarrow",
}


def by_rows(sample: chiso.Sample, data: Any) -> chiso.Scorecard:
    os.environ["CHISO_ROW_PATH"] = "1"
    try:
        card = score(sample, data)
    finally:
        del os.environ["CHISO_ROW_PATH"]
    assert card.accounting["reader"] == "rows"
    return card


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_is_columnar_and_equals_the_row_reader(
    sample, table, csv_path, reference, shape
) -> None:
    data = SHAPES[shape](csv_path, table, sample)
    card = score(sample, data)
    assert card.accounting["reader"] == "columnar", card.accounting["reader_note"]
    assert card.accounting["reader_note"] is None
    assert numbers(card) == numbers(by_rows(sample, data))
    if shape not in INFERRED:
        assert numbers(card) == reference


def test_inferred_codes_are_the_dataframe_s_doing(csv_path) -> None:
    """Why the inferred shapes differ from the CSV: the dataframe turned text codes into
    floats, losing trailing zeros (the row reader reads the float as the CLI would)."""
    frame = pd.read_csv(csv_path)
    assert frame["procedure_code"].dtype == float
    text = pd.read_csv(csv_path, dtype=str)["procedure_code"]
    assert any(t.endswith("0") for t in text)
    assert pl.read_csv(csv_path).schema["procedure_code"] == pl.Float64
    assert pacsv.read_csv(csv_path).schema.field("procedure_code").type == pa.float64()


def test_pandas_text_columns_are_really_text(csv_path) -> None:
    """The shapes above are what they claim: text dates, text flags and codes."""
    frame = pd.read_csv(csv_path, dtype=str)
    assert isinstance(frame["received_at"].dropna().iloc[0], str)
    assert isinstance(frame["e_result"].dropna().iloc[0], str)
    assert pl.read_csv(csv_path).schema["received_at"] == pl.String
    assert pl.read_csv(csv_path, try_parse_dates=True).schema["received_at"] != pl.String


def test_one_bad_date_sends_the_table_down_the_row_path(sample, csv_path) -> None:
    """The fallback rule: a cell the row reader rejects makes the table take rows; that row is
    rejected (with its row and column), and the rest scores exactly as without it."""
    frame = pd.read_csv(csv_path, dtype=str)
    bad = frame.copy()
    at = 10
    bad.loc[at, "received_at"] = "31/02/2026"
    card = score(sample, bad)
    assert card.accounting["reader"] == "rows"
    note = card.accounting["reader_note"]
    assert "received_at" in note and f"row {at + 1}" in note, note
    rejects = card.rejects().to_pylist()
    assert len(rejects) == 1
    assert rejects[0]["row"] == at + 1 and rejects[0]["column"] == "received_at"
    rest = score(sample, frame.drop(index=at))
    assert rest.accounting["reader"] == "columnar"
    a, b = json.loads(numbers(card)), json.loads(numbers(rest))
    assert a["units"] == b["units"]
    assert a["accounting"]["rejected"] == b["accounting"]["rejected"] + 1
    assert a["accounting"]["read"] == b["accounting"]["read"] + 1


def test_a_text_the_row_reader_reads_differently_is_read_its_way(sample, csv_path) -> None:
    """Values outside the hand parsers' plain shapes (Vietnamese status names, `x` flags,
    a date with a slash) go through the row reader's conversion per distinct value and stay
    on the columnar path, with the row reader's numbers."""
    frame = pd.read_csv(csv_path, dtype=str)
    frame.loc[frame["status"] == "10", "status"] = "Đã trả kết quả"
    frame.loc[frame["digitised"] == "true", "digitised"] = " Có "
    frame.loc[3, "received_at"] = pd.Timestamp(frame.loc[3, "received_at"]).strftime(
        "%d/%m/%Y %H:%M"
    )
    card = score(sample, frame)
    assert card.accounting["reader"] == "columnar", card.accounting["reader_note"]
    os.environ["CHISO_ROW_PATH"] = "1"
    try:
        rows = score(sample, frame)
    finally:
        del os.environ["CHISO_ROW_PATH"]
    assert rows.accounting["reader"] == "rows"
    assert numbers(card) == numbers(rows)


def test_mixed_object_columns_as_read_excel_builds_them(sample, table, reference) -> None:
    """A date column of datetimes with a few text cells (pandas object dtype): pyarrow refuses
    it, chiso reads it cell by cell like the row reader; the text that is no date is a reject
    naming its row and column, the rest scores."""
    frame = table.to_pandas()
    mixed = frame["received_at"].astype(object)
    mixed.iloc[5] = "chưa rõ"
    mixed.iloc[6] = "2026-03-04 08:00"
    frame["received_at"] = mixed
    with pytest.raises((pa.ArrowTypeError, pa.ArrowInvalid)):
        pa.Table.from_pandas(frame)
    card = score(sample, frame)
    rejects = card.rejects().to_pylist()
    assert [(r["row"], r["column"]) for r in rejects] == [(6, "received_at")]
    assert card.accounting["scored"] > 0
    assert card.accounting["read"] == N + len(sample.petitions)


def test_an_int_year_is_a_period(sample, table, reference) -> None:
    card = score(sample, table, period=int(sample.period))
    assert numbers(card) == reference


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("period", 2026.0),
        ("period", ["2026"]),
        ("as_of", 20260101),
        ("profile", 3),
        ("options", "due_comparison=date"),
        ("calendar", 1),
        ("errors", True),
    ],
)
def test_wrong_argument_types_raise_input_error(sample, argument, value) -> None:
    kw: dict[str, Any] = {argument: value}
    with pytest.raises(chiso.InputError) as e:
        chiso.score(sample.dossiers, **kw)
    assert argument in str(e.value) and "expected" in str(e.value)
    assert e.value.column == argument


def test_wrong_types_elsewhere_raise_input_error(tmp_path) -> None:
    for call, name in [
        (lambda: chiso.generate("100"), "n"),
        (lambda: chiso.generate(100, seed=-1), "seed"),
        (lambda: chiso.read(3), "path"),
        (lambda: chiso.read(tmp_path / "d.csv", kind=1), "kind"),
    ]:
        with pytest.raises(chiso.InputError) as e:
            call()
        assert e.value.column == name, str(e.value)


def test_a_unit_that_is_its_own_parent_is_a_cycle(sample) -> None:
    units = [
        {"code": "A", "name": "A", "kind": "province"},
        {"code": "B", "name": "B", "kind": "department", "parent": "B"},
    ]
    with pytest.raises(chiso.UnitError) as e:
        chiso.score(sample.dossiers, units=units, period=sample.period, as_of=sample.as_of)
    assert "cycle" in str(e.value) and "unknown parent" not in str(e.value)


def test_generate_as_dicts_keeps_the_old_shape(sample) -> None:
    old = chiso.generate(200, seed=5, as_dicts=True)
    assert isinstance(old.dossiers, list) and isinstance(old.dossiers[0], dict)
    new = chiso.generate(200, seed=5)
    assert [d["dossier_id"] for d in old.dossiers] == [
        d["dossier_id"] for d in new.dossiers.to_pylist()
    ]
    assert isinstance(new.dossiers.to_pylist()[0]["received_at"], dt.datetime | None)
    a = old.score().to_json()
    b = new.score().to_json()
    assert json.loads(a)["scorecard"] == json.loads(b)["scorecard"]


def write_rows(table: pa.Table, path: Path) -> None:
    """The table as an Excel workbook (pandas: number, date-time and text cells), a JSON array
    or JSON Lines (lists as JSON lists, as JSON exports hold them)."""
    if path.suffix == ".xlsx":
        table.to_pandas().to_excel(path, index=False)
        return
    rows = table.to_pylist()
    for row in rows:
        for name in ("supplements", "fee_waits", "steps"):
            row[name] = json.loads(row[name]) if row[name] else None
    lines = [json.dumps(row, default=lambda x: x.isoformat()) for row in rows]
    text = "[" + ",\n".join(lines) + "]" if path.suffix == ".json" else "\n".join(lines)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("suffix", ["xlsx", "json", "jsonl"])
def test_read_of_excel_and_json_is_columnar_and_equals_the_row_reader(
    sample, table, reference, tmp_path, suffix
) -> None:
    """Excel and JSON files take the columnar path (their cells gathered into typed columns),
    with the row reader's scorecard."""
    path = tmp_path / f"dossiers.{suffix}"
    write_rows(table, path)
    card = score(sample, chiso.read(path))
    assert card.accounting["reader"] == "columnar", card.accounting["reader_note"]
    assert numbers(card) == reference
    assert numbers(by_rows(sample, chiso.read(path))) == reference


@pytest.mark.parametrize("suffix", ["xlsx", "jsonl"])
def test_a_bad_cell_in_excel_or_json_sends_the_file_to_rows_naming_it(
    sample, table, tmp_path, suffix
) -> None:
    """A date the row reader rejects: the file is read by rows, the note says which cell and
    why, that row is the one reject and the scorecard is the row reader's."""
    frame = table.to_pandas()
    frame["received_at"] = frame["received_at"].astype(object)
    frame.loc[4, "received_at"] = "31/02/2026"
    path = tmp_path / f"bad.{suffix}"
    write_rows(pa.Table.from_pandas(frame.astype({"received_at": str})), path)
    card = score(sample, chiso.read(path))
    assert card.accounting["reader"] == "rows"
    note = card.accounting["reader_note"]
    # Excel rows count the header (row 1); JSON Lines rows are lines.
    row = 6 if suffix == "xlsx" else 5
    assert note.startswith(f'row {row}, column "received_at": "31/02/2026"'), note
    assert [(r["row"], r["column"]) for r in card.rejects().to_pylist()] == [
        (row, "received_at")
    ]
    assert numbers(card) == numbers(by_rows(sample, chiso.read(path)))


def test_the_row_fallback_scores_the_route_s_tally(sample, csv_path) -> None:
    """Repeated ids and a bad cell send a frame to the row path, which tallies it once (the
    route's tally is scored, not rebuilt). Its scorecard is the one of the same frame cleaned by
    hand — the later sync kept, the bad row dropped — read by the columnar path: same units,
    one more reject, one more superseded row."""
    frame = pd.read_csv(csv_path, dtype=str)
    later = frame.iloc[[3]].copy()
    later["status"] = "4"  # the later sync of dossier 3: back in progress
    later["finished_at"] = None
    later["returned_at"] = None
    messy = pd.concat([frame, later], ignore_index=True)
    messy.loc[10, "received_at"] = "31/02/2026"
    card = score(sample, messy)
    assert card.accounting["reader"] == "rows"
    assert "row 11" in card.accounting["reader_note"], card.accounting["reader_note"]
    assert [(r["row"], r["column"]) for r in card.rejects().to_pylist()] == [(11, "received_at")]

    clean = frame.copy()
    clean.iloc[3] = later.iloc[0]
    clean = clean.drop(index=10)
    want = score(sample, clean)
    assert want.accounting["reader"] == "columnar", want.accounting["reader_note"]
    a, b = json.loads(numbers(card)), json.loads(numbers(want))
    assert a["units"] == b["units"]
    assert a["accounting"]["rejected"] == b["accounting"]["rejected"] + 1
    assert a["accounting"]["read"] == b["accounting"]["read"] + 2
    superseded = {k: v for k, v in a["accounting"]["excluded"].items() if "supersed" in k}
    assert sum(superseded.values()) == 1, a["accounting"]["excluded"]
    # chiso.tally takes the same route: its counters are the scorecard's.
    t = chiso.tally(
        messy, procedures=sample.procedures, period=sample.period, as_of=sample.as_of
    )
    assert chiso.score_tally(t, procedures=sample.procedures, units=sample.units,
                             petitions=sample.petitions).accounting["scored"] == (
        card.accounting["scored"]
    )


@pytest.mark.parametrize("text_codes", [False, True], ids=["numbers", "numbers among text"])
def test_excel_number_cells_in_a_code_column_warn(sample, table, tmp_path, text_codes) -> None:
    """Procedure codes typed into Excel as numbers (``1.010`` stored as 1.01): ``chiso.read``
    of the workbook warns, naming the column and the fix (read codes as text), whether the
    sheet takes the columnar path or the row reader."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["MaHoSo", "MaDonVi", "MaTTHC", "NgayTiepNhan", "TrangThaiHoSo"])
    for i in range(4):
        code = "1.010" if text_codes and i == 0 else 1.010
        sheet.append([f"HS-{i}", "H44.07.1", code, "01/09/2026 08:00", 4])
    path = tmp_path / "numeric-codes.xlsx"
    book.save(path)
    with pytest.warns(UserWarning, match=r'column "MaTTHC" \(procedure_code\) holds numbers') as w:
        card = chiso.score(chiso.read(path), period="2026-Q3", as_of="2026-09-30T17:00")
    assert any("read it as text" in str(x.message) for x in w)
    assert not any("MaDonVi" in str(x.message) for x in w)
    assert card.accounting["reader"] == ("rows" if text_codes else "columnar")
