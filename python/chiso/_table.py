"""`chiso.Table`: a result table that any dataframe library reads without copying."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import _chiso

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars
    import pyarrow

__all__ = ["Table"]


class Table:
    """A table of results (Arrow inside).

    Hand it to any Arrow-aware library: ``pa.table(t)``, ``pl.DataFrame(t)``, ``duckdb.sql(...)``;
    or call :meth:`to_pandas`, :meth:`to_polars`, :meth:`to_pylist`.

    >>> import chiso
    >>> t = chiso.generate(300, seed=1).score().ranking()
    >>> len(t), t.columns
    (25, ['rank', 'unit', 'name', 'kind', 'total'])
    """

    __slots__ = ("_native",)

    def __init__(self, native: _chiso.Table) -> None:
        self._native = native

    # Arrow PyCapsule interface
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self._native.__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> object:
        return self._native.__arrow_c_schema__()

    @property
    def columns(self) -> list[str]:
        """The column names, in order.

        >>> import chiso
        >>> t = chiso.generate(300, seed=1).score().ranking()
        >>> t.columns
        ['rank', 'unit', 'name', 'kind', 'total']
        """
        return self._native.column_names

    def __len__(self) -> int:
        return len(self._native)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._native.to_pylist())

    def to_pylist(self) -> list[dict[str, Any]]:
        """Rows as dicts.

        >>> import chiso
        >>> t = chiso.generate(300, seed=1).score().ranking()
        >>> t.to_pylist()[0]["unit"]
        'D52.TS.P07'
        """
        return self._native.to_pylist()

    def to_pydict(self) -> dict[str, list[Any]]:
        """Columns as lists.

        >>> import chiso
        >>> t = chiso.generate(300, seed=1).score().ranking()
        >>> t.to_pydict()["rank"][:3]
        [1, 2, 3]
        """
        return self._native.to_pydict()

    def to_arrow(self) -> pyarrow.Table:
        """A ``pyarrow.Table`` (zero-copy).

        >>> import chiso
        >>> t = chiso.generate(300, seed=1).score().ranking()
        >>> t.to_arrow().schema.field("total").type
        DataType(double)
        """
        import pyarrow as pa

        return pa.table(self)

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame (through pyarrow when installed).

        >>> import chiso
        >>> t = chiso.generate(300, seed=1).score().ranking()
        >>> t.to_pandas()["unit"].iloc[0]
        'D52.TS.P07'
        """
        import pandas as pd

        try:
            import pyarrow as pa
        except ImportError:  # pragma: no cover - pyarrow comes with chiso[pandas]
            return pd.DataFrame(self.to_pydict(), columns=self.columns)
        return pa.table(self).to_pandas()

    def to_polars(self) -> polars.DataFrame:
        """A polars DataFrame (zero-copy).

        >>> import chiso
        >>> t = chiso.generate(300, seed=1).score().ranking()
        >>> t.to_polars()["total"].max()
        66.66
        """
        import polars as pl

        return pl.DataFrame(self)

    def __repr__(self) -> str:
        return repr(self._native)

    def _repr_html_(self) -> str:
        return to_html_table(self.to_pylist(), self.columns, limit=20)


def fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def to_html_table(rows: list[dict[str, Any]], columns: list[str], limit: int | None = None) -> str:
    shown = rows if limit is None else rows[:limit]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(fmt(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in shown
    )
    more = ""
    if limit is not None and len(rows) > limit:
        more = f"<p>… {len(rows) - limit:,} more rows</p>"
    return (
        f'<table class="chiso-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>{more}"
    )
