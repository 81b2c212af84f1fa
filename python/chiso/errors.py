"""Exceptions raised by chiso.

One base class, :class:`ChisoError`, and one subclass per kind of problem, each mapped from one
variant of the Rust error enums (``chiso::ChisoError``, ``chiso_io::IoError``,
``chiso_calendar::CalendarError``). Files that cannot be opened raise Python's own
``FileNotFoundError`` / ``PermissionError`` / ``IsADirectoryError`` / ``OSError``.

The classes also derive from the built-in exception a Python user would expect (``ValueError``,
``LookupError``), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "ChisoError",
    "InputError",
    "FormatError",
    "OptionError",
    "ProfileError",
    "PeriodError",
    "UnitError",
    "UnknownUnitError",
    "CalendarError",
    "CalendarRangeError",
    "LunarDateError",
    "SwapTableError",
    "TallyError",
    "InternalError",
]


class ChisoError(Exception):
    """Base class of every error chiso raises about its input."""


class InputError(ChisoError, ValueError):
    """A record or value that cannot be used (Rust ``ChisoError::Value``, rejected rows).

    ``row`` is the 1-based row of the table (or list) when the problem is in one row, ``column``
    the column or field, ``path`` the file when the input came from a file.
    """

    row: int | None
    column: str | None
    path: str | None

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.row = row
        self.column = column
        self.path = path


class FormatError(InputError):
    """A file whose content cannot be read as the format it claims (Rust ``IoError::Format``)."""


class OptionError(InputError):
    """An unknown rule option, or a value the option cannot take (``options={...}``)."""


class ProfileError(ChisoError, ValueError):
    """A rule profile that cannot be used (Rust ``ChisoError::Profile``)."""

    source_name: str | None
    key: str | None

    def __init__(
        self, message: str, *, source_name: str | None = None, key: str | None = None
    ) -> None:
        super().__init__(message)
        self.source_name = source_name
        self.key = key


class PeriodError(ChisoError, ValueError):
    """A period that is not one of 2026, 2026-Q3, 2026-H1, 2026-09, 2026-01-01..2026-03-31."""

    input: str | None

    def __init__(self, message: str, *, input: str | None = None) -> None:  # noqa: A002
        super().__init__(message)
        self.input = input


class UnitError(ChisoError, ValueError):
    """A unit tree that is not a tree: unknown parent, duplicate code, cycle."""


class UnknownUnitError(UnitError, LookupError):
    """A unit asked for that the scorecard does not hold."""

    unit: str | None

    def __init__(self, message: str, *, unit: str | None = None) -> None:
        super().__init__(message)
        self.unit = unit


class CalendarError(ChisoError, ValueError):
    """A working-day or lunar calendar problem (Rust ``CalendarError``)."""


class CalendarRangeError(CalendarError):
    """A date or year outside the supported range 1900-01-31..2199-12-31."""


class LunarDateError(CalendarError):
    """A lunar date that does not exist."""


class SwapTableError(CalendarError):
    """A working-day swap table that cannot be used."""


class TallyError(ChisoError, ValueError):
    """Bytes that are not a tally this chiso reads (other format version, corrupt, truncated),
    or two tallies built with different settings. ``kind``: ``not_a_tally``, ``version``,
    ``truncated``, ``checksum``, ``malformed`` or ``mismatch``."""

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
class InternalError(ChisoError, RuntimeError):
    """A bug in chiso itself (a Rust panic), not a problem with the input: please report it.

    Raised instead of pyo3's ``PanicException``, which ``except Exception`` would miss.
    """
