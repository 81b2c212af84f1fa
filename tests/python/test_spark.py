"""chiso.spark on a real local Spark (local[2]): the scorecard is the one chiso.score gives on
one machine — with duplicate ids split across partitions, rejects and exclusions in the
accounting, empty partitions and a partition holding only rejects."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import sys

import pyarrow as pa
import pytest

import chiso
import chiso.spark

try:
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
except ImportError:  # pragma: no cover - the test command installs pyspark
    if os.environ.get("CHISO_REQUIRE_SPARK"):
        raise
    pytest.skip("pip install 'chiso[spark]' to run the Spark tests", allow_module_level=True)
if not shutil.which("java"):
    if os.environ.get("CHISO_REQUIRE_SPARK"):
        pytest.fail("Java is required for the Spark tests", pytrace=False)
    pytest.skip("no java on the PATH: the Spark tests need Java 17", allow_module_level=True)

SUPERSEDED = "duplicate superseded by a later sync"


@pytest.fixture(scope="session")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("chiso-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        # Naive times in the test data are Vietnam time, as chiso reads them on one machine.
        .config("spark.sql.session.timeZone", "Asia/Ho_Chi_Minh")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def sample() -> chiso.Sample:
    return chiso.generate(2_500, seed=31, as_dicts=True)


def _json(v: object) -> str:
    return json.dumps(v, default=lambda x: x.isoformat())


def plain(d: dict) -> dict:
    """A dossier in the flat shape a data lake holds: nested lists as JSON text, the
    submission time as text (so one bad cell can be rejected)."""
    d = dict(d)
    for name in ("supplements", "fee_waits", "steps"):
        d[name] = _json(d[name]) if d[name] else None
    d["submitted_at"] = d["submitted_at"] and d["submitted_at"].isoformat()
    return d


@pytest.fixture(scope="module")
def rows(sample) -> list[dict]:
    """The sample, plus later syncs of 40 dossiers appended at the end (so each pair starts in
    different partitions), two of them at the very same sync time (the later row wins), and
    three rows the reader rejects."""
    out = [plain(d) for d in sample.dossiers]
    base = dt.datetime(2026, 6, 1, 8)
    for i, d in enumerate(out):
        d["synced_at"] = base + dt.timedelta(minutes=i)
    later = []
    for i in range(0, 400, 10):
        d = dict(out[i])
        d["status"] = 10
        d["finished_at"] = (d["received_at"] or base) + dt.timedelta(days=40)
        d["synced_at"] = out[i]["synced_at"] + (dt.timedelta(0) if i < 20 else dt.timedelta(days=1))
        later.append(d)
    for i in (5, 1205, 2405):
        out[i]["submitted_at"] = "not a date"
    return out + later


def arrow(data: list[dict]) -> pa.Table:
    """The rows as Arrow, without the columns that are null throughout (no Spark type)."""
    t = pa.Table.from_pylist(data)
    return t.drop([f.name for f in t.schema if pa.types.is_null(f.type)])


def frame(spark, data: list[dict], slices: int = 4):
    """A DataFrame of the rows in order, in contiguous partitions (as a file read would be);
    times as naive Vietnam times (TIMESTAMP_NTZ), as a data lake of the portal's syncs holds
    them."""
    from pyspark.sql import types as T

    whole = arrow(data)
    inferred = spark.createDataFrame(whole.slice(0, 1).to_pandas()).schema
    schema = T.StructType([
        T.StructField(f.name, T.TimestampNTZType() if isinstance(f.dataType, T.TimestampType)
                      else f.dataType)
        for f in inferred.fields
    ])
    records = [tuple(r[f.name] for f in schema.fields) for r in whole.to_pylist()]
    return spark.createDataFrame(spark.sparkContext.parallelize(records, slices), schema)


def one_machine(sample, data) -> chiso.Scorecard:
    return chiso.score(
        arrow(data) if data else [], procedures=sample.procedures, units=sample.units,
        petitions=sample.petitions, period=sample.period, as_of=sample.as_of,
    )


def on_spark(sample, df, **kw) -> chiso.Scorecard:
    return chiso.spark.score(
        df, procedures=sample.procedures, units=sample.units, petitions=sample.petitions,
        period=sample.period, as_of=sample.as_of, **kw,
    )


def assert_same(spark_card: chiso.Scorecard, card: chiso.Scorecard, rows: bool = True) -> None:
    """The same scorecard JSON, rejects included with their row numbers in the whole table
    (``rows=False``: tallies merged by hand name rejected rows within their own part)."""
    a, b = json.loads(spark_card.to_json()), json.loads(card.to_json())
    if not rows:
        key = lambda r: (r["file"], r["column"], r["message"])  # noqa: E731
        assert sorted(map(key, a.pop("rejects"))) == sorted(map(key, b.pop("rejects")))
    assert a == b
    strip = ("reader", "reader_note")
    assert {k: v for k, v in spark_card.accounting.items() if k not in strip} == {
        k: v for k, v in card.accounting.items() if k not in strip
    }


def test_same_scorecard_as_one_machine(spark, sample, rows) -> None:
    card = one_machine(sample, rows)
    acc = card.accounting
    assert acc["excluded_by_reason"][SUPERSEDED] == 40
    assert acc["rejected"] == 3 and acc["excluded"] > 40 and acc["scored"] > 1000
    df = frame(spark, rows)
    # Every later sync starts in another partition than the sync it supersedes.
    where = {
        (r["dossier_id"], r["synced_at"]): r["p"]
        for r in df.select("dossier_id", "synced_at", F.spark_partition_id().alias("p")).collect()
    }
    split = sum(
        1 for i in range(0, 400, 10)
        if len({p for (k, _), p in where.items() if k == rows[i]["dossier_id"]}) > 1
    )
    assert split >= 20, split
    got = on_spark(sample, df, partitions=4)
    assert_same(got, card)
    # Rejected rows are named by their place in the DataFrame, as one machine names them.
    assert [r["row"] for r in json.loads(got.to_json())["rejects"]] == [6, 1206, 2406]


def test_tallying_partitions_as_they_come_would_count_split_duplicates_twice(
    sample, rows
) -> None:
    """The control: tallying the same four contiguous slices without bringing the syncs of an
    id together counts the split duplicates twice — what the test above would catch."""
    n = len(rows)
    cuts = [i * n // 4 for i in range(5)]
    kw = dict(procedures=sample.procedures, period=sample.period, as_of=sample.as_of)
    parts = [chiso.tally(arrow(rows[a:b]), **kw) for a, b in zip(cuts, cuts[1:], strict=False)]
    naive = functools.reduce(lambda x, y: x.merge(y), parts)
    whole = chiso.tally(arrow(rows), **kw)
    assert naive.accounting["excluded_by_reason"].get(SUPERSEDED, 0) < 40
    assert naive.accounting["scored"] > whole.accounting["scored"]
    assert naive.accounting["read"] == whole.accounting["read"]


def test_empty_partitions_and_a_partition_of_rejects_only(spark, sample, rows) -> None:
    n = 6
    part_of = {
        r["dossier_id"]: r["p"]
        for r in spark.createDataFrame([(d["dossier_id"],) for d in rows], "dossier_id string")
        .select("dossier_id", F.expr(f"pmod(hash(dossier_id), {n})").alias("p"))
        .collect()
    }
    rejects_only = part_of[rows[5]["dossier_id"]]
    bad = [dict(rows[5])]
    empty = (rejects_only + 1) % n
    good = [d for d in rows[:60] if part_of[d["dossier_id"]] not in (rejects_only, empty)]
    data = good + bad
    df = frame(spark, data)
    parts = chiso.spark.partial_tallies(
        df, procedures=sample.procedures, partitions=n,
        start=chiso.tally([], period=sample.period, as_of=sample.as_of),
    ).collect()
    tallies = [chiso.Tally.from_bytes(bytes(r[0])) for r in parts]
    assert len(tallies) < n, "some partitions are empty and send nothing"
    only = [t for t in tallies if t.accounting["rejected"] and not t.accounting["scored"]]
    assert len(only) == 1 and only[0].accounting["rejected"] == 1
    assert_same(on_spark(sample, df, partitions=n), one_machine(sample, data))


def test_an_empty_frame_scores_like_no_dossiers(spark, sample, rows) -> None:
    df = frame(spark, rows[:10]).limit(0)
    assert_same(on_spark(sample, df), one_machine(sample, []))


def test_tallies_travel_as_bytes_and_pickles(sample, rows) -> None:
    import pickle

    kw = dict(procedures=sample.procedures, period=sample.period, as_of=sample.as_of)
    # Two parts by dossier id (every sync of an id in one part), one as Arrow, one as dicts.
    ids = {r["dossier_id"] for r in rows[:1200]}
    a = chiso.tally(arrow([r for r in rows if r["dossier_id"] in ids]), **kw)
    b = chiso.tally([r for r in rows if r["dossier_id"] not in ids], **kw)
    whole = chiso.tally(pa.Table.from_pylist(rows), **kw)
    merged = chiso.Tally.from_bytes(bytes(a)).merge(pickle.loads(pickle.dumps(b)))
    assert chiso.Tally.from_bytes(bytes(a)) == a and pickle.loads(pickle.dumps(b)) == b
    # Rejects keep the row number within the part that read them: all else is equal.
    assert merged.accounting == whole.accounting and len(merged) == len(whole)
    assert merged.context == whole.context and merged != a
    card = chiso.score_tally(merged, units=sample.units, procedures=sample.procedures,
                             petitions=sample.petitions)
    assert_same(card, one_machine(sample, rows), rows=False)
    other = chiso.tally(rows[:10], procedures=sample.procedures, period="2026-Q1",
                        as_of=sample.as_of)
    with pytest.raises(chiso.ChisoError, match="period"):
        a.merge(other)
    broken = bytearray(bytes(a))
    broken[len(broken) // 2] ^= 0x10
    with pytest.raises(chiso.ChisoError, match="checksum"):
        chiso.Tally.from_bytes(bytes(broken))


def test_verdicts_are_the_dossiers_of_one_machine(spark, sample, rows) -> None:
    card = one_machine(sample, rows)
    want = pa.table(card.dossiers("all")).to_pylist()
    got = chiso.spark.verdicts(
        frame(spark, rows), procedures=sample.procedures, units=sample.units,
        period=sample.period, as_of=sample.as_of, partitions=3,
    ).toArrow().to_pylist()
    assert len(got) == len(want) > 2000
    key = lambda r: json.dumps(r, sort_keys=True, default=str)  # noqa: E731
    assert sorted(map(key, got)) == sorted(map(key, want))


def test_only_the_columns_scoring_reads_are_shuffled(spark, rows) -> None:
    df = frame(spark, rows[:50])
    assert "steps" in df.columns
    moved = chiso.spark._by_dossier_id(df, 2).columns
    assert "steps" not in moved
    assert {"dossier_id", "received_at", "supplements", "submitted_at"} <= set(moved)
    # The verdicts show every column they read, the handler included: nothing dropped there.
    assert set(chiso.spark._by_dossier_id(df, 2, scoring_only=False).columns) >= set(df.columns)
