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
    """Base class of every error chiso raises about its input.

    >>> import chiso
    >>> try:
    ...     chiso.score([], period="2026-Q5")
    ... except chiso.ChisoError as e:
    ...     print(type(e).__name__)
    PeriodError
    """


class InputError(ChisoError, ValueError):
    """A record or value that cannot be used (Rust ``ChisoError::Value``, rejected rows).

    ``row`` is the 1-based row of the table (or list) when the problem is in one row, ``column``
    the column or field, ``path`` the file when the input came from a file.

    >>> import chiso
    >>> try:
    ...     chiso.score([{"unit_code": "X"}], period="2026")
    ... except chiso.InputError as e:
    ...     print(str(e)[:46])
    dossiers: no dossier column for dossier_id (Ma
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
    """A file whose content cannot be read as the format it claims (Rust ``IoError::Format``).

    >>> import pathlib, tempfile
    >>> import chiso
    >>> broken = pathlib.Path(tempfile.mkdtemp()) / "d.json"
    >>> _ = broken.write_text("[{not json", encoding="utf-8")
    >>> try:
    ...     chiso.read(broken)
    ... except chiso.FormatError as e:
    ...     print(e.path.endswith("d.json"))
    True
    """


class OptionError(InputError):
    """An unknown rule option, or a value the option cannot take (``options={...}``).

    >>> import chiso
    >>> try:
    ...     chiso.score([], period="2026", options={"due_comparison": "soon"})
    ... except chiso.OptionError as e:
    ...     print(str(e)[:34])
    option due_comparison: "soon": unk
    """


class ProfileError(ChisoError, ValueError):
    """A rule profile that cannot be used (Rust ``ChisoError::Profile``).

    >>> import chiso
    >>> try:
    ...     chiso.load_profile("nope-2099")
    ... except chiso.ProfileError as e:
    ...     print("built-in: portal-2026" in str(e))
    True
    """

    source_name: str | None
    key: str | None

    def __init__(
        self, message: str, *, source_name: str | None = None, key: str | None = None
    ) -> None:
        super().__init__(message)
        self.source_name = source_name
        self.key = key


class PeriodError(ChisoError, ValueError):
    """A period that is not one of 2026, 2026-Q3, 2026-H1, 2026-09, 2026-01-01..2026-03-31.

    >>> import chiso
    >>> try:
    ...     chiso.score([], period="2026-Q5")
    ... except chiso.PeriodError as e:
    ...     print(str(e)[:49])
    invalid period "2026-Q5": quarter must be Q1..Q4.
    """

    input: str | None

    def __init__(self, message: str, *, input: str | None = None) -> None:  # noqa: A002
        super().__init__(message)
        self.input = input


class UnitError(ChisoError, ValueError):
    """A unit tree that is not a tree: unknown parent, duplicate code, cycle.

    >>> import chiso
    >>> try:
    ...     chiso.score([], period="2026", units=[{"unit_code": "A", "parent": "A"}])
    ... except chiso.UnitError as e:
    ...     print(e)
    unit tree: cycle through unit "A" (its own parent)
    """


class UnknownUnitError(UnitError, LookupError):
    """A unit asked for that the scorecard does not hold.

    >>> import chiso
    >>> try:
    ...     chiso.generate(300, seed=1).score().total("NOPE")
    ... except chiso.UnknownUnitError as e:
    ...     print(e, isinstance(e, LookupError))
    unknown unit "NOPE" True
    """

    unit: str | None

    def __init__(self, message: str, *, unit: str | None = None) -> None:
        super().__init__(message)
        self.unit = unit


class CalendarError(ChisoError, ValueError):
    """A working-day or lunar calendar problem (Rust ``CalendarError``).

    >>> import chiso
    >>> [issubclass(e, chiso.CalendarError) for e in (chiso.CalendarRangeError,
    ...                                               chiso.LunarDateError, chiso.SwapTableError)]
    [True, True, True]
    """


class CalendarRangeError(CalendarError):
    """A date or year outside the supported range 1900-01-31..2199-12-31.

    >>> import chiso
    >>> try:
    ...     chiso.calendar.holidays(2500)
    ... except chiso.CalendarRangeError as e:
    ...     print(e)
    2500 is outside the supported range 1900..=2199
    """


class LunarDateError(CalendarError):
    """A lunar date that does not exist.

    >>> import chiso
    >>> try:
    ...     chiso.calendar.from_lunar(2026, 13, 1)
    ... except chiso.LunarDateError as e:
    ...     print(e)
    invalid lunar date 2026-13-01: month must be 1..=12
    """


class SwapTableError(CalendarError):
    """A working-day swap table that cannot be used.

    >>> import chiso
    >>> issubclass(chiso.SwapTableError, chiso.CalendarError)
    True
    """


class TallyError(ChisoError, ValueError):
    """Bytes that are not a tally this chiso reads (other format version, corrupt, truncated),
    or two tallies built with different settings. ``kind``: ``not_a_tally``, ``version``,
    ``truncated``, ``checksum``, ``malformed`` or ``mismatch``.

    >>> import chiso
    >>> try:
    ...     chiso.Tally.from_bytes(b"nope")
    ... except chiso.TallyError as e:
    ...     print(e.kind)
    not_a_tally
    """

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
class InternalError(ChisoError, RuntimeError):
    """A bug in chiso itself (a Rust panic), not a problem with the input: please report it.

    Raised instead of pyo3's ``PanicException``, which ``except Exception`` would miss.

    >>> import chiso
    >>> issubclass(chiso.InternalError, RuntimeError), issubclass(chiso.InternalError, Exception)
    (True, True)
    """
