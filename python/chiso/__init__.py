"""chiso — Vietnam's Decision 766 public-service quality index, computed from your own data.

>>> import chiso
>>> sample = chiso.generate(2_000, seed=7)
>>> card = chiso.score(sample.dossiers, procedures=sample.procedures, units=sample.units,
...                    petitions=sample.petitions, period="2026", as_of=sample.as_of)
>>> round(card.total(), 2) > 0
True

Tables go in as pandas / polars / pyarrow / duckdb objects (read through the Arrow PyCapsule
interface, without copying), ``chiso.read(path)`` results, or lists of dicts; results come out as
:class:`chiso.Table` objects that every dataframe library reads.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from dataclasses import dataclass, field
from typing import Any

from . import _args, _chiso, _guard, calendar
from ._chiso import Profile, Records, Tally
from ._options import get_option, set_option
from ._scoreboard import Scoreboard
from ._scorecard import Plan, Plot, Scorecard
from ._table import Table
from .errors import (
    CalendarError,
    CalendarRangeError,
    ChisoError,
    FormatError,
    InputError,
    InternalError,
    LunarDateError,
    OptionError,
    PeriodError,
    ProfileError,
    SwapTableError,
    TallyError,
    UnitError,
    UnknownUnitError,
)

_guard.install(_chiso)  # a Rust panic becomes InternalError, at every entry point

__version__: str = _chiso.__version__

__all__ = [
    "CalendarError",
    "CalendarRangeError",
    "ChisoError",
    "Conformance",
    "FormatError",
    "InputError",
    "InternalError",
    "LunarDateError",
    "OptionError",
    "PeriodError",
    "Plan",
    "Plot",
    "Profile",
    "ProfileError",
    "Records",
    "Sample",
    "Scoreboard",
    "Scorecard",
    "SwapTableError",
    "Table",
    "Tally",
    "TallyError",
    "UnitError",
    "UnknownUnitError",
    "calendar",
    "conformance",
    "generate",
    "get_option",
    "load_profile",
    "plan",
    "profile_text",
    "profiles",
    "read",
    "score",
    "score_tally",
    "tally",
    "set_option",
]


def score(
    dossiers: Any,
    *,
    procedures: Any = None,
    units: Any = None,
    petitions: Any = None,
    period: str | int | None = None,
    as_of: _dt.datetime | _dt.date | str | None = None,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
    options: dict[str, str | bool] | None = None,
    calendar: str = "vietnam",
    errors: str = "reject",
) -> Scorecard:
    """Scores dossiers for a period and returns an explained :class:`Scorecard`.

    ``dossiers`` (and ``procedures``, ``units``, ``petitions``): a pandas / polars / pyarrow /
    duckdb table (anything with ``__arrow_c_stream__``), a :class:`Records` from :func:`read`, or
    a list of dicts. Columns are matched by their canonical names, portal sync names or common
    Vietnamese headers. ``period``: ``2026``, ``2026-Q3``, ``2026-H1``, ``2026-09`` or
    ``2026-01-01..2026-03-31`` (default: the year of ``as_of``). ``as_of``: the evaluation moment
    (Vietnam time; default now, or the period end when earlier). ``options``: overrides of the
    profile's open questions, e.g. ``{"due_comparison": "date"}``. ``errors="raise"`` raises
    :class:`InputError` on the first unreadable row instead of counting it as rejected. An
    argument of the wrong type raises :class:`InputError` naming it.

    Arrow dossiers (a table with text or typed columns, or a CSV / Arrow IPC / Parquet file from
    :func:`read`) are tallied column by column, as the CLI does, without a record per dossier;
    they are converted to records only when a drill-down needs them (``dossiers``, ``overdue``,
    ``officials``, ``check``, ``plan``, ``reconcile``). Lists of dicts, and data with a cell the
    row reader would reject or read differently, go through the records; both give the same
    numbers (``card.accounting["reader"]`` says which was used, ``"reader_note"`` why).
    The GIL is released while scoring.

    >>> import chiso
    >>> sample = chiso.generate(300, seed=1)
    >>> card = chiso.score(sample.dossiers, procedures=sample.procedures, units=sample.units,
    ...                    petitions=sample.petitions, period="2026", as_of=sample.as_of)
    >>> round(card.total(), 2), card.accounting["scored"], card.accounting["reader"]
    (53.27, 418, 'columnar')
    """
    text_period = _args.period(period)
    _args.score_args(as_of, profile, options, calendar, errors)
    native = _chiso.score(
        _prepare(dossiers),
        procedures=_prepare(procedures),
        units=_prepare(units),
        petitions=_prepare(petitions),
        period=text_period,
        as_of=as_of,
        profile=profile,
        options=options,
        calendar=calendar,
        errors=errors,
    )
    return Scorecard(native)


def tally(
    dossiers: Any,
    *,
    procedures: Any = None,
    period: str | int | None = None,
    as_of: _dt.datetime | _dt.date | str | None = None,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
    options: dict[str, str | bool] | None = None,
    calendar: str = "vietnam",
) -> Tally:
    """The additive tally of some dossiers, to merge with others and score later.

    Takes what :func:`score` takes for ``dossiers`` and ``procedures`` (Arrow data goes through
    the columnar path) and returns a :class:`Tally`: counters per unit and procedure, the
    accounting of every row (scored, excluded by reason, rejected) and the settings it was
    built with (period, evaluation time, options, calendar, profile). ``a.merge(b)`` adds two
    tallies built with the same settings; ``bytes(t)`` / :meth:`Tally.from_bytes` and pickling
    carry one between processes; :func:`score_tally` scores it. Tallies of disjoint sets of
    dossier ids add up to the tally of their union (duplicates of one id must be tallied
    together: the latest sync wins within one tally).

    >>> import chiso
    >>> d = chiso.generate(300, seed=1).dossiers.to_arrow()
    >>> a = chiso.tally(d.slice(0, 100), period="2026", as_of="2026-11-20T16:00")
    >>> b = chiso.tally(d.slice(100), period="2026", as_of="2026-11-20T16:00")
    >>> a.merge(b).accounting == chiso.tally(d, period="2026", as_of="2026-11-20T16:00").accounting
    True
    """
    text_period = _args.period(period)
    _args.score_args(as_of, profile, options, calendar, "reject")
    return _chiso.tally(
        _prepare(dossiers),
        procedures=_prepare(procedures),
        period=text_period,
        as_of=as_of,
        profile=profile,
        options=options,
        calendar=calendar,
    )


def score_tally(
    tally: Tally,
    *,
    units: Any = None,
    procedures: Any = None,
    petitions: Any = None,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
) -> Scorecard:
    """Scores a (merged) :class:`Tally`: the scorecard :func:`score` gives on the same dossiers.

    The period, evaluation time, options and calendar are the tally's; ``petitions`` are tallied
    here. The scorecard has no dossiers behind it, so the drill-downs that list dossiers
    (``dossiers``, ``overdue``, ``officials``, ``check``, ``reconcile``) raise.

    >>> import chiso
    >>> s = chiso.generate(300, seed=1)
    >>> t = chiso.tally(s.dossiers, procedures=s.procedures, period=s.period, as_of=s.as_of)
    >>> card = chiso.score_tally(t, units=s.units, procedures=s.procedures, petitions=s.petitions)
    >>> round(card.total(), 2) == round(s.score().total(), 2)
    True
    """
    native = _chiso.score_tally(
        tally,
        units=_prepare(units),
        procedures=_prepare(procedures),
        petitions=_prepare(petitions),
        profile=profile,
    )
    return Scorecard(native)


def _prepare(obj: Any) -> Any:
    """Small adaptations before the Arrow hand-over: a polars LazyFrame is collected, and
    polars' all-null columns (dtype Null, whose C export arrow-rs refuses) are dropped — they
    carry no value. A pandas frame that pyarrow cannot convert (an object column mixing
    datetimes and text, as ``pd.read_excel`` builds it) is read row by row, cell by cell, as
    the row reader reads a list of dicts: a bad cell is a reject with its row and column."""
    module = type(obj).__module__
    if module.startswith("pandas") and hasattr(obj, "to_dict") and hasattr(obj, "dtypes"):
        return _pandas(obj)
    if module.startswith("polars"):
        if hasattr(obj, "collect") and not hasattr(obj, "__arrow_c_stream__"):
            obj = obj.collect()
        schema = getattr(obj, "schema", None)
        if schema is not None:
            nulls = [name for name, dtype in schema.items() if _has_null(dtype)]
            if nulls:
                obj = obj.drop(nulls)
    return obj


def _pandas(frame: Any) -> Any:
    """A pandas frame as Arrow (what its ``__arrow_c_stream__`` gives), or as rows of dicts
    when pyarrow refuses a column."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pandas' own Arrow export needs pyarrow too
        return frame
    try:
        return pa.Table.from_pandas(frame)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        # Missing values (NaN, NaT, pd.NA) as None, every other value as it is.
        plain = frame.astype(object).where(frame.notna(), None)
        return plain.to_dict(orient="records")


