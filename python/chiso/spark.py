"""chiso on Apache Spark: the rules run inside the executors and only small tallies travel.

Example (needs a Spark session, so it is shown, not run by the doctests)::

    card = chiso.spark.score(spark.read.parquet("s3://lake/dossiers/"),
                             procedures=procedures, units=units, period="2026")

How: the rows are repartitioned by ``dossier_id`` so that every sync of one dossier meets in one
partition (the latest sync wins, as on one machine; between syncs at the same time, the later
row of the DataFrame); each partition is tallied by ``mapInArrow`` — Arrow batches straight into
chiso's columnar path — into one binary row (``bytes(chiso.Tally)``); the tallies are added up
by a tree reduce and scored on the driver. Tallies are additive, so the numbers are the ones
``chiso.score`` gives on one machine: the same scorecard, the same accounting.

Needs ``pip install 'chiso[spark]'`` on the driver and chiso on every executor (see docs/spark.md).
"""

from __future__ import annotations

import datetime as _dt
import os as _os
from collections.abc import Iterator
from typing import Any

from . import _chiso
from ._chiso import Profile, Tally
from ._scorecard import Scorecard

__all__ = ["score", "tally", "partial_tallies", "verdicts"]

#: The column that carries each partition's tally.
TALLY_COLUMN = "tally"
_SEQ = "__chiso_seq"


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([(TALLY_COLUMN, pa.binary()), ("rows", pa.int64()),
                      ("seconds", pa.float64())])


def score(
    df: Any,
    *,
    procedures: Any = None,
    units: Any = None,
    petitions: Any = None,
    period: str | None = None,
    as_of: _dt.datetime | _dt.date | str | None = None,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
    options: dict[str, str | bool] | None = None,
    calendar: str = "vietnam",
    partitions: int | None = None,
) -> Scorecard:
    """Scores a Spark DataFrame of dossiers; the same :class:`chiso.Scorecard` as
    :func:`chiso.score` on the same rows.

    ``df``: dossiers with any column names chiso recognises. ``procedures``, ``units``,
    ``petitions``: any table :func:`chiso.score` accepts, or Spark DataFrames (collected to the
    driver: they are small). ``partitions``: how many partitions to tally (default: the
    DataFrame's). The other arguments are those of :func:`chiso.score`.
    """
    merged = tally(
        df,
        procedures=procedures,
        period=period,
        as_of=as_of,
        profile=profile,
        options=options,
        calendar=calendar,
        partitions=partitions,
    )
    return score_tally(merged, units=units, procedures=procedures, petitions=petitions,
                       profile=profile)


def score_tally(
    merged: Tally,
    *,
    units: Any = None,
    procedures: Any = None,
    petitions: Any = None,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
) -> Scorecard:
    """:func:`chiso.score_tally`, with Spark DataFrames accepted for the small tables."""
    from . import score_tally as _score_tally

    return _score_tally(
        merged,
        units=_local(units),
        procedures=_local(procedures),
        petitions=_local(petitions),
        profile=profile,
    )


def tally(
    df: Any,
    *,
    procedures: Any = None,
    period: str | None = None,
    as_of: _dt.datetime | _dt.date | str | None = None,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
    options: dict[str, str | bool] | None = None,
    calendar: str = "vietnam",
    partitions: int | None = None,
) -> Tally:
    """The merged :class:`chiso.Tally` of a Spark DataFrame of dossiers (see :func:`score`)."""
    from . import tally as _tally

    procedures = _local(procedures)
    # Settle the period and the evaluation time once, on the driver: executors must not each
    # read their own clock. The empty tally carries them and is the start of the sum.
    start = _tally([], procedures=procedures, period=period, as_of=as_of, profile=profile,
                   options=options, calendar=calendar)
    parts = partial_tallies(df, procedures=procedures, start=start, profile=profile,
                            options=options, calendar=calendar, partitions=partitions)

    def add(acc: bytes, part: bytes) -> bytes:
        if not acc:
            return bytes(part)
        if not part:
            return acc
        return bytes(Tally.from_bytes(acc).merge(Tally.from_bytes(bytes(part))))

    total = parts.rdd.map(lambda row: bytes(row[0])).treeAggregate(b"", add, add, depth=2)
    merged = start.merge(Tally.from_bytes(total)) if total else start
    if merged.reject_rows:
        merged = merged.with_reject_rows(_rows_in_frame(df, merged.reject_rows))
    return merged


