"""The Scorecard API: numbers, tables, drill-down, exports, display, plots, calendar."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pandas as pd
import polars as pl
import pyarrow as pa

import chiso


def test_total_groups_indicators(card) -> None:
    root = card.root
    assert root is not None
    groups = card.groups(root).to_pylist()
    assert [g["group"] for g in groups] == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"]
    assert abs(sum(g["points"] for g in groups) - card.total()) < 1e-9
    ind = card.indicators(root).to_pandas()
    assert abs(ind["points"].sum() - card.total()) < 1e-9
    assert {"numerator", "denominator", "ratio", "lost", "status"} <= set(ind.columns)
    assert len(card.indicators()) > len(ind)  # all units


def test_ranking_policies(card) -> None:
    portal = card.ranking().to_pylist()
    assert [r["rank"] for r in portal] == list(range(1, len(portal) + 1))
    totals = [round(r["total"], 2) for r in portal]
    assert totals == sorted(totals, reverse=True)
    communes = card.ranking(kind="commune", policy="dense").to_pylist()
    assert communes and all(r["kind"] == "commune" for r in communes)


def test_overdue_dossiers_behind_the_number(card) -> None:
    overdue = card.dossiers("overdue")
    table = card.table().to_pylist()
    root = next(r for r in table if r["unit"] == card.root)
    assert len(overdue) == root["open_overdue"] > 0
    rows = overdue.to_pylist()
    # The class names of `chiso score --verdicts` (DATA-MODEL §3).
    assert all(r["class"] == "overdue_in_progress" for r in rows)
    assert all(r["working_days_late"] >= 0 for r in rows)
    unit = rows[0]["unit_code"]
    assert all(r["unit_code"] == unit for r in card.dossiers("overdue", unit=unit))
    late = card.dossiers("late")
    lost = card.dossiers("lost")
    repeated = card.dossiers("late_repeated_supplement")
    assert len(lost) == len(late) + len(overdue) + len(repeated)
    counted = len(card.dossiers("scored")) + len(card.dossiers("excluded"))
    assert counted == len(card.dossiers("all"))
    assert len(card.dossiers("at_risk", risk_days=5)) >= len(card.dossiers("at_risk", risk_days=1))


VERDICT_COLUMNS = [
    "dossier_id", "unit_code", "procedure_code", "period_scope", "reason", "class", "deadline",
    "deadline_source", "end_at", "waited_hours", "working_days_late", "channel", "synced",
    "online", "fee", "paid_online", "e_result", "digitised", "reused_data", "personal_store",
    "population_data", "unsatisfied", "has_petition", "satisfied",
]


def test_every_dossier_verdict_as_the_cli_writes_it(card) -> None:
    """`card.dossiers("all")` has the columns of `chiso score --verdicts` (then the unit name and
    the holder), and its rows add up to the root's counters."""
    table = card.dossiers("all")
    assert table.column_names[: len(VERDICT_COLUMNS)] == VERDICT_COLUMNS
    rows = table.to_pylist()
    root = next(r for r in card.table().to_pylist() if r["unit"] == card.root)
    counted = [r for r in rows if r["period_scope"] == "counted"]
    assert len(counted) == root["received"]
    assert sum(r["class"] == "overdue_in_progress" for r in rows) == root["open_overdue"]
    assert all(r["class"] == "" for r in rows if r["period_scope"] == "excluded")


def test_exports(card, tmp_path) -> None:
    assert isinstance(card.to_pandas(), pd.DataFrame)
    assert isinstance(card.to_polars(), pl.DataFrame)
    t = pa.table(card.to_arrow())
    assert t.num_rows == len(card.units)
    assert pl.from_arrow(pa.table(card.indicators())).height == len(card.indicators())
    data = json.loads(card.to_json())
    assert data["accounting"]["read"] == card.accounting["read"]
    card.to_excel(tmp_path / "card.xlsx")
    sheets = pd.read_excel(tmp_path / "card.xlsx", sheet_name=None)
    assert {"Scorecard", "Indicators", "Overdue dossiers"} <= set(sheets)
    html = card.to_html(tmp_path / "card.html")
    assert "Ranking" in html and (tmp_path / "card.html").exists()


def test_notebook_display(card) -> None:
    html = card._repr_html_()
    assert "<table" in html and "scored" in html
    assert "<table" in card.groups()._repr_html_()
    assert "Scorecard(period" in repr(card)


def test_plots_return_figures(card, sample) -> None:
    from matplotlib.figure import Figure

    other = sample.score(period="2026-H1", as_of=dt.datetime(2026, 6, 30, 23))
    for fig in (
        card.plot.radar(),
        card.plot.ranking(),
        card.plot.losses(),
        card.plot.trend([other]),
    ):
        assert isinstance(fig, Figure)
        assert fig.axes


def test_profiles_and_options(sample) -> None:
    assert chiso.profiles() == ["portal-2026"]
    p = chiso.load_profile("portal-2026")
    assert p.name == "portal-2026" and p.options()["due_comparison"] == "timestamp"
    assert "[profile]" in chiso.profile_text()
    card = sample.score(options={"due_comparison": "date", "carry_over_open": True})
    assert card.meta["options"]["due_comparison"] == "date"
    assert card.meta["options"]["carry_over_open"] is True


def test_calendar() -> None:
    cal = chiso.calendar
    assert not cal.is_working_day(dt.date(2026, 2, 17))  # Tết
    assert cal.add_working_days(dt.date(2026, 2, 13), 3) == dt.date(2026, 2, 25)
    assert cal.working_days_between("2026-02-13", "2026-02-25") == 3
    lunar = cal.to_lunar(dt.date(2026, 2, 17))
    assert (lunar.month, lunar.day) == (1, 1)
    assert cal.from_lunar(2026, 1, 1) == dt.date(2026, 2, 17)
    days = cal.holidays(2026)
    assert any(h.date == dt.date(2026, 9, 2) for h in days)
    assert cal.is_working_day(dt.date(2026, 2, 17), calendar="weekdays")


def test_gil_is_released_while_scoring(sample) -> None:
    # Two scorings in threads finish and agree; the GIL is released inside.
    out: list[float] = []

    def work() -> None:
        out.append(sample.score().total())

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 2 and out[0] == out[1]


def test_generate_is_deterministic() -> None:
    a = chiso.generate(500, seed=3)
    b = chiso.generate(500, seed=3)
    assert a.dossiers == b.dossiers
    assert "500 dossiers" in repr(a)
