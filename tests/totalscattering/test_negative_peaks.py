"""Negative peaks of neutron G(r) (pairs of opposite scattering-length signs) and the MnO file.

Truths: MnO rock salt a = 4.445 Å: Mn-O = a/2 = 2.2225 Å, Mn-Mn / O-O = a/√2 = 3.143 Å;
neutron coherent scattering lengths b(Mn) = -3.73 fm, b(O) = 5.803 fm (Sears, Neutron News 3
(1992) 26), so the Mn-O partial enters G(r) with a negative weight. The G(r) below is the
closed form 4πr[ρ(r) - ρ0] of Gaussian shells (Egami & Billinge 2012, eq. 3.8 with
Faber-Ziman weights c_i c_j b_i b_j / <b>²), not mofglass's own simulation.
"""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.errors import AnalysisError
from mofglass.totalscattering.analysis import analyse
from mofglass.totalscattering.compare import screened_first_peaks
from mofglass.totalscattering.readers import read_total_scattering

from .conftest import shared

A_MNO = 4.445
B_MN, B_O = -3.73, 5.803


def _mno_neutron_gr(r: np.ndarray, sigma: float = 0.07) -> np.ndarray:
    b_mean = 0.5 * (B_MN + B_O)
    rho0 = 8 / A_MNO**3
    # (distance, neighbours per atom of the pair type averaged over both species, b_i b_j)
    shells = [
        (A_MNO / 2, 6, B_MN * B_O),  # Mn-O
        (A_MNO / np.sqrt(2), 12, 0.5 * (B_MN**2 + B_O**2)),  # Mn-Mn and O-O
        (A_MNO * np.sqrt(3) / 2, 8, B_MN * B_O),  # Mn-O
        (A_MNO, 6, 0.5 * (B_MN**2 + B_O**2)),
    ]
    rho = np.zeros_like(r)
    for d, n, bb in shells:
        gauss = np.exp(-0.5 * ((r - d) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
        rho += n * bb / b_mean**2 * gauss / (4 * np.pi * r**2)
    return 4 * np.pi * r * (rho - rho0)


def test_negative_first_peak_reported_with_its_sign() -> None:
    r = np.arange(0.01, 8.0, 0.01)
    g = _mno_neutron_gr(r)
    peaks, _ = screened_first_peaks(r, g, n=2, qmax_invA=25.0, negative=True)
    first, second = peaks
    assert first.sign == -1 and first.height.value < 0
    assert first.position_A.value == pytest.approx(A_MNO / 2, abs=0.01)
    assert "negative peak" in str(first)
    assert second.sign == 1 and second.position_A.value == pytest.approx(
        A_MNO / np.sqrt(2), abs=0.01
    )
    # X-ray rules (no negative weights): the Mn-O minimum is not a peak
    xray, _ = screened_first_peaks(r, g, n=1, qmax_invA=25.0, negative=False)
    assert xray[0].sign == 1 and xray[0].position_A.value == pytest.approx(3.143, abs=0.01)


def test_positive_weights_give_no_negative_peak() -> None:
    # Ni neutron G(r) (b > 0, PDFgetN file of NPDF): searched as neutron data, nothing negative
    d = read_total_scattering(shared("pdf-diffpy-examples/ni-q27r100-neutron.gr"))
    s = analyse(d, probe="neutron")
    assert all(p.sign == 1 for p in s.peaks)
    assert s.peaks[0].position_A.value == pytest.approx(3.524 / np.sqrt(2), abs=0.02)
    x = read_total_scattering(shared("pdf-diffpy-examples/ni-q27r60-xray.gr"))
    assert x.metadata["probe"] == "xray"  # header 'title=X-ray PDF'
    assert analyse(x).peaks[0].position_A.value == pytest.approx(
        s.peaks[0].position_A.value, abs=0.01
    )


def test_truncated_mno_file_is_an_error() -> None:
    # the shared nom-mno-neutron.gr holds 10 points, r = 0.01-0.10 Å (its header '# 5000'
    # announces the full NOMAD file): no distance can be in it - an error, not "no peaks"
    d = read_total_scattering(shared("pdf-diffpy-examples/nom-mno-neutron.gr"))
    assert d.x.size == 10 and d.metadata["probe"] == "neutron"
    with pytest.raises(AnalysisError, match=r"r ends at 0\.1 Å"):
        analyse(d)
