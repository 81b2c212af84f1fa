"""The Phú Thọ golden case through Python: the portal's published 2026 scores rebuilt from its
own numerators and denominators (see crates/chiso/tests/golden_phu_tho.rs and
crates/chiso-io/tests/conformance_portal_data.rs)."""

from __future__ import annotations

import pytest

import chiso

GROUPS = ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"]
PUBLISHED_2026 = {
    "CKMB": 7.96,
    "TDGQ": 17.68,
    "CLGQ": 8.56,
    "TTTT": 6.67,
    "MDSH": 9.59,
    "MDHL": 11.43,
}


@pytest.fixture(scope="module")
def report(portal_data) -> chiso.Conformance:
    return chiso.conformance(portal_data)


def test_captures_are_read(report: chiso.Conformance) -> None:
    assert report.captures == 33
    assert report.profile.startswith("portal-2026@")
    assert report.checked > 100


def test_province_groups_of_2026_match_the_portal(report: chiso.Conformance) -> None:
    parents = {
        c["group"]: c
        for c in report.checks
        if c["parent"] and c["indicator"] is None and c["period"] == "2026" and c["scope"] == "all"
    }
    assert sorted(parents) == sorted(GROUPS)
    for group, published in PUBLISHED_2026.items():
        c = parents[group]
        assert c["expected"] == pytest.approx(published, abs=1e-9)
        assert abs(c["computed"] - published) <= 0.01 + 1e-9, c


def test_every_parent_group_matches(report: chiso.Conformance) -> None:
    bad = [c for c in report.checks if c["parent"] and c["indicator"] is None and not c["matched"]]
    assert bad == []


def test_report_as_pandas(report: chiso.Conformance) -> None:
    df = report.to_pandas()
    assert len(df) == report.checked
    assert {"group", "unit", "expected", "computed", "matched"} <= set(df.columns)
    assert "matched" in repr(report)
