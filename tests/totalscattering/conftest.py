from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def shared(rel: str) -> Path:
    """Path of a shared data file, or skip the test when it is missing."""
    p = SHARED_DATA / rel
    if not p.exists():
        pytest.skip(f"shared data file {rel} is not available")
    return p
