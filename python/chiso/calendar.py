"""Vietnamese working days and the lunar calendar (``chiso.calendar``).

Holidays follow the law in force each year (Tết, Hùng Kings, 30/4, 1/5, National Day, with
substitute days) plus the government's announced swaps. ``calendar="weekdays"`` gives plain
Monday–Friday.
"""

from __future__ import annotations

import datetime as _dt
from typing import NamedTuple

from . import _chiso

__all__ = [
    "Holiday",
    "LunarDate",
    "add_working_days",
    "from_lunar",
    "holidays",
    "is_working_day",
    "to_lunar",
    "working_days_between",
]


class LunarDate(NamedTuple):
    """A Vietnamese lunar date; ``year`` is the Gregorian year of that lunar year's Tết.

    >>> import chiso
    >>> d = chiso.calendar.to_lunar("2026-02-17")
    >>> d, str(d)
    (LunarDate(year=2026, month=1, day=1, leap=False), '2026-01-01')
    """

    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:
        s = f"{self.year:04}-{self.month:02}-{self.day:02}"
        return s + ("+leap" if self.leap else "")


class Holiday(NamedTuple):
    """A day off: its date, Vietnamese and English names, and kind (``new_year``, ``tet``, …,
    ``substitute`` or ``swap``).

    >>> import chiso
    >>> day = chiso.calendar.holidays(2026)[0]
    >>> day.date, day.name_en, day.kind
    (datetime.date(2026, 1, 1), "New Year's Day", 'new_year')
    """

    date: _dt.date
    name_vi: str
    name_en: str
    kind: str


def _day(d: _dt.date | str) -> _dt.date:
    if isinstance(d, str):
        return _dt.date.fromisoformat(d)
    if isinstance(d, _dt.datetime):
        return d.date()
    return d


def is_working_day(day: _dt.date | str, calendar: str = "vietnam") -> bool:
    """Whether ``day`` is a working day.

    >>> import chiso
    >>> [chiso.calendar.is_working_day(d) for d in ("2026-09-02", "2026-09-03", "2026-09-05")]
    [False, True, False]
    """
    return _chiso.is_working_day(_day(day), calendar)


def add_working_days(day: _dt.date | str, n: int, calendar: str = "vietnam") -> _dt.date:
    """The ``n``-th working day after ``day`` (``n = 0``: ``day`` or the next working day).

    >>> import chiso
    >>> chiso.calendar.add_working_days("2026-09-01", 3)
    datetime.date(2026, 9, 7)
    """
    return _chiso.add_working_days(_day(day), n, calendar)


def working_days_between(
    a: _dt.date | str, b: _dt.date | str, calendar: str = "vietnam"
) -> int:
    """Working days in (a, b]; negative when ``b`` is before ``a``.

    >>> import chiso
    >>> chiso.calendar.working_days_between("2026-09-01", "2026-09-08")
    4
    >>> chiso.calendar.working_days_between("2026-09-08", "2026-09-01")
    -4
    """
    return _chiso.working_days_between(_day(a), _day(b), calendar)


def to_lunar(day: _dt.date | str) -> LunarDate:
    """The lunar date of a solar date.

    >>> import chiso
    >>> chiso.calendar.to_lunar("2026-02-17")
    LunarDate(year=2026, month=1, day=1, leap=False)
    """
    return LunarDate(*_chiso.to_lunar(_day(day)))


def from_lunar(year: int, month: int, day: int, leap: bool = False) -> _dt.date:
    """The solar date of a lunar date.

    >>> import chiso
    >>> chiso.calendar.from_lunar(2026, 1, 1)
    datetime.date(2026, 2, 17)
    """
    return _chiso.from_lunar(year, month, day, leap)


def holidays(year: int, calendar: str = "vietnam") -> list[Holiday]:
    """Days off of a year: statutory holidays, substitute days and announced swaps.

    >>> import chiso
    >>> days = chiso.calendar.holidays(2026)
    >>> len(days), days[0].name_vi
    (13, 'Tết Dương lịch')
    """
    return [Holiday(**h) for h in _chiso.holidays(year, calendar)]
