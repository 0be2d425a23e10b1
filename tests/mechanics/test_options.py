"""One OliverPharrOptions passed through = the old keywords, on real fused-silica files."""

from __future__ import annotations

from pathlib import Path

import pytest

from mofglass.mechanics import (
    AreaFunction,
    OliverPharrOptions,
    oliver_pharr,
    read_indentations,
    youngs_modulus,
)
from mofglass.mechanics.analysis import analyse_indentations
from tests.mechanics.conftest import shared_file


def test_options_equal_keywords_micromaterials(indent_data: Path) -> None:
    # Micromaterials zip, 1000-nm group on fused silica (Er 69.6 GPa from E 72 GPa, ν 0.17):
    # the options object and the convenience keywords give the same result, field for field,
    # and the mean stays within 5 % of fused silica's Er
    tests = [
        t
        for t in read_indentations(shared_file(indent_data, "multipleIndentations.zip"))
        if t.name.startswith("1000nm")
    ]
    opts = OliverPharrOptions(epsilon=0.75, beta=1.0, frame_compliance_nm_mN=0.0)
    for t in tests:
        assert oliver_pharr(t, options=opts) == oliver_pharr(
            t, epsilon=0.75, beta=1.0, frame_compliance_nm_mN=0.0
        )
    a = analyse_indentations(tests, options=opts)
    b = analyse_indentations(tests, epsilon=0.75, beta=1.0, frame_compliance_nm_mN=0.0)
    assert a.reduced_modulus_GPa == b.reduced_modulus_GPa and a.indents == b.indents
    assert a.reduced_modulus_GPa.value == pytest.approx(69.6, rel=0.05)


def test_options_csm_fused_silica(indent_data: Path) -> None:
    # G200 CSM fused silica with the lab's area function: options.area = area_coefficients,
    # and E over 100-200 nm within 5 % of fused silica's 72 GPa (ν 0.17)
    pytest.importorskip("xlrd")
    tests = read_indentations(shared_file(indent_data, "FS_Calibration.xls"))
    coeffs = tuple(tests[0].metadata["area_coefficients"])
    opts = OliverPharrOptions(area=AreaFunction(coeffs))
    a = analyse_indentations(tests, options=opts, depth_window_nm=(100.0, 200.0))
    b = analyse_indentations(tests, area_coefficients=coeffs, depth_window_nm=(100.0, 200.0))
    assert a.reduced_modulus_GPa == b.reduced_modulus_GPa and a.warnings == b.warnings
    e = youngs_modulus(a.reduced_modulus_GPa, poisson_ratio=0.17).value
    assert e == pytest.approx(72.0, rel=0.05)


def test_keywords_override_and_unknown() -> None:
    base = OliverPharrOptions(beta=1.034, frame_compliance_nm_mN=0.05)
    opts = OliverPharrOptions.resolve(base, {"epsilon": 0.72})
    assert (opts.epsilon, opts.beta, opts.compliance_nm_mN) == (0.72, 1.034, 0.05)
    assert OliverPharrOptions().compliance_nm_mN == 0.0
    assert OliverPharrOptions().tip == AreaFunction.berkovich()
    with pytest.raises(TypeError, match="eps"):
        OliverPharrOptions.resolve(None, {"eps": 0.7})
    with pytest.raises(TypeError):
        OliverPharrOptions(0.75)  # type: ignore[misc]  # keyword-only
