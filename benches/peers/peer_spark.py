"""Peer: the dossier-based indicators in plain Spark DataFrame code — what a Spark user would
write instead of chiso.spark. Rules: see common.py (the same steps as peer_polars.py).

    python benches/peers/peer_spark.py DATA_DIR [--out result.json]    # Spark local[2]

`run_df(spark, data)` is what benches/run_spark.py times, inside its own SparkSession.
"""

from __future__ import annotations

import os
import sys

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

SUPPLEMENTS = T.ArrayType(T.StructType([
    T.StructField("requested_at", T.TimestampNTZType()),
    T.StructField("completed_at", T.TimestampNTZType()),
]))


def session() -> SparkSession:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (SparkSession.builder.master("local[2]").appName("chiso-peer")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "6g")
            .getOrCreate())


def ntz(col: str) -> F.Column:
    """The file's naive times as naive times, whatever Spark read them as."""
    return F.col(col).cast(T.TimestampNTZType())


def micros(col: F.Column) -> F.Column:
    return F.unix_micros(col.cast(T.TimestampType()))


def counts(spark: SparkSession, data: str) -> DataFrame:
    """Per-unit pooled counters (unit + common.COUNTERS) as a Spark DataFrame."""
    t = F.lit(c.T.isoformat()).cast(T.TimestampNTZType())
    d = spark.read.parquet(os.path.join(data, "dossiers.parquet")).select(c.DOSSIER_COLUMNS)
    d = d.withColumns({x: ntz(x) for x in ("received_at", "due_at", "finished_at",
                                             "returned_at")})
    status = F.coalesce(
        F.col("status"),
        F.when(F.col("returned_at").isNotNull(), 10)
        .when(F.col("finished_at").isNotNull(), 9)
        .when(F.col("received_at").isNotNull(), 4).otherwise(1),
    )
    d = (d.where(~status.isin(1, 3) & (F.col("received_at") <= t)
                 & F.to_date("received_at").between(F.lit(c.PERIOD_START),
                                                    F.lit(c.PERIOD_END)))
         .withColumn("row", F.monotonically_increasing_id()))
    terminal = (F.when(F.col("finished_at") <= t, F.col("finished_at"))
                .when(F.col("returned_at") <= t, F.col("returned_at")))
    d = d.withColumn("terminal", terminal).withColumn("horizon", F.coalesce("terminal", t))

    # Supplements: one row per request, only for dossiers that have any.
    s = (d.where(F.col("supplements").isNotNull())
         .select("row", "terminal", "horizon",
                 F.explode(F.from_json("supplements", SUPPLEMENTS)).alias("w"))
         .select("row", "terminal", "horizon", "w.requested_at", "w.completed_at"))
    wait = F.greatest(micros(F.col("completed_at")) - micros(F.col("requested_at")), F.lit(0))
    done_by = F.coalesce(F.col("completed_at") <= F.col("horizon"), F.lit(False))
    by_horizon = F.col("requested_at") <= F.col("horizon")
    s = s.withColumn("wait", wait).withColumn("done", done_by)
    s1 = s.groupBy("row").agg(
        # More than one request made by T is late, even one made after the dossier ended.
        F.count(F.when(F.col("requested_at") <= t, 1)).alias("requests"),
        F.sum(F.when(F.col("done") & by_horizon, F.col("wait"))).alias("waited_h"),
        F.min(F.when(~F.col("done") & by_horizon, F.col("requested_at"))).alias("outstanding"),
    )
    # A supplement outstanding (open, or when the dossier ended): processing ends at its
    # request; only waits completed by then count.
    s2 = (s.join(s1.where(F.col("outstanding").isNotNull()), "row")
          .where((F.col("requested_at") <= F.col("outstanding"))
                 & (F.col("completed_at") <= F.col("outstanding")))
          .groupBy("row").agg(F.sum("wait").alias("waited_o")))

    procs = spark.read.parquet(os.path.join(data, "procedures.parquet")).select(
        "procedure_code", "paper_result", "statutory_time", "statutory_time_unit")
    cal = (spark.read.csv(os.path.join(data, "calendar.csv"), header=True,
                          schema="date date, working boolean")
           .withColumn("cum", F.sum(F.col("working").cast("long")).over(
               Window.orderBy("date").rowsBetween(Window.unboundedPreceding, 0))))
    wd = cal.where("working").select(F.col("date").alias("wd_date"), F.col("cum").alias("wd_cum"))
    # received + n working days, time kept; received on a day off: from 08:00 of the next
    # working day (chiso-calendar's convention)
    fb = (d.where(F.col("due_at").isNull()).select("row", "received_at", "procedure_code")
          .join(procs.where(F.col("statutory_time_unit") == "working_days"), "procedure_code")
          .join(F.broadcast(cal), F.to_date("received_at") == F.col("date"))
          .withColumn("target", F.col("cum") + F.ceil("statutory_time").cast("long")
                      + F.when(F.col("working"), 0).otherwise(1))
          .join(F.broadcast(wd), F.col("target") == F.col("wd_cum"))
          .select("row", (micros(F.col("wd_date").cast(T.TimestampNTZType()))
                          + F.when(F.col("working"), micros(F.col("received_at"))
                                   - micros(F.date_trunc("day", "received_at")))
                          .otherwise(F.lit(8 * 3600 * 1_000_000))).alias("fallback_us")))

    j = (d.join(s1, "row", "left").join(s2, "row", "left").join(fb, "row", "left")
         .join(F.broadcast(procs.select("procedure_code", "paper_result")), "procedure_code",
               "left"))
    from_outstanding = F.col("outstanding").isNotNull()
    j = j.select(
        "unit_code", "channel", "fee_total", "paid_online",
        *[F.coalesce(F.col(x), F.lit(False)).alias(x) for x in
          ("e_result", "digitised", "reused_data", "personal_store", "population_data",
           "unsatisfied", "has_petition")],
        F.coalesce(F.col("paper_result"), F.lit(False)).alias("paper"),
        micros(F.coalesce(F.col("outstanding"), F.col("terminal"))).alias("end_us"),
        F.when(from_outstanding, F.coalesce("waited_o", F.lit(0)))
        .otherwise(F.coalesce("waited_h", F.lit(0))).alias("waited"),
        (F.coalesce("requests", F.lit(0)) > 1).alias("repeated"),
        F.coalesce(micros(F.col("due_at")), F.col("fallback_us")).alias("deadline_us"),
    )
    t_us = micros(t)
    late = F.col("repeated") | F.coalesce(
        F.when(F.col("end_us").isNotNull(),
               F.col("end_us") - F.col("waited") > F.col("deadline_us"))
        .otherwise(t_us - F.col("waited") > F.col("deadline_us")),
        F.lit(False))
    judged = F.col("repeated") | F.col("deadline_us").isNotNull()
    scores = judged & ~late
    result_ok = ~F.col("paper") | F.col("e_result")
    fee = F.col("fee_total") > 0

    def n(cond: F.Column) -> F.Column:
        return F.sum(F.when(cond, 1).otherwise(0))

    per_unit = j.groupBy("unit_code").agg(
        F.count(F.lit(1)).alias("received"),
        n(judged).alias("judged"),
        n(scores).alias("on_time"),
        n((F.col("channel") == 2) & result_ok).alias("online"),
        n(fee).alias("fee_dossiers"),
        n(fee & F.col("paid_online").isin(1, 2)).alias("paid_online"),
        n(F.col("e_result")).alias("e_result"),
        n(F.col("digitised") & result_ok).alias("digitised"),
        n(F.col("reused_data")).alias("reused_data"),
        n(F.col("personal_store")).alias("personal_store"),
        n(F.col("population_data")).alias("population_data"),
        n(~F.col("unsatisfied") & ~F.col("has_petition") & ~late).alias("satisfied"),
    )
    units = spark.read.parquet(os.path.join(data, "units.parquet")).select("code", "parent")
    bridge = spark.createDataFrame(c.ancestors((r[0], r[1]) for r in units.collect()),
                                   "unit_code string, unit string")
    return (F.broadcast(bridge).join(per_unit, "unit_code", "left").groupBy("unit")
            .agg(*[F.coalesce(F.sum(x), F.lit(0)).cast("long").alias(x) for x in c.COUNTERS]))


def run_df(spark: SparkSession, data: str) -> c.Result:
    return c.from_counts(r.asDict() for r in counts(spark, data).collect())


def run(data: str, fmt: str = "parquet") -> c.Result:
    if fmt != "parquet":
        raise SystemExit("peer_spark reads Parquet")
    return run_df(session(), data)


if __name__ == "__main__":
    c.main(run)
