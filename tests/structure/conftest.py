from collections.abc import Callable
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _shared(rel: str) -> Path:
    p = SHARED_DATA / rel
    if not p.exists():
        pytest.skip(f"shared data file {rel} not available")
    return p


@pytest.fixture
def shared() -> Callable[[str], Path]:
    """Path of a shared data file; skips the test when it is missing."""
    return _shared
