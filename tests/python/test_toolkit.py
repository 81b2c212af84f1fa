"""The directive's toolkit from Python: planner, overdue lists, per-official figures, the
data-quality report and reconciliation, on a generated district whose answers are checked
against each other (and, for the planner, against re-scoring changed data)."""

from __future__ import annotations

import pytest

import chiso


@pytest.fixture(scope="module")
def sample() -> chiso.Sample:
    return chiso.generate(4000, seed=11, as_dicts=True)


@pytest.fixture(scope="module")
def card(sample: chiso.Sample) -> chiso.Scorecard:
    return sample.score()


def test_plan_steps_reach_their_targets_and_rank_by_gain(card: chiso.Scorecard) -> None:
    p = chiso.plan(card, {"2.1": 0.998, "3.6": 0.30}, what_if=["pay_online=50", "clear_overdue"])
    assert p.total == pytest.approx(card.total())
    steps = p.steps.to_pylist()
    assert {s["indicator"] for s in steps} == {"2.1", "3.6"}
    gains = [s["gain_per_change"] for s in steps]
    assert gains == sorted(gains, reverse=True)
    for s in steps:
        assert s["changes_needed"] > 0 and s["total_gain"] > 0
        if s["reachable"]:
            assert s["points_after"] >= s["points_now"]
    losses = p.losses.to_pylist()
    assert losses == sorted(losses, key=lambda r: -r["points_lost"])
    rows = {r["group"]: r for r in p.what_if.to_pylist()}
    assert rows["TTTT"]["after"] > rows["TTTT"]["before"]
    assert rows["total"]["change"] == pytest.approx(
        sum(r["change"] for g, r in rows.items() if g != "total")
    )


def test_plan_gain_matches_rescoring(sample: chiso.Sample, card: chiso.Scorecard) -> None:
    step = next(s for s in card.plan({"3.6": 0.30}).steps.to_pylist() if s["indicator"] == "3.6")
    paid = card.plan(what_if=[f"pay_online={step['changes_needed']}"]).what_if.to_pylist()
    total = next(r for r in paid if r["group"] == "total")
    assert total["change"] == pytest.approx(step["total_gain"], abs=1e-9)


def test_plan_refuses_unknown_actions_and_bad_targets(card: chiso.Scorecard) -> None:
    with pytest.raises(chiso.ChisoError):
        card.plan(what_if=["teleport=3"])
    with pytest.raises(chiso.ChisoError):
        card.plan({"2.1": 7.5e9})


def test_overdue_matches_the_dossier_drilldown(card: chiso.Scorecard) -> None:
    rows = card.overdue(within=2).to_pylist()
    overdue = [r for r in rows if r["urgency"] == "overdue"]
    assert len(overdue) == len(card.dossiers("overdue"))
    assert overdue and all(r["working_days_overdue"] >= 0 for r in overdue)
    assert all(r["holder"] for r in overdue), "the sample's process log names who holds them"
    deadlines = [r["deadline"] for r in overdue]
    assert deadlines == sorted(deadlines)


def test_officials_add_up_to_their_units(card: chiso.Scorecard) -> None:
    officials, units = card.officials()
    off = officials.to_pylist()
    assert off
    for u in units.to_pylist():
        mine = [o for o in off if o["unit_code"] == u["unit_code"]]
        assert sum(o["steps"] for o in mine) == u["steps"]
        made_late = sum(o["dossiers_made_late"] for o in mine)
        assert made_late + u["unattributed_late"] == u["late_dossiers"]


def test_check_and_reconcile(sample: chiso.Sample, card: chiso.Scorecard) -> None:
    issues = card.check().to_pylist()
    assert any(r["rule"] == "missing_due_date" for r in issues)
    same = card.reconcile(sample.dossiers).to_pylist()
    assert all(r["received_diff"] == 0 and r["resolved_diff"] == 0 for r in same)
    total = same[-1]
    assert total["unit_code"] == "*"
    reported = [{"unit_code": r["unit_code"], "received": r["received_a"] + 10, "resolved": 0}
                for r in same[:-1]]
    diff = card.reconcile(reported).to_pylist()
    assert all(r["received_diff"] == -10 for r in diff[:-1])
    assert diff[-1]["sync_points_lost"] > 0
