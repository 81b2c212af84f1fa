"""``chiso.Scoreboard``: the index in real time.

Sync records stream in (:meth:`Scoreboard.upsert`), the clock moves (:meth:`Scoreboard.advance`)
and the scorecard is always current — identical to ``chiso.score`` of the latest records at the
same moment. A thin wrapper over the native ``chiso._chiso.Scoreboard``.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

from . import _chiso
from ._scorecard import Scorecard
from ._table import Table


class Scoreboard:
    """A live scoreboard for one or more periods (default: the month, quarter and year of
    ``as_of``). ``procedures``, ``units``, ``petitions``, ``profile`` and ``options`` are as in
    :func:`chiso.score`; ``as_of`` starts the clock (default: now, Vietnam time).

    >>> import chiso
    >>> sample = chiso.generate(300, seed=1)
    >>> chiso.Scoreboard(procedures=sample.procedures, as_of="2026-11-20T16:00")
    Scoreboard(0 dossiers, now 2026-11-20 16:00, periods 2026-11, 2026-Q4, 2026)
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        *,
        period: str | list[str] | None = None,
        procedures: Any = None,
        units: Any = None,
        petitions: Any = None,
        profile: Any = None,
        options: dict[str, Any] | None = None,
        as_of: _dt.datetime | _dt.date | str | None = None,
        calendar: str = "vietnam",
        _native: _chiso.Scoreboard | None = None,
    ) -> None:
        self._native = _native or _chiso.Scoreboard(
            period=period,
            procedures=procedures,
            units=units,
            petitions=petitions,
            profile=profile,
            options=options,
            as_of=as_of,
            calendar=calendar,
        )

    def upsert(self, table: Any, errors: str = "reject") -> dict[str, int | str]:
        """Applies sync records (any table ``chiso.score`` accepts): each row is a dossier's
        full current state; of two with one ``dossier_id`` the later ``synced_at`` wins. The same
        record twice changes nothing. Returns counts of added, replaced, stale (older than the
        record kept), unchanged and rejected, and ``reader``: ``"columnar"`` when Arrow data
        (pyarrow, polars, pandas) was read from its columns with no record per row, ``"rows"`` for
        records (or Arrow data the columnar reader leaves to them, e.g. a process log column).

        A row that cannot be read (a date that is no date, no dossier id, …) is set aside as
        :func:`chiso.score` sets it aside: counted as ``rejected`` and listed by
        :meth:`rejects`, the other rows applied. ``errors="raise"`` raises
        :class:`chiso.InputError` on the first instead, with nothing applied.

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> again = board.upsert(sample.dossiers)
        >>> again["added"], again["replaced"], again["stale"], again["unchanged"], again["rejected"]
        (0, 0, 0, 300, 0)
        """
        return self._native.upsert(table, errors)

    def rejects(self) -> Table:
        """The rows :meth:`upsert` set aside since the last call: source, row, column, message.
        They are kept until this is called (in a long loop, call it after each upsert).

        >>> import chiso
        >>> board = chiso.Scoreboard(as_of="2026-11-20T16:00")
        >>> rows = [{"dossier_id": "HS-1", "unit_code": "H1", "received_at": "2026-11-02T08:00"},
        ...         {"dossier_id": "HS-2", "unit_code": "H1", "received_at": "31/11/2026"}]
        >>> board.upsert(rows)["rejected"]
        1
        >>> [(r["row"], r["column"]) for r in board.rejects().to_pylist()], len(board.rejects())
        ([(2, 'received_at')], 0)
        """
        return Table(self._native.rejects())

    def remove(self, dossier_id: str) -> bool:
        """Stops tracking a dossier; False when it was not tracked.

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> first = sample.dossiers.to_pylist()[0]["dossier_id"]
        >>> board.remove(first), board.remove(first), len(board)
        (True, False, 299)
        """
        return self._native.remove(dossier_id)

    def advance(self, now: _dt.datetime | _dt.date | str) -> None:
        """Moves the clock forward: open dossiers cross their deadlines, ended periods freeze.

        When a batch of records arrives with a clock (records synced up to a moment), move the
        clock first and then upsert the batch: each record is then judged once, at that clock.
        The other order gives the same scorecard, but judges most records twice (once at the old
        clock, again when the clock reaches them).

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> board.advance("2026-12-01")
        >>> board.now
        datetime.datetime(2026, 12, 1, 23, 59, 59)
        """
        self._native.advance(now)

    @property
    def now(self) -> _dt.datetime:
        """The evaluation clock (Vietnam time).

        >>> import chiso
        >>> chiso.Scoreboard(as_of="2026-11-20T16:00").now
        datetime.datetime(2026, 11, 20, 16, 0)
        """
        return self._native.now

    @property
    def periods(self) -> list[str]:
        """The tracked periods.

        >>> import chiso
        >>> chiso.Scoreboard(as_of="2026-11-20T16:00").periods
        ['2026-11', '2026-Q4', '2026']
        """
        return self._native.periods

    def scorecard(self, period: str | None = None) -> Scorecard:
        """The scorecard of a tracked period (the first when None) at the clock. Its
        drill-downs (``dossiers``, ``overdue``, …) list the scoreboard's latest records, rebuilt
        from its compact state as they were when the scorecard was made (no process log, so no
        handler; fee amounts as 1). Changing the scoreboard while such a scorecard is still
        referenced copies the state once: drop old scorecards in long loops.

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> board.scorecard()
        chiso.Scorecard(period 2026-11, 26 units, 300 dossiers scored; D52.TS 55.55/100)
        """
        return Scorecard(self._native.scorecard(period))

    def changes(self) -> Table:
        """What moved since the last call: per period, unit and indicator, numerator,
        denominator and points before → after, and the dossiers that moved it.

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> len(board.changes()) > 0, len(board.changes())
        (True, 0)
        """
        return Table(self._native.changes())

    def project(self, at: _dt.datetime | _dt.date | str, period: str | None = None) -> Scorecard:
        """The scorecard at ``at`` if nothing more arrives (open dossiers turn overdue).

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> round(board.project("2026-12-31").total(), 2) < round(board.scorecard().total(), 2)
        True
        """
        return Scorecard(self._native.project(at, period))

    def at_risk(self, at: _dt.datetime | _dt.date | str) -> Table:
        """What would move by ``at`` if nothing more arrives: the points at risk per unit, with
        the dossiers that will cost them and when.

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> risk = board.at_risk("2026-12-31")
        >>> len(risk), risk.columns[:3]
        (36, ['period', 'unit', 'indicator'])
        """
        return Table(self._native.at_risk(at))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Saves the snapshot atomically (a temp file renamed over the old one).

        >>> import pathlib, tempfile
        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "board.snap"
        >>> board.save(path)
        >>> len(chiso.Scoreboard.load(path))
        300
        """
        self._native.save(os.fspath(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str], calendar: str = "vietnam") -> Scoreboard:
        """A scoreboard from its snapshot; a truncated, foreign or corrupted file is refused.

        >>> import pathlib, tempfile
        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> board = chiso.Scoreboard(procedures=sample.procedures, units=sample.units,
        ...                          as_of="2026-11-20T16:00")
        >>> board.upsert(sample.dossiers)["added"]
        300
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "board.snap"
        >>> board.save(path)
        >>> chiso.Scoreboard.load(path).scorecard().total() == board.scorecard().total()
        True
        >>> path.write_bytes(b"not a snapshot") and None
        >>> chiso.Scoreboard.load(path)  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        chiso.errors.FormatError: ...
        """
        return cls(_native=_chiso.Scoreboard.load(os.fspath(path), calendar))

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return repr(self._native)
