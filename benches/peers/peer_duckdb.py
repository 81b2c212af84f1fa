"""Peer: the dossier-based indicators in DuckDB SQL. Rules: see common.py.

    python benches/peers/peer_duckdb.py DATA_DIR [--format parquet|arrow|csv] [--out result.json]
"""

from __future__ import annotations

import os
import sys

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

SQL = """
WITH d0 AS (
    SELECT *, coalesce(status, CASE WHEN returned_at IS NOT NULL THEN 10
                                    WHEN finished_at IS NOT NULL THEN 9
                                    WHEN received_at IS NOT NULL THEN 4 ELSE 1 END) AS st
    FROM dossiers
),
d AS (
    SELECT row_number() OVER () AS row, *,
           CASE WHEN finished_at <= $t THEN finished_at
                WHEN returned_at <= $t THEN returned_at END AS terminal
    FROM d0
    WHERE st NOT IN (1, 3) AND received_at <= $t
      AND CAST(received_at AS DATE) BETWEEN $start AND $end
),
s AS (  -- one row per supplement request
    SELECT row, terminal, w.requested_at, w.completed_at,
           greatest(epoch_us(w.completed_at) - epoch_us(w.requested_at), 0) AS wait,  -- µs
           coalesce(w.completed_at <= coalesce(terminal, $t), false) AS done,
           w.requested_at <= coalesce(terminal, $t) AS by_horizon
    FROM (SELECT row, terminal,
                 unnest(from_json(supplements,
                        '[{"requested_at":"TIMESTAMP","completed_at":"TIMESTAMP"}]')) AS w
          FROM d WHERE supplements IS NOT NULL)
    WHERE w.requested_at IS NOT NULL
),
s1 AS (  -- more than one request made by T is late, even one made after the dossier ended
    SELECT row, count(*) FILTER (WHERE requested_at <= $t) AS requests,
           CAST(sum(wait) FILTER (WHERE done AND by_horizon) AS BIGINT) AS waited_h,
           min(requested_at) FILTER (WHERE by_horizon AND NOT done) AS outstanding,
           any_value(terminal) AS terminal
    FROM s GROUP BY row
),
s2 AS (  -- a supplement outstanding (open, or when it ended): only waits completed by its
         -- request count
    SELECT s.row, sum(s.wait)::BIGINT AS waited_o
    FROM s JOIN s1 USING (row)
    WHERE s1.outstanding IS NOT NULL
      AND s.requested_at <= s1.outstanding AND s.completed_at <= s1.outstanding
    GROUP BY s.row
),
cal AS (
    SELECT date, working,
           sum(working::INT) OVER (ORDER BY date) AS cum FROM calendar
),
wd AS (SELECT date, cum FROM cal WHERE working),
fb AS (  -- no due date: receipt + statutory time in working days; received on a day off:
          -- from 08:00 of the next working day (chiso-calendar's convention)
    SELECT d.row,
           wd.date + CASE WHEN cal.working THEN d.received_at - date_trunc('day', d.received_at)
                          ELSE INTERVAL 8 HOUR END AS deadline
    FROM d JOIN procedures p USING (procedure_code)
    JOIN cal ON cal.date = CAST(d.received_at AS DATE)
    JOIN wd ON wd.cum = cal.cum + CAST(ceil(p.statutory_time) AS BIGINT)
                        + CASE WHEN cal.working THEN 0 ELSE 1 END
    WHERE d.due_at IS NULL AND p.statutory_time_unit = 'working_days'
),
j AS (
    SELECT d.unit_code, d.channel, d.fee_total, d.paid_online,
           coalesce(d.e_result, false) AS e_result, coalesce(d.digitised, false) AS digitised,
           coalesce(d.reused_data, false) AS reused_data,
           coalesce(d.personal_store, false) AS personal_store,
           coalesce(d.population_data, false) AS population_data,
           coalesce(d.unsatisfied, false) AS unsatisfied,
           coalesce(d.has_petition, false) AS has_petition,
           coalesce(p.paper_result, false) AS paper,
           coalesce(s1.outstanding, d.terminal) AS "end",
           CASE WHEN s1.outstanding IS NOT NULL
                THEN coalesce(s2.waited_o, 0)
                ELSE coalesce(s1.waited_h, 0) END AS waited,
           coalesce(s1.requests, 0) > 1 AS repeated,
           coalesce(d.due_at, fb.deadline) AS deadline
    FROM d
    LEFT JOIN s1 USING (row) LEFT JOIN s2 USING (row) LEFT JOIN fb USING (row)
    LEFT JOIN procedures p USING (procedure_code)
),
k0 AS (
    SELECT *,
           repeated OR coalesce(CASE WHEN "end" IS NOT NULL
                                     THEN "end" - to_microseconds(waited) > deadline
                                     ELSE $t - to_microseconds(waited) > deadline END,
                                false) AS late,
           repeated OR deadline IS NOT NULL AS judged,
           NOT paper OR e_result AS result_ok
    FROM j
),
k AS (SELECT *, judged AND NOT late AS scores FROM k0),
counts AS (
    SELECT unit_code,
           count(*) AS received,
           count(*) FILTER (WHERE judged) AS judged,
           count(*) FILTER (WHERE scores) AS on_time,
           count(*) FILTER (WHERE channel = 2 AND result_ok) AS online,
           count(*) FILTER (WHERE fee_total > 0) AS fee_dossiers,
           count(*) FILTER (WHERE fee_total > 0 AND paid_online IN (1, 2)) AS paid_online,
           count(*) FILTER (WHERE e_result) AS e_result,
           count(*) FILTER (WHERE digitised AND result_ok) AS digitised,
           count(*) FILTER (WHERE reused_data) AS reused_data,
           count(*) FILTER (WHERE personal_store) AS personal_store,
           count(*) FILTER (WHERE population_data) AS population_data,
           count(*) FILTER (WHERE NOT unsatisfied AND NOT has_petition AND NOT late) AS satisfied
    FROM k GROUP BY unit_code
),
tree AS (  -- (unit, ancestor-or-self), any depth
    WITH RECURSIVE up(unit_code, unit) AS (
        SELECT code, code FROM units
        UNION ALL
        SELECT up.unit_code, u.parent FROM up JOIN units u ON u.code = up.unit
        WHERE u.parent IS NOT NULL
    )
    SELECT * FROM up
)
SELECT tree.unit, {sums} FROM tree LEFT JOIN counts USING (unit_code) GROUP BY tree.unit
"""


