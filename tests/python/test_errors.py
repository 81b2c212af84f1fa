"""Every exception class, raised by a real bad input; no panic reaches Python."""

from __future__ import annotations

import datetime as dt
import os

import pytest

import chiso

DOSSIER = {
    "dossier_id": "A",
    "unit_code": "H44.07",
    "procedure_code": "1",
    "received_at": dt.datetime(2026, 9, 7, 8),
    "status": 4,
}


def test_period_error() -> None:
    with pytest.raises(chiso.PeriodError) as e:
        chiso.score([DOSSIER], period="2026-Q5")
    assert e.value.input == "2026-Q5"
    assert isinstance(e.value, ValueError) and isinstance(e.value, chiso.ChisoError)


def test_profile_error(tmp_path) -> None:
    with pytest.raises(chiso.ProfileError):
        chiso.score([DOSSIER], profile="portal-1999")
    bad = tmp_path / "bad.toml"
    bad.write_text("[profile]\nname = 3\n", encoding="utf-8")
    with pytest.raises(chiso.ProfileError) as e:
        chiso.load_profile(bad)
    assert "bad.toml" in str(e.value)


def test_option_error() -> None:
    with pytest.raises(chiso.OptionError) as e:
        chiso.score([DOSSIER], options={"due_comparison": "hourly"})
    assert e.value.column == "due_comparison"
    with pytest.raises(chiso.OptionError):
        chiso.score([DOSSIER], options={"nonsense": True})


def test_unit_error_for_a_cycle() -> None:
    units = [
        {"code": "A", "name": "A", "kind": "province", "parent": "B"},
        {"code": "B", "name": "B", "kind": "province", "parent": "A"},
    ]
    with pytest.raises(chiso.UnitError):
        chiso.score([DOSSIER], units=units, period="2026")


def test_unknown_unit_error(card) -> None:
    with pytest.raises(chiso.UnknownUnitError) as e:
        card.total("NO.SUCH.UNIT")
    assert e.value.unit == "NO.SUCH.UNIT"
    assert isinstance(e.value, LookupError)
    with pytest.raises(chiso.UnknownUnitError):
        card.dossiers("overdue", unit="NO.SUCH.UNIT")


def test_input_error_with_row_and_column() -> None:
    rows = [DOSSIER, {**DOSSIER, "dossier_id": "B", "received_at": "not a date"}]
    card = chiso.score(rows, period="2026")
    rejects = card.rejects().to_pylist()
    assert len(rejects) == 1 and rejects[0]["row"] == 2
    assert card.accounting["rejected"] == 1
    with pytest.raises(chiso.InputError) as e:
        chiso.score(rows, period="2026", errors="raise")
    assert e.value.row == 2
    assert e.value.column is not None and "received" in e.value.column.lower()


def test_input_error_for_a_non_table() -> None:
    with pytest.raises(chiso.InputError):
        chiso.score(42)
    with pytest.raises(chiso.InputError) as e:
        chiso.score([DOSSIER, "not a dict"])
    assert e.value.row == 2
    with pytest.raises(chiso.InputError):
        chiso.score([DOSSIER], as_of="yesterday")
    with pytest.raises(chiso.InputError):
        chiso.score([DOSSIER], calendar="mars")


def test_missing_required_column() -> None:
    with pytest.raises(chiso.InputError) as e:
        chiso.score([{"unit_code": "X"}], period="2026")
    assert "dossier_id" in str(e.value)


def test_format_error(tmp_path) -> None:
    broken = tmp_path / "d.json"
    broken.write_text("[{not json", encoding="utf-8")
    with pytest.raises(chiso.FormatError) as e:
        chiso.read(broken)
    assert e.value.path is not None and e.value.path.endswith("d.json")
    with pytest.raises(chiso.FormatError):
        chiso.conformance(tmp_path)  # no manifest


def test_file_errors_are_python_os_errors(tmp_path) -> None:
    with pytest.raises(FileNotFoundError) as e:
        chiso.read(tmp_path / "missing.csv")
    assert e.value.filename.endswith("missing.csv")
    with pytest.raises(FileNotFoundError):
        chiso.load_profile(tmp_path / "missing.toml")
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.csv"
        locked.write_text("dossier_id\n1\n", encoding="utf-8")
        locked.chmod(0)
        with pytest.raises(PermissionError):
            chiso.read(locked)


def test_calendar_errors() -> None:
    with pytest.raises(chiso.CalendarRangeError):
        chiso.calendar.to_lunar(dt.date(1800, 1, 1))
    with pytest.raises(chiso.CalendarRangeError):
        chiso.calendar.holidays(2500)
    with pytest.raises(chiso.LunarDateError):
        chiso.calendar.from_lunar(2026, 13, 1)
    with pytest.raises(chiso.CalendarError):
        chiso.calendar.from_lunar(2026, 1, 30, leap=True)


def test_swap_table_error_class_exists() -> None:
    # Swap tables are loaded by the CLI and Rust callers; the class is mapped for completeness.
    assert issubclass(chiso.SwapTableError, chiso.CalendarError)


def test_every_class_derives_from_the_base() -> None:
    for name in chiso.errors.__all__:
        assert issubclass(getattr(chiso.errors, name), chiso.ChisoError)
