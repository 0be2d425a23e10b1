"""Provenance: checksums of inputs and versions of the software that made a result."""

from __future__ import annotations

import hashlib
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["sha256_file", "software_versions"]

_PACKAGES = (
    "mofglass",
    "numpy",
    "scipy",
    "lmfit",
    "pybaselines",
    "gemmi",
    "spglib",
    "numba",
    "matplotlib",
)


def sha256_file(path: str | Path, *, chunk_bytes: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes (read in chunks; the file is not modified)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk_bytes):
            h.update(block)
    return h.hexdigest()


def software_versions() -> dict[str, str]:
    """Versions of Python and of the packages that compute results."""
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out
