"""Cross-check of chiso's Vietnamese calendar against an independent source: the PyPI package
``holidays`` (class ``Vietnam``), which takes Tết and Hùng Kings' day from its own tables.

Every year 1901–2100 is compared for Tết (lunar 1/1) and 2007–2100 for Hùng Kings' day (lunar
10/3, a holiday since 2007). Days off on weekdays are compared for 2016–2025, the years whose
announced swaps both sides record; 2026 differs by design (see the calendar crate's README:
the 31/8 swap and 24/11 Culture Day were not confirmed from a notice when the table was made).
"""

from __future__ import annotations

import datetime as dt

import holidays  # installed by scripts/python-tests.sh; a missing package fails the test
import pytest

import chiso


def _named(year: int, needle: str) -> dt.date:
    table = holidays.Vietnam(years=year, language="en_US")
    found = [d for d, name in table.items() if name == needle]
    assert len(found) == 1, (year, needle, found)
    return found[0]


def test_tet_matches_every_year_1901_2100() -> None:
    mismatches = []
    for year in range(1901, 2101):
        ours = chiso.calendar.from_lunar(year, 1, 1)
        theirs = _named(year, "Lunar New Year")
        if ours != theirs:
            mismatches.append((year, ours, theirs))
    assert mismatches == []


def test_known_vietnamese_tet_dates_that_differ_from_the_chinese_calendar() -> None:
    known = [
        (1985, dt.date(1985, 1, 21)),
        (2007, dt.date(2007, 2, 17)),
        (2030, dt.date(2030, 2, 2)),
    ]
    for year, day in known:
        assert chiso.calendar.from_lunar(year, 1, 1) == day
        lunar = chiso.calendar.to_lunar(day)
        assert (lunar.month, lunar.day, lunar.leap) == (1, 1, False)


def test_hung_kings_day_matches_every_year_2007_2100() -> None:
    mismatches = []
    for year in range(2007, 2101):
        ours = chiso.calendar.from_lunar(year, 3, 10)
        theirs = _named(year, "Hung Kings' Commemoration Day")
        if ours != theirs:
            mismatches.append((year, ours, theirs))
    assert mismatches == []
    assert chiso.calendar.from_lunar(2009, 3, 10) == dt.date(2009, 4, 4)


@pytest.mark.parametrize("year", range(2016, 2026))
def test_weekday_days_off_match(year: int) -> None:
    theirs = {d for d in holidays.Vietnam(years=year) if d.weekday() < 5}
    day = dt.date(year, 1, 1)
    ours = set()
    while day.year == year:
        if day.weekday() < 5 and not chiso.calendar.is_working_day(day):
            ours.add(day)
        day += dt.timedelta(days=1)
    assert sorted(ours ^ theirs) == []
