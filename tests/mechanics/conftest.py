"""Fixtures of the mechanics tests: the shared third-party indentation files."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
INDENT_DATA = SHARED_DATA / "nanoindentation-micromechanics"


@pytest.fixture(scope="session")
def indent_data() -> Path:
    """``../shared/data/nanoindentation-micromechanics`` (skip when absent)."""
    if not INDENT_DATA.is_dir():
        pytest.skip(f"reference data folder {INDENT_DATA} is not present")
    return INDENT_DATA


def shared_file(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        pytest.skip(f"shared file {name} is missing")
    return path