def _has_null(dtype: Any) -> bool:
    """Whether a polars dtype is, or nests, the Null type (e.g. ``List(Null)``)."""
    import polars as pl

    if dtype == pl.Null:
        return True
    inner = getattr(dtype, "inner", None)
    if inner is not None and _has_null(inner):
        return True
    return any(_has_null(f.dtype) for f in getattr(dtype, "fields", None) or [])


def read(
    path: str | _os.PathLike[str],
    kind: str = "dossier",
    *,
    columns: str | _os.PathLike[str] | None = None,
) -> Records:
    """Reads records from CSV, Excel (xlsx/xls/ods), JSON / JSON Lines, Arrow IPC or Parquet.

    ``kind``: ``dossier``, ``procedure``, ``unit`` or ``petition``. ``columns``: a TOML mapping of
    your own headers to chiso's fields. Unreadable rows are kept in ``.rejects()``.

    Dossiers in a CSV, Arrow IPC or Parquet file are held as its path (an IPC or Parquet file's
    columns are checked now) and read when used, by the CLI's own file route when scored (every
    core, only the columns scoring reads); ``len``, ``rejects()``, ``to_pylist()`` and the
    drill-downs convert them to records once. The file must stay in place until then. Dossiers
    in an Excel or JSON file are gathered now into columns (scored column by column), or read
    by the row reader where a cell cannot be a column.

    >>> import pathlib, tempfile
    >>> import chiso
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = path.write_text("MaHoSo,MaDonVi,NgayTiepNhan\\nHS-1,H44,01/09/2026 08:00\\n"
    ...                     "HS-2,H44,31/09/2026\\n", encoding="utf-8")
    >>> records = chiso.read(path)
    >>> records.kind, len(records), [r["row"] for r in records.rejects().to_pylist()]
    ('dossiers', 1, [3])
    """
    _args.path("path", path)
    _args.expect("kind", kind, "'dossier', 'procedure', 'unit' or 'petition'", str, none=False)
    _args.path("columns", columns, none=True)
    return _chiso.read(_os.fspath(path), kind, None if columns is None else _os.fspath(columns))


