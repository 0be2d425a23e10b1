from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mofglass.structure.crystal import Crystal

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
REFERENCE = Path(__file__).resolve().parent / "reference"


def shared(rel: str) -> Path:
    """Path of a shared data file, or skip the test when it is missing."""
    p = SHARED_DATA / rel
    if not p.exists():
        pytest.skip(f"shared data file {rel} is not available")
    return p


def reference(name: str) -> dict:
    return json.loads((REFERENCE / name).read_text())


def nacl_two_networks(*, uiso_A2: float = 0.01) -> tuple[Crystal, np.ndarray]:
    """Rock-salt NaCl (a = 5.64 Å) with every Na in network 0 and every Cl in network 1, so
    that Na-Cl pairs are all inter-network and like pairs intra (truth by construction)."""
    frac = np.array(
        [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0],
         [0.5, 0.5, 0.5], [0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]]
    )  # fmt: skip
    crystal = Crystal.from_fractional(
        ["Na"] * 4 + ["Cl"] * 4, frac, np.eye(3) * 5.64, uiso_A2=np.full(8, uiso_A2)
    )
    return crystal, np.array([0] * 4 + [1] * 4)
