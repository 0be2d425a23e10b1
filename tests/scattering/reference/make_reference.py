"""Regenerate the peer reference files used by tests/scattering (run by hand, not by pytest).

    python tests/scattering/reference/make_reference.py

Peers (versions written into each file): pymatgen (XRDCalculator), diffpy.pdffit2 1.5.1 (crystal
PDFs), DebyeCalculator 1.1 (cluster I(Q), CPU, float64). The inputs are CIFs in ../shared/data and
models built by mofglass itself (a Ni nanoparticle, a ZIF-8 fragment), whose coordinates are stored
too, so each comparison is on identical atoms.
"""

from __future__ import annotations

import io
import json
import os
import sys
import warnings
from contextlib import redirect_stdout
from importlib.metadata import version
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DATA = ROOT / ".." / "shared" / "data"
XRD_CIFS = [
    "pdf-diffpy-examples/ni.cif",
    "cd-metal-cif/Cd.cif",
    "cd-metal-cif/Zn.cif",
    "pxrd-henke-group-examples/H2bdc.cif",
    "zif-structures-lewis2009/ZIF-8.cif",
    "zif-structures-lewis2009/ZIF-4.cif",
]


def _dump(name: str, payload: dict) -> None:
    (HERE / name).write_text(json.dumps(payload, indent=None, separators=(",", ":")) + "\n")
    print("wrote", name)


def pymatgen_xrd() -> None:
    from pymatgen.analysis.diffraction.xrd import XRDCalculator
    from pymatgen.core import Structure

    out = {
        "peer": f"pymatgen {version('pymatgen')}",
        "command": "XRDCalculator(wavelength=1.540593).get_pattern(s, two_theta_range=(0, 60))",
        "patterns": {},
    }
    for rel in XRD_CIFS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = Structure.from_file(DATA / rel)
        p = XRDCalculator(wavelength=1.540593).get_pattern(s, two_theta_range=(0, 60))
        out["patterns"][rel] = {
            "two_theta_deg": np.round(p.x, 5).tolist(),
            "intensity": np.round(p.y, 4).tolist(),
        }
    _dump("pymatgen_xrd.json", out)


def pdffit2_pdf() -> None:
    from diffpy.pdffit2 import PdfFit
    from diffpy.pdffit2 import redirect_stdout as pf_redirect
    from diffpy.structure import loadStructure

    pf_redirect(open(os.devnull, "w"))
    cases = []
    for rel, uiso, qmax, qdamp in [
        ("pdf-diffpy-examples/ni.cif", 0.006, 0.0, 0.0),
        ("pdf-diffpy-examples/ni.cif", 0.006, 26.0, 0.05),
        ("zif-structures-lewis2009/ZIF-8.cif", 0.01, 0.0, 0.0),
    ]:
        r = np.round(np.arange(0.5, 20.0 + 1e-9, 0.01), 5)
        pf = PdfFit()
        s = loadStructure(str(DATA / rel))
        for a in s:
            a.Uisoequiv = uiso
        pf.add_structure(s)
        pf.read_data_lists("X", qmax, qdamp, list(r), list(np.zeros_like(r)))
        pf.setvar("delta1", 0.0)
        pf.setvar("delta2", 0.0)
        pf.calc()
        cases.append(
            {
                "cif": rel,
                "uiso_A2": uiso,
                "qmax_invA": qmax,
                "qdamp_invA": qdamp,
                "r_A": r.tolist(),
                "G": np.round(pf.getpdf_fit(), 6).tolist(),
            }
        )
    _dump(
        "pdffit2_pdf.json",
        {
            "peer": f"diffpy.pdffit2 {version('diffpy.pdffit2')}",
            "command": "PdfFit: add_structure, read_data_lists('X', qmax, qdamp, r, 0), "
            "delta1 = delta2 = 0, calc(), getpdf_fit()",
            "cases": cases,
        },
    )


def debyecalculator_iq() -> None:
    import torch
    from debyecalculator import DebyeCalculator
    from debyecalculator.utility.generate import load_elements_info

    sys.path.insert(0, str(ROOT / "src"))
    from mofglass.scattering.models import nanoparticle
    from mofglass.structure import read_structure

    info = load_elements_info()
    models = {
        "ni_sphere_20A": nanoparticle(read_structure(DATA / "pdf-diffpy-examples/ni.cif"), 20.0),
        "zif8_sphere_16A": nanoparticle(
            read_structure(DATA / "zif-structures-lewis2009/ZIF-8.cif"),
            16.0,
            center_frac=(0.5, 0.5, 0.5),
        ),
    }
    out = {
        "peer": f"DebyeCalculator {version('debyecalculator')} "
        f"(torch {torch.__version__}, cpu, float64)",
        "command": "DebyeCalculator(qmin=0.5, qmax=20.05, qstep=0.05, biso=0, device='cpu', "
        "dtype=torch.float64, pair_sum='direct').iq((elements, xyz)); "
        "gr with rmax=20, rstep=0.01, qdamp=0",
        "convention": "I_DC = sum_{i<j} f_i f_j sinc(Q r_ij) + sum_i f_i^2 / 2 = I_Debye / 2",
        "models": {},
    }
    for name, m in models.items():
        calc = DebyeCalculator(
            qmin=0.5,
            qmax=20.05,
            qstep=0.05,
            biso=0.0,
            qdamp=0.0,
            rmax=20.0,
            rstep=0.01,
            device="cpu",
            dtype=torch.float64,
            pair_sum="direct",
        )
        with redirect_stdout(io.StringIO()):
            q, i = calc.iq((list(m.species), m.positions_A.copy()))
        elements = sorted(set(m.species))
        out["models"][name] = {
            "elements": list(m.species),
            "positions_A": np.round(m.positions_A, 6).tolist(),
            "q_invA": np.round(q, 6).tolist(),
            "intensity": [float(f"{v:.10g}") for v in i],
            "waasmaier_kirfel": {e: info[e][:11] for e in elements},
        }
    _dump("debyecalculator_iq.json", out)


if __name__ == "__main__":
    which = sys.argv[1:] or ["xrd", "pdf", "debye"]
    if "xrd" in which:
        pymatgen_xrd()
    if "pdf" in which:
        pdffit2_pdf()
    if "debye" in which:
        debyecalculator_iq()
