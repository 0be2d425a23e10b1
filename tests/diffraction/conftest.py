"""Fixtures for the diffraction tests: the shared third-party powder patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def pxrd_data() -> Path:
    """``../shared/data`` beside the repository (skip when absent)."""
    if not (SHARED_DATA / "pxrd-formats-nomad").is_dir():
        pytest.skip(f"shared powder data not present at {SHARED_DATA}")
    return SHARED_DATA
