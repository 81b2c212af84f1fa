"""`chiso.Scorecard`: the explained result of `chiso.score`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _chiso, _options
from ._files import atomic_path
from ._table import Table

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    from matplotlib.figure import Figure

__all__ = ["Scorecard", "Plot", "Plan"]


class Plan(NamedTuple):
    """A plan: the unit's total, points lost per indicator, steps to the targets ranked by
    points gained per change, and the what-if comparison (``None`` without changes).

    >>> import chiso
    >>> plan = chiso.generate(300, seed=1).score().plan()
    >>> round(plan.total, 2), plan.what_if is None
    (53.27, True)
    """

    total: float
    losses: Table
    steps: Table
    what_if: Table | None


class Scorecard:
    """Scores of every unit for one period, explained down to the dossier.

    Tables come back as :class:`chiso.Table` (call ``.to_pandas()`` / ``.to_polars()``, or hand
    them to any Arrow-aware library).

    >>> import chiso
    >>> chiso.generate(300, seed=1).score()
    chiso.Scorecard(period 2026, 26 units, 418 dossiers scored; D52.TS 53.27/100)
    """

    __slots__ = ("_native",)

    def __init__(self, native: _chiso.Scorecard) -> None:
        self._native = native

    # --- numbers -----------------------------------------------------------------------------
    def total(self, unit: str | None = None) -> float:
        """Total points of a unit (the root unit when ``unit`` is None), full precision.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> round(card.total(), 2), round(card.total("D52.TS.P07"), 2)
        (53.27, 66.66)
        """
        return self._native.total(unit)

    def table(self) -> Table:
        """One row per unit: rank, total, max and the points of every group.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> t = card.table()
        >>> len(t), t.columns[:6]
        (26, ['unit', 'name', 'kind', 'parent', 'rank', 'total'])
        """
        return Table(self._native.table())

    def groups(self, unit: str | None = None) -> Table:
        """Group points (all units when ``unit`` is None).

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> [g["group"] for g in card.groups("D52.TS").to_pylist()]
        ['CKMB', 'TDGQ', 'CLGQ', 'TTTT', 'MDSH', 'MDHL']
        """
        return Table(self._native.groups(unit))

    def indicators(self, unit: str | None = None) -> Table:
        """Every indicator: numerator, denominator, ratio, points, max, lost, status, notes.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> rows = card.indicators("D52.TS").to_pylist()
        >>> [r["id"] for r in rows][:4]
        ['1.1', '1.2', '1.3', '1.4']
        """
        return Table(self._native.indicators(unit))

    def ranking(self, kind: str | None = None, policy: str = "portal") -> Table:
        """Units ranked by total. ``policy``: ``portal`` (1, 2, 3 even when tied),
        ``competition`` (1, 1, 3) or ``dense`` (1, 1, 2); ``kind`` e.g. ``"commune"``.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> best = card.ranking().to_pylist()[0]
        >>> best["rank"], best["unit"], best["total"]
        (1, 'D52.TS.P07', 66.66)
        """
        return Table(self._native.ranking(kind, policy))

    def dossiers(
        self, status: str = "overdue", unit: str | None = None, risk_days: int = 2
    ) -> Table:
        """The dossiers behind a number, classified exactly as when scoring.

        ``status``: ``overdue`` (open and past due), ``late``, ``lost`` (late or overdue),
        ``early``, ``on_time``, ``open``, ``within``, ``at_risk`` (open, due within
        ``risk_days`` working days), ``scored``, ``excluded`` or ``all``. ``unit`` limits the list
        to a unit and its subtree.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> len(card.dossiers("late")), len(card.dossiers("excluded"))
        (30, 2)
        """
        return Table(self._native.dossiers(status, unit, risk_days))

    def rejects(self) -> Table:
        """Input rows that could not be read, with row, column and message.

        >>> import chiso
        >>> rows = [{"dossier_id": "A", "unit_code": "U", "received_at": "31/02/2026"},
        ...         {"dossier_id": "B", "unit_code": "U", "received_at": "02/03/2026"}]
        >>> rejects = chiso.score(rows, period="2026").rejects().to_pylist()
        >>> [(r["row"], r["column"]) for r in rejects]
        [(1, 'received_at')]
        """
        return Table(self._native.rejects())

    # --- the directive's toolkit ---------------------------------------------------------------
    def plan(
        self,
        targets: str | os.PathLike[str] | dict[str, float] | None = "directive",
        *,
        unit: str | None = None,
        what_if: Sequence[str] = (),
    ) -> Plan:
        """What it takes to reach targets, exactly (every promise is re-scored).

        ``targets``: ``"directive"`` (on time ≥ 99.8%, digitised 100%, online payment ≥ 30%,
        satisfaction ≥ 95%), ``"rules"`` (full points under each rule), a dict such as
        ``{"2.1": 0.998}`` or a TOML file with a ``[targets]`` table. ``what_if``: changes such
        as ``["pay_online=500", "clear_overdue"]``, compared group by group.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> plan = card.plan({"2.1": 0.998}, what_if=["clear_overdue"])
        >>> round(plan.total, 2), plan.what_if is not None
        (53.27, True)
        """
        if isinstance(targets, os.PathLike):
            targets = os.fspath(targets)
        raw = self._native.plan(unit, targets, list(what_if) or None)
        what = raw["what_if"]
        return Plan(
            total=raw["total"],
            losses=Table(raw["losses"]),
            steps=Table(raw["steps"]),
            what_if=None if what is None else Table(what),
        )

    def overdue(self, within: int = 3) -> Table:
        """Open dossiers overdue at the evaluation time (``urgency == "overdue"``) and those due
        within ``within`` working days (``"at_risk"``), oldest first, with who holds them.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> [(r["urgency"], r["unit_code"]) for r in card.overdue().to_pylist()]
        [('at_risk', 'D52.TS.X13')]
        """
        return Table(self._native.overdue(within))

    def officials(self) -> tuple[Table, Table]:
        """Per-official figures from the process log (steps, late steps, dossiers made late,
        median working days per step), and the unit totals they add up to.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> officials, units = card.officials()
        >>> len(officials), len(units)
        (149, 25)
        """
        officials, units = self._native.officials()
        return Table(officials), Table(units)

    def check(self) -> Table:
        """The data-quality report: counts per unit and rule, with sample dossier ids.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> card.check().columns
        ['unit_code', 'rule', 'description', 'count', 'samples']
        """
        return Table(self._native.check())

    def reconcile(self, other: Any) -> Table:
        """Received/resolved counts against another source, per unit (last row ``*`` = total):
        other dossiers (any table or ``chiso.read`` records), or reported counts as a list of
        dicts with ``unit_code``, ``received``, ``resolved``. Includes the effect on 1.4.

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> total = sample.score().reconcile(sample.dossiers).to_pylist()[-1]
        >>> total["unit_code"], total["received_a"], total["received_diff"]
        ('*', 298, 0)
        """
        return Table(self._native.reconcile(other))

    def unit(self, unit: str | None = None) -> dict[str, Any]:
        """A unit's whole scorecard as plain data.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> u = card.unit("D52.TS.P07")
        >>> u["name"], u["kind"], u["parent"]
        ('Phòng Văn hóa và Thông tin', 'department', 'D52.TS')
        """
        return self._native.unit(unit)

    @property
    def units(self) -> list[str]:
        """Codes of every unit scored, the root first.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> len(card.units), card.units[:2]
        (26, ['D52.TS', 'D52.TS.P01'])
        """
        return self._native.units

    @property
    def root(self) -> str | None:
        """The root unit's code (None without units).

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> card.root
        'D52.TS'
        """
        return self._native.root

    @property
    def meta(self) -> dict[str, Any]:
        """Profile, period, evaluation time, options and calendar used.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> card.meta["profile"], card.meta["period"], card.meta["as_of"]
        ('portal-2026', '2026', '2026-11-20T16:00:00')
        """
        return self._native.meta

    @property
    def accounting(self) -> dict[str, Any]:
        """``read = scored + excluded + rejected``, with the reasons of exclusion.

        ``reader`` says how the dossiers were tallied: ``"columnar"`` (the fast path over Arrow
        data: a pyarrow / polars / pandas table or an Arrow IPC / Parquet file from
        :func:`chiso.read`) or ``"rows"`` (records); ``reader_note`` says why Arrow data needed
        the row path (duplicate ids, text dates, a cell the row reader rejects, …), else None.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> a = card.accounting
        >>> a["read"] == a["scored"] + a["excluded"] + a["rejected"], a["reader"]
        (True, 'columnar')
        """
        return self._native.accounting

    # --- export ------------------------------------------------------------------------------
    def to_arrow(self) -> Table:
        """The scorecard table (one row per unit) as an Arrow stream object.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> import pyarrow as pa
        >>> pa.table(card.to_arrow()).num_rows
        26
        """
        return self.table()

    def to_pandas(self) -> pandas.DataFrame:
        """The scorecard table (one row per unit) as a pandas DataFrame.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> round(float(card.to_pandas().set_index("unit").loc["D52.TS.P07", "total"]), 2)
        66.66
        """
        return self.table().to_pandas()

    def to_polars(self) -> polars.DataFrame:
        """The scorecard table (one row per unit) as a polars DataFrame.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> card.to_polars().shape
        (26, 16)
        """
        return self.table().to_polars()

    def to_json(self) -> str:
        """The full scorecard, accounting and rejects as JSON text.

        >>> import json
        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> data = json.loads(card.to_json())
        >>> data["accounting"]["scored"], sorted(data)[:2]
        (418, ['accounting', 'rejects'])
        """
        return self._native.to_json()

    def to_csv(self, path: str | os.PathLike[str] | None = None, *, lang: str | None = None) -> str:
        """The CSV of ``chiso score --format csv`` (the same writer): one row per unit and
        indicator, full precision; headers in ``lang``. Written to ``path`` when given, and
        returned.

        >>> import chiso
        >>> card = chiso.generate(500, seed=1).score()
        >>> card.to_csv(lang="vi").splitlines()[0][:21]
        'Đơn vị,Tên đơn vị,Loạ'
        """
        text = self._native.to_csv(_options.lang(lang))
        if path is not None:
            with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return text

    def to_excel(self, path: str | os.PathLike[str], *, lang: str | None = None) -> None:
        """Writes the workbook of ``chiso score --format xlsx`` (the same writer, no extra
        package needed): Summary, Units (× groups), Indicators and Rejects, with sheet names and
        headings in ``lang`` (``"vi"`` / ``"en"``; default: ``chiso.set_option("lang", …)``, else
        the locale).

        >>> import pathlib, tempfile
        >>> import chiso
        >>> card = chiso.generate(500, seed=1).score()
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "bang-diem.xlsx"
        >>> card.to_excel(out, lang="vi")
        >>> out.read_bytes()[:2]
        b'PK'
        """
        self._native.write_excel(os.fspath(path), _options.lang(lang))

    def to_html(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        lang: str | None = None,
        unit: str | None = None,
    ) -> str:
        """The HTML report of ``chiso score --format html`` (the same writer): one
        self-contained page with the groups radar, the ranking, points lost per indicator, the
        indicator table and the records' accounting, in ``lang``. ``unit``: the unit shown in
        detail (default: the root). Written to ``path`` when given, and returned.

        >>> import chiso
        >>> card = chiso.generate(500, seed=1).score()
        >>> page = card.to_html(lang="vi")
        >>> "Xếp hạng đơn vị" in page and page.count("<svg") >= 3
        True
        """
        text = self._native.to_html(_options.lang(lang), unit)
        if path is not None:
            with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    # --- display -----------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        """The notebook view: the report's header, records line, units × groups table (30
        rows) and the root's five biggest losses, in ``chiso.get_option("lang")``."""
        return self._native.summary_html(_options.lang(None), 30)

    def __repr__(self) -> str:
        return repr(self._native)

    @property
    def plot(self) -> Plot:
        """Matplotlib charts (``chiso[plot]``); each returns a ``Figure`` without showing it.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> type(card.plot).__name__
        'Plot'
        """
        return Plot(self)


