"""Fixtures for the spectroscopy tests: the shared JASCO FTIR files."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def jasco_dir() -> Path:
    """``../shared/data/zif62-ftir-jasco`` beside the repository (skip when absent)."""
    d = SHARED_DATA / "zif62-ftir-jasco"
    if not (d / "ftir_test.csv").is_file():
        pytest.skip(f"shared JASCO FTIR data not present at {d}")
    return d