def source(con: duckdb.DuckDBPyConnection, data: str, name: str, fmt: str) -> None:
    path = os.path.join(data, f"{name}.{fmt}")
    names = c.headers(data) if name == "dossiers" else {}
    # The wide export's Vietnamese headers renamed to the canonical names the query uses.
    select = ", ".join(f'"{h}" AS {k}' for k, h in names.items()) if names else "*"
    if fmt == "parquet":
        con.execute(f"CREATE VIEW {name} AS SELECT {select} FROM read_parquet('{path}')")
    elif fmt == "csv":
        typed = {"dossiers": {"dossier_id": "VARCHAR", "unit_code": "VARCHAR",
                              "procedure_code": "VARCHAR", "supplements": "VARCHAR",
                              "fee_waits": "VARCHAR", "steps": "VARCHAR",
                              "rescheduled_due_at": "TIMESTAMP"},
                 "procedures": {"procedure_code": "VARCHAR", "units": "VARCHAR"},
                 "units": {"code": "VARCHAR", "parent": "VARCHAR"}}[name]
        if names:
            typed.pop("fee_waits")  # the wide export has none
        types = "{" + ", ".join(f"'{c.header(names, k)}': '{v}'" for k, v in typed.items()) + "}"
        con.execute(f"CREATE VIEW {name} AS SELECT {select} FROM read_csv('{path}', "
                    f"header=true, timestampformat='{c.TIME_FORMAT}', types={types})")
    else:  # Arrow IPC: memory-mapped by pyarrow, scanned by DuckDB without a copy
        import pyarrow as pa

        table = pa.ipc.open_file(pa.memory_map(path)).read_all()
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE VIEW {name} AS SELECT {select} FROM {name}_arrow")


def run(data: str, fmt: str = "parquet") -> c.Result:
    con = duckdb.connect()
    for name in ("dossiers", "procedures", "units"):
        source(con, data, name, fmt)
    con.execute("CREATE VIEW calendar AS SELECT * FROM read_csv('"
                + os.path.join(data, "calendar.csv") + "', header=true)")
    sql = SQL.replace("{sums}", ", ".join(f"coalesce(sum({x}), 0)::BIGINT AS {x}"
                                          for x in c.COUNTERS))
    rows = con.execute(sql, {"t": c.T, "start": c.PERIOD_START, "end": c.PERIOD_END}).fetchall()
    names = ["unit", *c.COUNTERS]
    return c.from_counts(dict(zip(names, r, strict=True)) for r in rows)


if __name__ == "__main__":
    c.main(run)
