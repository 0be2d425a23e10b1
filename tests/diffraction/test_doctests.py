"""The docstring examples of diffraction, microscopy and the issue-11 seam helpers run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mofglass.diffraction
import mofglass.microscopy

MODULES = [
    n.name
    for pkg in (mofglass.diffraction, mofglass.microscopy)
    for n in pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}.")
] + ["mofglass.spectroscopy.analysis", "mofglass._renamed", "mofglass.results"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
