"""Public analysis functions leave their inputs unchanged (scikit-image's rule), on real files;
the "analyse" spelling is the one, "analyze" a deprecated alias."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _spectrum() -> Any:
    from mofglass.spectroscopy import read_spectrum

    return read_spectrum(DATA / "zif62-ftir-jasco" / "ftir_test.csv")


def _dofr() -> Any:
    from mofglass.totalscattering import read_total_scattering

    return read_total_scattering(DATA / "zif4-glass-xray-FQ-Dr" / "ZIF4glassa_31.dofr")


def _pattern() -> Any:
    from mofglass.diffraction import read_pattern

    return read_pattern(DATA / "pxrd-henke-group-examples" / "sample-C_300_001_00000.xy")


def _calls() -> list[tuple[str, Callable[[], Any], Callable[[Any], Any]]]:
    from mofglass import peaks
    from mofglass.diffraction import estimate_background, find_peaks
    from mofglass.spectroscopy import BandWindow, analyse_spectrum, estimate_baseline, find_bands
    from mofglass.totalscattering import first_peaks

    return [
        ("peaks.noise_sigma", _dofr, lambda d: peaks.noise_sigma(d.y)),
        ("peaks.estimate_baseline", _dofr, lambda d: peaks.estimate_baseline(d.x, d.y)),
        (
            "peaks.fit_window",
            _dofr,
            lambda d: peaks.fit_window(d.x[:200], d.y[:200], [peaks.LineGuess(1.4, 0.2)]),
        ),
        ("spectroscopy.find_bands", _spectrum, lambda s: find_bands(s)),
        ("spectroscopy.estimate_baseline", _spectrum, lambda s: estimate_baseline(s)),
        (
            "spectroscopy.analyse_spectrum",
            _spectrum,
            lambda s: analyse_spectrum(s, windows=[BandWindow(1580.0, (1500.0, 1650.0))]),
        ),
        ("totalscattering.first_peaks", _dofr, lambda d: first_peaks(d.x, d.y, n=2)),
        ("diffraction.estimate_background", _pattern, lambda p: estimate_background(p)),
        ("diffraction.find_peaks", _pattern, lambda p: find_peaks(p)),
    ]


CALLS = _calls()


def _arrays(obj: Any) -> dict[str, np.ndarray]:
    return {k: np.array(v, copy=True) for k, v in vars(obj).items() if isinstance(v, np.ndarray)}


@pytest.mark.parametrize(("name", "make", "call"), CALLS, ids=[c[0] for c in CALLS])
def test_inputs_unchanged(name: str, make: Callable[[], Any], call: Callable[[Any], Any]) -> None:
    data = make()
    before = _arrays(data)
    meta = repr(dict(getattr(data, "metadata", {}) or {}))
    assert before, "the input carries arrays"
    call(data)
    after = _arrays(data)
    for k, v in before.items():
        np.testing.assert_array_equal(after[k], v, err_msg=f"{name} changed {k}")
    assert repr(dict(getattr(data, "metadata", {}) or {})) == meta


def test_analyze_is_a_deprecated_alias() -> None:
    from mofglass.diffraction import analyse_pattern, analyze_pattern
    from mofglass.structure import analyse_structure, analyze_structure

    assert analyse_pattern is not analyze_pattern and analyse_structure is not analyze_structure
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TypeError):
            analyze_structure()  # the alias forwards to analyse_structure (which needs a crystal)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
