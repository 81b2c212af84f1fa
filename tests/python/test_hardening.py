"""Hardening seen from Python: a Rust panic is a chiso.InternalError at every entry point of the
native module, scoring from many threads at once gives identical scorecards, and the file
writers are atomic."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import chiso
from chiso import _chiso, _guard

GOLDEN = Path(__file__).resolve().parents[2] / "tests" / "golden" / "input"
NATIVE_KINDS = {
    "builtin_function_or_method",
    "method_descriptor",
    "wrapper_descriptor",
    "classmethod_descriptor",
    "getset_descriptor",
}


def test_panic_hook_is_inert_outside_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHISO_TEST_PANIC", raising=False)
    assert _chiso._panic_for_tests("boom") is False


@pytest.mark.parametrize("in_worker", [False, True])
def test_a_panic_is_an_internal_error(monkeypatch: pytest.MonkeyPatch, in_worker: bool) -> None:
    monkeypatch.setenv("CHISO_TEST_PANIC", "1")
    with pytest.raises(chiso.InternalError) as info:
        _chiso._panic_for_tests("boom 766", in_worker=in_worker)
    err = info.value
    assert isinstance(err, chiso.ChisoError)
    assert isinstance(err, Exception)
    assert "boom 766" in str(err) and "please report" in str(err)
    assert type(err.__cause__).__name__ == "PanicException"


def test_a_panic_in_the_scoreboard_constructor_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The import-time guard cannot wrap __new__; the constructor catches its own panics.
    monkeypatch.setenv("CHISO_TEST_PANIC", "1")
    for make in (chiso.Scoreboard, _chiso.Scoreboard):
        with pytest.raises(chiso.InternalError) as info:
            make(calendar="__panic_for_tests__")
        assert "Scoreboard.__new__" in str(info.value) and "please report" in str(info.value)
    monkeypatch.delenv("CHISO_TEST_PANIC")
    # Without the variable the hook is inert: the name is just an unknown calendar.
    with pytest.raises(chiso.ChisoError) as info:
        chiso.Scoreboard(calendar="__panic_for_tests__")
    assert not isinstance(info.value, chiso.InternalError)


def test_except_exception_catches_a_panic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHISO_TEST_PANIC", "1")
    try:
        _chiso._panic_for_tests("caught")
    except Exception as e:  # noqa: BLE001 - the point of the test
        caught = e
    assert isinstance(caught, chiso.InternalError)


def test_every_entry_point_is_guarded() -> None:
    unguarded = []
    for name, obj in vars(_chiso).items():
        if type(obj).__name__ == "builtin_function_or_method":
            unguarded.append(name)
        if isinstance(obj, type) and obj.__module__ == _chiso.__name__:
            for member, attr in vars(obj).items():
                left_as_is = ("__new__", "__init_subclass__", "__subclasshook__", *_guard.ORDERING)
                if member in left_as_is or (
                    member.startswith("__") and type(attr).__name__ == "getset_descriptor"
                ):
                    continue
                if type(attr).__name__ in NATIVE_KINDS:
                    unguarded.append(f"{name}.{member}")
                if isinstance(attr, staticmethod) and not hasattr(
                    attr.__func__, "__chiso_guarded__"
                ):
                    unguarded.append(f"{name}.{member}")
    assert unguarded == []
    # The wrapping keeps the guarded functions working and documented.
    assert _chiso.profiles() == chiso.profiles()
    assert _chiso.score.__doc__


def test_guarded_members_still_work(card: chiso.Scorecard) -> None:
    native = card._native
    assert native.total() == card.total()
    assert "Scorecard" in repr(native)
    t = native.table()
    assert len(t) == t.num_rows > 0
    assert t.column_names


def _golden_card() -> str:
    card = chiso.score(
        chiso.read(GOLDEN / "dossiers.csv"),
        procedures=chiso.read(GOLDEN / "procedures.csv", "procedure"),
        units=chiso.read(GOLDEN / "units.csv", "unit"),
        period="2026-Q3",
        as_of="2026-09-30T17:00",
    )
    return card.to_json()


def test_eight_threads_score_identically(sample: chiso.Sample) -> None:
    one = sample.score().to_json()
    golden = _golden_card()
    with ThreadPoolExecutor(8) as pool:
        many = list(pool.map(lambda _: sample.score().to_json(), range(16)))
        goldens = list(pool.map(lambda _: _golden_card(), range(16)))
    assert all(m == one for m in many)
    assert all(g == golden for g in goldens)


def test_to_html_is_atomic(card: chiso.Scorecard, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous")
    with pytest.raises(FileNotFoundError):
        card.to_html(tmp_path / "missing" / "report.html")
    card.to_html(out)
    text = out.read_text(encoding="utf-8")
    assert text.lower().startswith("<!doctype html>") and "previous" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_to_html_on_a_full_disk_raises(card: chiso.Scorecard) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with pytest.raises(OSError):
        card.to_html("/dev/full")


def test_a_failing_writer_keeps_the_previous_file(
    card: chiso.Scorecard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous")
    out.chmod(0o640)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    import chiso._files as files

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        card.to_html(out)
    assert out.read_text() == "previous"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
