"""DSC events cut by an end of their segment are flagged and kept out of the results.

Real file and truth (sta-netzsch-ulfsri, SOURCE.txt; read from the data): the Douglas-fir STA
run DF_FILED_DES starts its 10 K/min ramp at 27 °C with the mass already at 97.1 % of the
initial 4.05 mg: the water release began in the hold before the ramp, so the endotherm at the
ramp's start has no measurable onset or full enthalpy. Its decomposition endotherm (fastest
mass loss near 362 °C by DTG) lies well inside the ramp and stays a result.
"""

from __future__ import annotations

import pytest

from mofglass.errors import AnalysisError
from mofglass.thermal import read_thermogram
from mofglass.thermal.analysis import analyse_dsc
from mofglass.thermal.fragility_series import fragility_series
from tests.thermal.conftest import shared

_DES = "sta-netzsch-ulfsri/DF_FILED_DES_STA_N2_10K_231028_R1.csv"


def test_event_from_the_ramp_start_is_flagged_not_reported() -> None:
    tr = read_thermogram(shared(_DES))
    assert float(tr.mass_percent[0]) < 97.5  # mass already lost before the ramp (see above)
    res = analyse_dsc(tr)
    seg = res.segments[0]
    named = dict(zip((lab.label for lab in seg.labels), seg.events, strict=True))
    assert "the event starts with the segment" in named["evaporation"].flag
    assert named["decomposition"].flag == ""
    assert 355.0 < named["decomposition"].peak_C.value < 370.0
    names = [r.quantity for r in res.rows(sample_id="s", technique="dsc")]
    assert not any("evaporation" in n for n in names)
    assert any(n.startswith("seg1_decomposition") for n in names)
    assert any("evaporation peaking at 67 °C left out" in w for w in res.warnings)


def test_unresolved_fragility_is_refused_not_printed() -> None:
    # FSRI PMMA DSC at 3 and 10 K/min (macfp-pmma-dsc-tga-netzsch; heat flow endothermic
    # positive: the MaCFP README divides it by the heating rate to get the heat capacity).
    # Truth: PMMA m ~ 145 (Böhmer et al., J. Chem. Phys. 99, 4201 (1993)) predicts Tf to rise
    # by Tg*log10(10/3)/m ~ 1.4 K from 3 to 10 K/min, below the scatter of these Tf (2-3 K):
    # the fit gives m <= 0 and must be refused, naming the points.
    files = [f"macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_{r}K_1.csv" for r in (3, 10)]
    runs = []
    for f in files:
        tr = read_thermogram(shared(f), exo_up=False)
        runs.append((tr, analyse_dsc(tr)))
    with pytest.raises(AnalysisError, match=r"does not rise with the rate \(3.03 K/min"):
        fragility_series(runs)
