from __future__ import annotations

import os
from pathlib import Path

import pytest

import chiso

ROOT = Path(__file__).resolve().parents[2]
PORTAL_DATA = ROOT.parent / "shared" / "portal-data" / "phu-tho-2026-09"


@pytest.fixture(scope="session")
def sample() -> chiso.Sample:
    return chiso.generate(4_000, seed=11, as_dicts=True)


@pytest.fixture(scope="session")
def card(sample: chiso.Sample) -> chiso.Scorecard:
    return sample.score()


@pytest.fixture(scope="session")
def portal_data() -> Path:
    if not PORTAL_DATA.exists():
        msg = f"portal data not found at {PORTAL_DATA}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{msg} (required under CI=true)")
        pytest.skip(f"{msg}; put the shared/ folder beside the repository to run this check")
    return PORTAL_DATA
