"""Store Glassure's S(Q) and incoherent scattering of the Mg2SiO4 glass data as a reference file.

Run from the repository root with glassure installed (``pip install -e ".[peers]"``):

    python tests/totalscattering/reference/make_glassure_reference.py

Settings (the same inputs the test gives mofglass): Glassure's own test files
Mg2SiO4_ambient.xy minus Mg2SiO4_ambient_bkg.xy (scale 1), composition Mg2SiO4, density
2.9 g/cm³ (as in Glassure's test_calc.py), Q to 20 Å⁻¹, Krogh-Moe-Norman integral normalisation
without attenuation, incoherent scattering on, Brown-Hubbell form factors and incoherent
functions. Glassure applies no Breit-Dirac factor.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / ".." / "shared" / "data" / "total-scattering-glassure"


def main() -> None:
    from glassure import calculate_incoherent_scattering
    from glassure.calc import calculate_pdf, create_calculate_pdf_configs
    from glassure.configuration import IntNormalization
    from glassure.pattern import Pattern

    comp = {"Mg": 2, "Si": 1, "O": 4}
    data = Pattern.from_file(str(DATA / "Mg2SiO4_ambient.xy"))
    bkg = Pattern.from_file(str(DATA / "Mg2SiO4_ambient_bkg.xy"))
    dc, cc = create_calculate_pdf_configs(data, composition=comp, density=2.9, bkg=bkg)
    cc.transform.q_max = 20
    cc.transform.normalization = IntNormalization(attenuation_factor=0.0)
    cc.transform.scattering_factor_source = "brown_hubbell"
    res = calculate_pdf(dc, cc)
    q, s = np.asarray(res.sq.x), np.asarray(res.sq.y)
    pick = (q >= 2.0) & (q <= 20.0)
    q, s = q[pick][::8], s[pick][::8]
    qi = np.linspace(0.5, 25.0, 50)
    inc = calculate_incoherent_scattering(comp, qi, sf_source="brown_hubbell")
    out = {
        "made_by": "tests/totalscattering/reference/make_glassure_reference.py",
        "versions": {"glassure": version("glassure"), "python": sys.version.split()[0]},
        "settings": {
            "composition": "Mg2SiO4",
            "density_g_cm3": 2.9,
            "q_max_invA": 20,
            "normalisation": "integral, attenuation 0, incoherent on",
            "sources": "brown_hubbell",
        },
        "q_invA": np.round(q, 6).tolist(),
        "S": np.round(s, 6).tolist(),
        "incoherent_q_invA": np.round(qi, 6).tolist(),
        "incoherent_per_atom": np.round(np.asarray(inc), 6).tolist(),
    }
    (HERE / "glassure_mg2sio4.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
