"""Fixtures of the thermal tests: the shared real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def shared(relative: str) -> Path:
    """Path of a file under ../shared/data, skipping the test when it is missing."""
    p = SHARED_DATA / relative
    if not p.exists():
        pytest.skip(f"shared data file {relative} is not available")
    return p


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not available")
    return SHARED_DATA
