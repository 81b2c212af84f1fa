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
    """A Vietnamese lunar date; ``year`` is the Gregorian year of that lunar year's Tết."""

    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:
        s = f"{self.year:04}-{self.month:02}-{self.day:02}"
        return s + ("+leap" if self.leap else "")


class Holiday(NamedTuple):
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
    """Whether ``day`` is a working day."""
    return _chiso.is_working_day(_day(day), calendar)


def add_working_days(day: _dt.date | str, n: int, calendar: str = "vietnam") -> _dt.date:
    """The ``n``-th working day after ``day`` (``n = 0``: ``day`` or the next working day)."""
    return _chiso.add_working_days(_day(day), n, calendar)


def working_days_between(
    a: _dt.date | str, b: _dt.date | str, calendar: str = "vietnam"
) -> int:
    """Working days in (a, b]; negative when ``b`` is before ``a``."""
    return _chiso.working_days_between(_day(a), _day(b), calendar)


def to_lunar(day: _dt.date | str) -> LunarDate:
    """The lunar date of a solar date."""
    return LunarDate(*_chiso.to_lunar(_day(day)))


def from_lunar(year: int, month: int, day: int, leap: bool = False) -> _dt.date:
    """The solar date of a lunar date."""
    return _chiso.from_lunar(year, month, day, leap)


def holidays(year: int, calendar: str = "vietnam") -> list[Holiday]:
    """Days off of a year: statutory holidays, substitute days and announced swaps."""
    return [Holiday(**h) for h in _chiso.holidays(year, calendar)]
