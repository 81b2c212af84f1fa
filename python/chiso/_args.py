"""Argument checks of the public functions: a wrong type raises :class:`chiso.InputError`
naming the argument and what it accepts (instead of a bare ``TypeError`` from the native
module), and an int year is accepted as a period."""

from __future__ import annotations

import datetime as _dt
import os as _os
from typing import Any

from .errors import InputError


def expect(name: str, value: Any, accepts: str, *types: type, none: bool = True) -> None:
    """Raises InputError unless ``value`` is one of ``types`` (or None when ``none``)."""
    if value is None and none:
        return
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        raise InputError(
            f"{name}: expected {accepts}, got {type(value).__name__} {value!r:.60}",
            column=name,
        )


def period(value: Any) -> str | None:
    """A period as text: an int year (``2026``) becomes ``"2026"``."""
    expect(
        "period",
        value,
        "a year (2026) or text such as '2026', '2026-Q3', '2026-H1', '2026-09' "
        "or '2026-01-01..2026-03-31'",
        str,
        int,
    )
    return None if value is None else str(value)


def score_args(as_of: Any, profile: Any, options: Any, calendar: Any, errors: Any) -> None:
    """The other arguments of :func:`chiso.score`."""
    expect("as_of", as_of, "a datetime, a date or ISO text", _dt.date, str)
    expect(
        "profile",
        profile,
        "a built-in profile name, a path to a TOML profile or a chiso.Profile",
        str,
        _os.PathLike,
        _profile_type(),
    )
    expect("options", options, 'a dict such as {"due_comparison": "date"}', dict)
    expect("calendar", calendar, "'vietnam' or 'weekdays'", str, none=False)
    expect("errors", errors, "'reject' or 'raise'", str, none=False)


def _profile_type() -> type:
    from ._chiso import Profile

    return Profile


def count(name: str, value: Any, accepts: str) -> None:
    """A non-negative int."""
    expect(name, value, accepts, int, none=False)
    if value < 0:
        raise InputError(f"{name}: expected {accepts}, got {value}", column=name)


def path(name: str, value: Any, none: bool = False) -> None:
    expect(name, value, "a path (str or os.PathLike)", str, _os.PathLike, none=none)
