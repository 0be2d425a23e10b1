"""Refine Ni and CdS nanoparticle PDFs with PDFfit2 (the peer) and store the results.

Run from the repository root (needs diffpy.pdffit2 and diffpy.structure)::

    python tests/totalscattering/reference/make_pdffit2_reference.py

It writes ``pdffit2_reference.json`` next to this script. The same cases (model, data, Qmax,
fit range, starting values, refined parameters) are refined by mofglass in
``tests/totalscattering/test_refine.py``.
"""

from __future__ import annotations

import io
import json
import math
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2].parent / "shared" / "data" / "pdf-diffpy-examples"
CDS_CIF = HERE.parent / "data" / "CdS_wurtzite_cod1011054.cif"
CDS_ANISO_CIF = HERE.parent / "data" / "CdS_wurtzite_aniso.cif"

# the cases, shared with the tests (mofglass parameter names)
CASES = {
    "ni_xray": {
        "data": "ni-q27r60-xray.gr",
        "cif": "ni.cif",
        "qmax_invA": 27.0,
        "fit_range_A": [1.5, 30.0],
        "start": {"scale": 1.0, "Uiso_Ni": 0.005, "delta2": 1.0, "qdamp": 0.03},
        "refine": ["scale", "a", "Uiso_Ni", "delta2", "qdamp"],
    },
    "ni_xray_8par": {
        "data": "ni-q27r60-xray.gr",
        "cif": "ni.cif",
        "qmax_invA": 27.0,
        "fit_range_A": [1.5, 30.0],
        "start": {
            "scale": 1.0,
            "Uiso_Ni": 0.005,
            "delta1": 0.1,
            "delta2": 1.0,
            "qdamp": 0.03,
            "qbroad": 0.01,
            "diameter_A": 300.0,
        },
        "refine": ["scale", "a", "Uiso_Ni", "delta1", "delta2", "qdamp", "qbroad", "diameter_A"],
        "shape": "sphere",
    },
    "ni_neutron": {
        "data": "ni-q27r100-neutron.gr",
        "cif": "ni.cif",
        "probe": "neutron",
        "qmax_invA": 27.0,
        "fit_range_A": [1.5, 30.0],
        "start": {"scale": 1.0, "Uiso_Ni": 0.005, "delta2": 1.0, "qdamp": 0.03},
        "refine": ["scale", "a", "Uiso_Ni", "delta2", "qdamp"],
    },
    "cds_nano": {
        "data": "CdS_ZnS_nano.gr",
        "cif": "CdS_wurtzite_cod1011054.cif",  # tests/totalscattering/data
        # Qmax and Qdamp of the diffpy.srfit core-shell example (coreshellnp.py) on these data
        "qmax_invA": 26.0,
        "fit_range_A": [1.5, 30.0],
        "start": {
            "scale": 0.3,
            "Uiso_Cd": 0.01,
            "Uiso_S": 0.01,
            "delta2": 3.0,
            "qdamp": 0.0396,
            "diameter_A": 40.0,
        },
        "refine": ["scale", "a", "c", "Uiso_Cd", "Uiso_S", "delta2", "diameter_A"],
        "shape": "sphere",
    },
    # the same data with an anisotropic model: per site U11 (= U22 = 2 U12) and U33, the
    # constraints of the 3m sites of P6_3mc, started from the isotropic PDFfit2 minimum
    "cds_nano_aniso": {
        "data": "CdS_ZnS_nano.gr",
        "cif": "CdS_wurtzite_aniso.cif",  # tests/totalscattering/data
        "qmax_invA": 26.0,
        "fit_range_A": [1.5, 30.0],
        "start": {
            "scale": 0.2246,
            "U11_Cd1": 0.0148,
            "U33_Cd1": 0.0148,
            "U11_S1": 0.0343,
            "U33_S1": 0.0343,
            "delta2": 4.87,
            "qdamp": 0.0396,
            "diameter_A": 21.86,
        },
        "refine": [
            "scale",
            "a",
            "c",
            "U11_Cd1",
            "U33_Cd1",
            "U11_S1",
            "U33_S1",
            "delta2",
            "diameter_A",
        ],
        "shape": "sphere",
        "aniso": True,
    },
}


def _aniso_constraints(pf, stru, par) -> None:  # type: ignore[no-untyped-def]
    """U11 = U22 = 2 U12 and U33 per site (3m sites of P6_3mc), U13 = U23 = 0."""
    for i, atom in enumerate(stru, start=1):
        site = f"{atom.element}1"
        par(f"U11_{site}", pf.u11(i), None)
        par(f"U11_{site}", pf.u22(i), None)
        par(f"U33_{site}", pf.u33(i), None)
        par(f"U11_{site}", pf.u12(i), None, factor=0.5)
        for u in (pf.u13, pf.u23):
            pf.setvar(u(i), 0.0)