def profiles() -> list[str]:
    """Names of the built-in rule profiles.

    >>> import chiso
    >>> chiso.profiles()
    ['portal-2026']
    """
    return _chiso.profiles()


def load_profile(path: str | _os.PathLike[str]) -> Profile:
    """A rule profile from a TOML file (or a built-in name).

    >>> import chiso
    >>> chiso.load_profile("portal-2026")
    chiso.Profile(portal-2026@2026.09.1, 24 indicators)
    """
    return _chiso.load_profile(_os.fspath(path))


def profile_text(name: str = "portal-2026") -> str:
    """The TOML text of a built-in profile, to start your own from.

    >>> import chiso
    >>> chiso.profile_text().splitlines()[0][:28]
    '# Rule profile "portal-2026"'
    """
    return _chiso.profile_text(name)


@dataclass(frozen=True)
class Conformance:
    """How a rule profile reproduces the portal's published scores (:func:`conformance`).

    >>> import chiso
    >>> checks = [{"computed": 1.0, "expected": 1.0, "matched": True}]
    >>> c = chiso.Conformance("portal-2026", 1, checks, [], {"tolerance": 0.01})
    >>> c
    chiso.Conformance(portal-2026: 1/1 published values matched ±0.01 over 1 captures)
    """

    profile: str
    captures: int
    checks: list[dict[str, Any]] = field(repr=False)
    unchecked: list[dict[str, Any]] = field(repr=False)
    summary: dict[str, Any] = field(repr=False)

    @property
    def checked(self) -> int:
        """How many published values were rebuilt.

        >>> import chiso
        >>> chiso.Conformance("p", 1, [{"matched": True}, {"matched": False}], [], {}).checked
        2
        """
        return len(self.checks)

    @property
    def matched(self) -> int:
        """How many rebuilt values matched within the tolerance.

        >>> import chiso
        >>> chiso.Conformance("p", 1, [{"matched": True}, {"matched": False}], [], {}).matched
        1
        """
        return sum(1 for c in self.checks if c["matched"])

    @property
    def mismatches(self) -> list[dict[str, Any]]:
        """The checks that did not match.

        >>> import chiso
        >>> c = chiso.Conformance("p", 1, [{"id": "2.1", "matched": False}], [], {})
        >>> c.mismatches
        [{'id': '2.1', 'matched': False}]
        """
        return [c for c in self.checks if not c["matched"]]

    def to_pandas(self) -> Any:
        """The checks as a pandas DataFrame, one row per published value.

        >>> import chiso
        >>> c = chiso.Conformance("p", 1, [{"id": "2.1", "matched": True}], [], {})
        >>> c.to_pandas().shape
        (1, 2)
        """
        import pandas as pd

        return pd.DataFrame(self.checks)

    def __repr__(self) -> str:
        return (
            f"chiso.Conformance({self.profile}: {self.matched}/{self.checked} published values "
            f"matched ±{self.summary.get('tolerance', 0.01)} over {self.captures} captures)"
        )


