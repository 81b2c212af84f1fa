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
    :func:`chiso.score`; ``as_of`` starts the clock (default: now, Vietnam time)."""

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

    def upsert(self, table: Any) -> dict[str, int | str]:
        """Applies sync records (any table ``chiso.score`` accepts): each row is a dossier's
        full current state; of two with one ``dossier_id`` the later ``synced_at`` wins. The same
        record twice changes nothing. Returns counts of added, replaced, stale and unchanged, and
        ``reader``: ``"columnar"`` when Arrow data (pyarrow, polars, pandas) was read from its
        columns with no record per row, ``"rows"`` for records (or Arrow data the columnar reader
        leaves to them, e.g. a process log column)."""
        return self._native.upsert(table)

    def remove(self, dossier_id: str) -> bool:
        """Stops tracking a dossier; False when it was not tracked."""
        return self._native.remove(dossier_id)

    def advance(self, now: _dt.datetime | _dt.date | str) -> None:
        """Moves the clock forward: open dossiers cross their deadlines, ended periods freeze."""
        self._native.advance(now)

    @property
    def now(self) -> _dt.datetime:
        """The evaluation clock (Vietnam time)."""
        return self._native.now

    @property
    def periods(self) -> list[str]:
        """The tracked periods."""
        return self._native.periods

    def scorecard(self, period: str | None = None) -> Scorecard:
        """The scorecard of a tracked period (the first when None) at the clock. Its
        drill-downs (``dossiers``, ``overdue``, …) list the scoreboard's latest records, rebuilt
        from its compact state as they were when the scorecard was made (no process log, so no
        handler; fee amounts as 1). Changing the scoreboard while such a scorecard is still
        referenced copies the state once: drop old scorecards in long loops."""
        return Scorecard(self._native.scorecard(period))

    def changes(self) -> Table:
        """What moved since the last call: per period, unit and indicator, numerator,
        denominator and points before → after, and the dossiers that moved it."""
        return Table(self._native.changes())

    def project(self, at: _dt.datetime | _dt.date | str, period: str | None = None) -> Scorecard:
        """The scorecard at ``at`` if nothing more arrives (open dossiers turn overdue)."""
        return Scorecard(self._native.project(at, period))

    def at_risk(self, at: _dt.datetime | _dt.date | str) -> Table:
        """What would move by ``at`` if nothing more arrives: the points at risk per unit, with
        the dossiers that will cost them and when."""
        return Table(self._native.at_risk(at))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Saves the snapshot atomically (a temp file renamed over the old one)."""
        self._native.save(os.fspath(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str], calendar: str = "vietnam") -> Scoreboard:
        """A scoreboard from its snapshot; a truncated, foreign or corrupted file is refused."""
        return cls(_native=_chiso.Scoreboard.load(os.fspath(path), calendar))

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return repr(self._native)