def run_pdffit2(case: dict) -> dict:
    from diffpy.pdffit2 import PdfFit, redirect_stdout
    from diffpy.structure import loadStructure

    redirect_stdout(io.StringIO())
    pf = PdfFit()
    stype = "N" if case.get("probe") == "neutron" else "X"
    pf.read_data(str(DATA / case["data"]), stype, case["qmax_invA"], case["start"]["qdamp"])
    cif = {"ni.cif": DATA / "ni.cif", "CdS_wurtzite_aniso.cif": CDS_ANISO_CIF}.get(
        case["cif"], CDS_CIF
    )
    cif = str(cif)
    stru = loadStructure(cif)
    pf.add_structure(stru)
    elements = [a.element for a in stru]
    start, refine = case["start"], case["refine"]
    k = iter(range(1, 100))
    idx: dict[str, int] = {}

    def par(name: str, target, value: float | None, factor: float = 1.0) -> None:  # type: ignore[no-untyped-def]
        if name not in idx:
            idx[name] = next(k)
            pf.setpar(idx[name], start[name] if value is None else value)
            if name not in refine:
                pf.fixpar(idx[name])
        pf.constrain(target, f"@{idx[name]}" if factor == 1.0 else f"@{idx[name]} * {factor!r}")

    lat = stru.lattice
    par("a", pf.lat(1), lat.a)
    pf.constrain(pf.lat(2), f"@{idx['a']}")
    if abs(lat.c - lat.a) > 1e-9:
        par("c", pf.lat(3), lat.c)
    else:
        pf.constrain(pf.lat(3), f"@{idx['a']}")
    par("scale", pf.pscale, start["scale"])
    par("qdamp", pf.qdamp, start["qdamp"])
    for name, target in (("delta1", pf.delta1), ("delta2", pf.delta2), ("qbroad", pf.qbroad)):
        if name in start:
            par(name, target, start[name])
    if case.get("shape") == "sphere":
        par("diameter_A", pf.spdiameter, start["diameter_A"])
    if case.get("aniso"):
        _aniso_constraints(pf, stru, par)
    # isotropic U in PDFfit2's (CIF) convention: U_ij = Uiso cos(angle between a*_i and a*_j)
    rec = lat.reciprocal()
    cos_star = {
        pf.u12: math.cos(math.radians(rec.gamma)),
        pf.u13: math.cos(math.radians(rec.beta)),
        pf.u23: math.cos(math.radians(rec.alpha)),
    }
    for i, el in enumerate(elements if not case.get("aniso") else [], start=1):
        for u in (pf.u11, pf.u22, pf.u33):
            par(f"Uiso_{el}", u(i), start[f"Uiso_{el}"])
        for u, cs in cos_star.items():
            if abs(cs) > 1e-12:
                pf.constrain(u(i), f"@{idx[f'Uiso_{el}']} * {cs!r}")
    pf.pdfrange(1, *case["fit_range_A"])
    t0, c0 = time.perf_counter(), time.process_time()
    pf.refine()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    # PDFfit2 stops on a small relative change of chi2; restart until Rw stops changing so
    # that the stored values are the minimum, not the stopping point of one run
    rounds, rw = 1, pf.getrw()
    while rounds < 8:
        pf.refine()
        rounds += 1
        if abs(pf.getrw() - rw) < 1e-6:
            break
        rw = pf.getrw()
    err = pf.geterrors() if hasattr(pf, "geterrors") else None
    out = {name: pf.getpar(i) for name, i in idx.items()}
    return {
        "parameters": out,
        "rw": pf.getrw(),
        "refine_seconds": seconds,
        "refine_cpu_seconds": cpu,
        "refine_rounds": rounds,
        "errors": err,
    }


def main() -> None:
    import diffpy.pdffit2

    result = {
        "program": f"diffpy.pdffit2 {diffpy.pdffit2.__version__}",
        "python": sys.version.split()[0],
        "command": "python tests/totalscattering/reference/make_pdffit2_reference.py",
        "note": "weights 1/dG^2 when the file has dG; pdffit2 s.u.s are not scaled by chi2",
        "cases": {},
    }
    for name, case in CASES.items():
        res = run_pdffit2(case)
        res.pop("errors", None)
        res.pop("refine_cpu_seconds", None)
        result["cases"][name] = {**case, **res}
    (HERE / "pdffit2_reference.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