def conformance(
    path: str | _os.PathLike[str], profile: str | _os.PathLike[str] | Profile = "portal-2026"
) -> Conformance:
    """Rebuilds every published row of a folder of portal API captures and compares.

    A folder without captures is refused:

    >>> import tempfile
    >>> import chiso
    >>> try:
    ...     chiso.conformance(tempfile.mkdtemp())
    ... except chiso.FormatError:
    ...     print("no captures")
    no captures
    """
    data = _json.loads(_chiso.conformance_json(_os.fspath(path), profile))
    report = data["report"]
    tolerance = data["summary"]["tolerance"]
    checks = []
    for c in report["checks"]:
        c = dict(c)
        c["error"] = abs(c["computed"] - c["expected"])
        c["matched"] = c["error"] <= tolerance + 1e-9
        checks.append(c)
    return Conformance(
        profile=report["profile"],
        captures=data["captures"],
        checks=checks,
        unchecked=report["unchecked"],
        summary=data["summary"],
    )


@dataclass(frozen=True)
class Sample:
    """A synthetic district from :func:`generate`: :class:`Table` objects (Arrow; ``.to_pandas()``,
    ``.to_polars()``, ``.to_pylist()``), or lists of dicts with ``as_dicts=True``.

    >>> import chiso
    >>> print(repr(chiso.generate(300, seed=1)).replace("; ", "\\n"))
    chiso.Sample(26 units, 100 procedures, 300 dossiers, 120 petitions
    period 2026, as of 2026-11-20 16:00)
    """

    units: Any = field(repr=False)
    procedures: Any = field(repr=False)
    dossiers: Any = field(repr=False)
    petitions: Any = field(repr=False)
    as_of: _dt.datetime
    period: str

    def score(self, **kwargs: Any) -> Scorecard:
        """Scores the sample (keyword arguments as for :func:`chiso.score`).

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> sample.score(period="2026-Q4").meta["period"], round(sample.score().total(), 2)
        ('2026-Q4', 53.27)
        """
        kwargs.setdefault("period", self.period)
        kwargs.setdefault("as_of", self.as_of)
        return score(
            self.dossiers,
            procedures=self.procedures,
            units=self.units,
            petitions=self.petitions,
            **kwargs,
        )

    def __repr__(self) -> str:
        return (
            f"chiso.Sample({len(self.units)} units, {len(self.procedures)} procedures, "
            f"{len(self.dossiers):,} dossiers, {len(self.petitions)} petitions; "
            f"period {self.period}, as of {self.as_of:%Y-%m-%d %H:%M})"
        )


def generate(n: int = 40_000, seed: int = 7, *, as_dicts: bool = False) -> Sample:
    """A seeded synthetic district (10 offices, 15 communes, 100 procedures, ``n`` dossiers).

    The tables are :class:`Table` objects with the columns ``chiso generate`` writes (scored by
    the columnar path as they are; ``.to_pandas()``, ``.to_polars()`` for dataframes);
    ``as_dicts=True`` gives lists of dicts instead (slower, as before). Same seed, same data,
    on every platform.

    >>> import chiso
    >>> sample = chiso.generate(300, seed=1)
    >>> len(sample.dossiers), sample.dossiers.to_pylist()[0]["dossier_id"]
    (300, 'D52.TS.P02-20261009-0000000')
    """
    _args.count("n", n, "a number of dossiers (an int ≥ 0)")
    _args.count("seed", seed, "a seed (an int ≥ 0)")
    _args.expect("as_dicts", as_dicts, "True or False", bool, none=False)
    d = _chiso.generate(n, seed, as_dicts)
    if not as_dicts:
        for key in ("units", "procedures", "dossiers", "petitions"):
            d[key] = Table(d[key])
    return Sample(**d)


def plan(
    card: Scorecard,
    targets: str | _os.PathLike[str] | dict[str, float] | None = "directive",
    *,
    unit: str | None = None,
    what_if: list[str] | tuple[str, ...] = (),
) -> Plan:
    """The planner on a scorecard: ``chiso.plan(card, targets={"2.1": 0.998})``.

    See :meth:`Scorecard.plan`.

    >>> import chiso
    >>> card = chiso.generate(300, seed=1).score()
    >>> round(chiso.plan(card, {"2.1": 0.998}).total, 2)
    53.27
    """
    return card.plan(targets, unit=unit, what_if=what_if)