def _rows_in_frame(df: Any, seqs: list[int]) -> list[int]:
    """The 1-based row numbers in ``df`` (its partitions one after another, as ``chiso.score``
    of the collected rows numbers them) of rows known by their ``_SEQ`` value. Spark's
    ``monotonically_increasing_id`` puts the partition in the upper 31 bits and the place within
    it in the lower 33; one small job counts the rows of each partition (only when rows were
    rejected)."""
    from pyspark.sql import functions as F

    counts = dict(df.select(F.spark_partition_id().alias("p")).groupBy("p").count().collect())
    offsets, total = {}, 0
    for p in range(max(counts, default=-1) + 1):
        offsets[p] = total
        total += counts.get(p, 0)
    low = (1 << 33) - 1
    return [offsets[s >> 33] + (s & low) + 1 for s in seqs]


def partial_tallies(
    df: Any,
    *,
    procedures: Any = None,
    start: Tally,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
    options: dict[str, str | bool] | None = None,
    calendar: str = "vietnam",
    partitions: int | None = None,
) -> Any:
    """One row per non-empty partition: ``tally``, the partition's tally as bytes; ``rows``, the
    rows it read; ``seconds``, the time chiso took on them. ``start`` (a tally of no dossiers)
    carries the period and evaluation time to use."""

    context = start.context
    period, as_of = context["period"], context["as_of"]
    procedures = _local(procedures)
    profile_arg = _portable_profile(profile)
    spread = _by_dossier_id(df, partitions)

    def tally_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import time

        import pyarrow as pa

        import chiso

        parts = [b for b in batches if b.num_rows]
        if not parts:
            return
        whole = pa.Table.from_batches(parts)
        table = whole.drop([_SEQ])
        began = time.perf_counter()
        t = chiso.tally(table, procedures=procedures, period=period, as_of=as_of,
                        profile=_local_profile(profile_arg), options=options, calendar=calendar)
        if t.reject_rows:
            # Name each rejected row by its place in the DataFrame (see `_rows_in_frame`).
            seq = whole.column(_SEQ)
            t = t.with_reject_rows([seq[r - 1].as_py() for r in t.reject_rows])
        out = {TALLY_COLUMN: [bytes(t)], "rows": [table.num_rows],
               "seconds": [time.perf_counter() - began]}
        yield pa.RecordBatch.from_pydict(out, schema=_schema())

    return spread.mapInArrow(tally_partition, f"{TALLY_COLUMN} binary, rows long, seconds double")


def _by_dossier_id(df: Any, partitions: int | None, scoring_only: bool = True) -> Any:
    """``df`` (its scoring columns only, unless ``scoring_only=False``) repartitioned by the
    dossier-id column, so that every sync of an id meets in one
    partition (the latest wins, as on one machine), each partition in the DataFrame's order (the
    later of two syncs at the same time wins) with that order kept in the ``_SEQ`` column."""
    from pyspark.sql import functions as F

    id_column = dossier_id_column(df.columns)
    n = partitions or max(df.rdd.getNumPartitions(), 1)
    # For a tally only the columns scoring reads travel through the shuffle (not the process
    # log, not the toolkit's columns; the verdicts also show the handler); the order of rows,
    # hence `_SEQ`, is the DataFrame's.
    read = _chiso.scoring_columns(list(df.columns)) if scoring_only else list(df.columns)
    return (
        df.select(*[F.col(f"`{c}`") for c in read])
        .withColumn(_SEQ, F.monotonically_increasing_id())
        .repartition(n, F.col(f"`{id_column}`"))
        .sortWithinPartitions(_SEQ)
    )


