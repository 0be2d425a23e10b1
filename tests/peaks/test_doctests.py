"""The docstring examples of the shared core run as doctests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "mofglass.peaks.shapes",
    "mofglass.peaks.noise",
    "mofglass.peaks.baseline",
    "mofglass.peaks.fit",
    "mofglass.peaks.outcome",
    "mofglass.peaks.uncertainty",
    "mofglass.io.registry",
    "mofglass.io.text",
    "mofglass.io.table",
    "mofglass.spectroscopy.analysis",
    "mofglass.spectroscopy.readers.jcamp_asdf",
    "mofglass.totalscattering.compare",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