class Plot:
    """Charts of a scorecard (``card.plot``), drawn with matplotlib.

    >>> import chiso
    >>> chiso.generate(300, seed=1).score().plot.radar().axes[0].get_ylim()
    (np.float64(0.0), np.float64(1.0))
    """

    __slots__ = ("_card",)

    def __init__(self, card: Scorecard) -> None:
        self._card = card

    @staticmethod
    def _figure(**kw: Any) -> Figure:
        from matplotlib.figure import Figure

        return Figure(**kw)

    def radar(self, unit: str | None = None) -> Figure:
        """The share of each group's maximum a unit reached.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> [t.get_text() for t in card.plot.radar().axes[0].get_xticklabels()]
        ['CKMB', 'TDGQ', 'CLGQ', 'TTTT', 'MDSH', 'MDHL']
        """
        import math

        groups = self._card.groups(unit or self._card.root).to_pylist()
        labels = [g["group"] for g in groups]
        values = [g["points"] / g["max"] if g["max"] else 0.0 for g in groups]
        angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
        fig = self._figure(figsize=(5, 5))
        ax = fig.add_subplot(projection="polar")
        ax.plot(angles + angles[:1], values + values[:1])
        ax.fill(angles + angles[:1], values + values[:1], alpha=0.25)
        ax.set_xticks(angles)
        ax.set_xticklabels(labels)
        ax.set_ylim(0, 1)
        ax.set_title(f"{unit or self._card.root}: share of each group's maximum")
        return fig

    def ranking(self, kind: str | None = None, top: int | None = None) -> Figure:
        """Units by total, best first.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> bars = card.plot.ranking(top=3).axes[0].patches
        >>> [float(round(b.get_width(), 2)) for b in bars][-1]
        66.66
        """
        rows = self._card.ranking(kind).to_pylist()
        if top is not None:
            rows = rows[:top]
        fig = self._figure(figsize=(7, max(2.0, 0.3 * len(rows) + 1)))
        ax = fig.add_subplot()
        names = [f"{r['rank']}. {r['name'] or r['unit']}" for r in rows][::-1]
        ax.barh(names, [r["total"] for r in rows][::-1])
        ax.set_xlabel("total points")
        ax.set_title("Ranking")
        fig.tight_layout()
        return fig

    def losses(self, unit: str | None = None) -> Figure:
        """Points lost per indicator, largest first.

        >>> import chiso
        >>> card = chiso.generate(300, seed=1).score()
        >>> ax = card.plot.losses().axes[0]
        >>> len(ax.patches) == len(card.indicators(card.root))
        True
        """
        rows = [r for r in self._card.indicators(unit or self._card.root).to_pylist()]
        rows.sort(key=lambda r: r["lost"])
        fig = self._figure(figsize=(7, max(2.0, 0.28 * len(rows) + 1)))
        ax = fig.add_subplot()
        ax.barh([f"{r['id']} {r['name_en'][:40]}" for r in rows], [r["lost"] for r in rows])
        ax.set_xlabel("points lost")
        ax.set_title(f"{unit or self._card.root}: points lost per indicator")
        fig.tight_layout()
        return fig

    def trend(self, cards: Sequence[Scorecard] = (), unit: str | None = None) -> Figure:
        """Total and groups over several periods (this scorecard and ``cards``).

        >>> import chiso
        >>> sample = chiso.generate(300, seed=1)
        >>> q3, q4 = sample.score(period="2026-Q3"), sample.score(period="2026-Q4")
        >>> [t.get_text() for t in q4.plot.trend([q3]).axes[0].get_xticklabels()]
        ['2026-Q3', '2026-Q4']
        """
        series = sorted([self._card, *cards], key=lambda c: str(c.meta["period"]))
        labels = [str(c.meta["period"]) for c in series]
        fig = self._figure(figsize=(7, 4))
        ax = fig.add_subplot()
        code = unit or self._card.root
        ax.plot(labels, [c.total(code) for c in series], marker="o", label="total")
        per_group: dict[str, list[float]] = {}
        for c in series:
            for g in c.groups(code).to_pylist():
                per_group.setdefault(g["group"], []).append(g["points"])
        for name, values in per_group.items():
            if len(values) == len(series):
                ax.plot(labels, values, marker=".", linestyle="--", label=name)
        ax.set_ylabel("points")
        ax.set_title(f"{code}: score by period")
        ax.legend(fontsize="small")
        fig.tight_layout()
        return fig