def verdicts(
    df: Any,
    *,
    procedures: Any = None,
    units: Any = None,
    period: str | None = None,
    as_of: _dt.datetime | _dt.date | str | None = None,
    profile: str | _os.PathLike[str] | Profile = "portal-2026",
    options: dict[str, str | bool] | None = None,
    calendar: str = "vietnam",
    partitions: int | None = None,
) -> Any:
    """The per-dossier verdicts as a Spark DataFrame: the rows of
    ``chiso.score(...).dossiers("all")`` (the columns of ``chiso score --verdicts``), computed in
    the executors, each partition holding every sync of its dossier ids (the latest wins)."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_schema

    from . import score as _score
    from . import tally as _tally

    procedures, units = _local(procedures), _local(units)
    start = _tally([], procedures=procedures, period=period, as_of=as_of, profile=profile,
                   options=options, calendar=calendar)
    period, as_of = start.context["period"], start.context["as_of"]
    profile_arg = _portable_profile(profile)
    kw = dict(procedures=procedures, units=units, period=period, as_of=as_of, options=options,
              calendar=calendar)
    schema = pa.table(_score([], profile=profile, **kw).dossiers("all")).schema
    spread = _by_dossier_id(df, partitions, scoring_only=False)

    def judge_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        import chiso

        parts = [b for b in batches if b.num_rows]
        if not parts:
            return
        table = pa.Table.from_batches(parts).drop([_SEQ])
        card = chiso.score(table, profile=_local_profile(profile_arg), **kw)
        yield from pa.table(card.dossiers("all")).cast(schema).to_batches()

    return spread.mapInArrow(judge_partition, from_arrow_schema(schema))


def dossier_id_column(columns: list[str]) -> str:
    """The column chiso reads as ``dossier_id`` (canonical name, portal sync name or a common
    Vietnamese header)."""
    fields = _chiso.resolve_columns(list(columns), "dossier")
    for name, field in zip(columns, fields, strict=True):
        if field == "dossier_id":
            return name
    raise _chiso_input_error(f"no dossier id column among {list(columns)}")


def _chiso_input_error(message: str) -> Exception:
    from .errors import InputError

    return InputError(message)


def _local(obj: Any) -> Any:
    """Small tables go to the executors with the function: a Spark DataFrame is collected as
    Arrow, ``chiso.read`` records become plain rows (both pickle)."""
    if obj is None:
        return None
    module = type(obj).__module__
    if module.startswith("pyspark"):
        if hasattr(obj, "toArrow"):  # Spark >= 4
            return obj.toArrow()
        import pyarrow as pa

        return pa.Table.from_pandas(obj.toPandas(), preserve_index=False)
    if isinstance(obj, _chiso.Records):
        return obj.to_pylist()
    return obj


def _portable_profile(profile: Any) -> Any:
    """A profile the executors can load: a built-in name as it is, a file as its text."""
    if isinstance(profile, Profile):
        raise TypeError(
            "chiso.spark: pass the profile as a built-in name or a TOML path (a loaded "
            "chiso.Profile does not travel to the executors)"
        )
    text = _os.fspath(profile)
    if text in _chiso.profiles():
        return text
    with open(text, encoding="utf-8") as f:
        return ("toml", _os.path.basename(text), f.read())


def _local_profile(profile: Any) -> Any:
    """The executor's side of :func:`_portable_profile`: a TOML text is written to a temporary
    file and loaded."""
    if isinstance(profile, str):
        return profile
    import tempfile

    _, name, text = profile
    with tempfile.TemporaryDirectory() as d:
        path = _os.path.join(d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return _chiso.load_profile(path)
