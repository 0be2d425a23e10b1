"""One scattering benchmark case per process (run by run_scattering.py).

    python benchmarks/scattering_cases.py CASE [TOOL]

Prints one JSON line: case, tool, seconds, peak resident memory above the baseline after
imports and model building (MB), pair distances evaluated, and notes.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
import warnings
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
ZIF_CELL = DATA / "raspa2-zif-cifs" / "ZIF-8.cif"
GLASS = DATA / "zif-glass-models-gaillac2020" / "ZIF4_15glass01.cif"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _box(n_target: int):  # type: ignore[no-untyped-def]
    from mofglass.scattering.models import supercell
    from mofglass.structure import read_structure

    g = read_structure(GLASS)
    k = max(1, round((n_target / g.n_atoms) ** (1 / 3)))
    reps = [k, k, k]
    i = 0
    while np.prod(reps) * g.n_atoms < 0.97 * n_target:
        reps[i % 3] += 1
        i += 1
    return supercell(g, tuple(reps))


def _cluster(n_target: int):  # type: ignore[no-untyped-def]
    from mofglass.scattering.models import nanoparticle

    box = _box(int(n_target * 2.2))
    rho = box.n_atoms / box.cell_volume_A3
    d = 2 * (3 * n_target / (4 * np.pi * rho)) ** (1 / 3)
    return nanoparticle(box, d, center_frac=(0.5, 0.5, 0.5))


NI_CELL = DATA / "pdf-diffpy-examples" / "ni.cif"
ZIF_CCDC = DATA / "zif8-zif67-ccdc-cifs" / "ZIF-8.cif"


def _crystallite(kind: str, n_target: int):  # type: ignore[no-untyped-def]
    """Sphere of about n_target atoms centred on the cell origin: Ni (fcc, 4-atom cell, the
    origin is an atom of site symmetry m-3m), ZIF-8 (RASPA's 276-atom P1 cell, whose methyl H
    break the symmetry: none is used) or ``zif8sym``: the CCDC ZIF-8 (I-43m expanded by the
    reader, exactly symmetric; half-occupied H and guest O as in the file), whose origin has
    site symmetry -43m (24 operations: about 24x fewer basis pairs). The RASPA cell's
    operations map most atoms but not every methyl H: the lattice route keeps one basis pair
    per class of pairs linked by them (15x fewer). ``zif8gen``: the RASPA ZIF-8 around a general
    point (no operation fixes it: every basis pair is summed, the worst case)."""
    from mofglass.scattering.crystallites import crystallite
    from mofglass.scattering.shapes import Sphere
    from mofglass.structure import read_structure

    path = {"fcc": NI_CELL, "zif8": ZIF_CELL, "zif8gen": ZIF_CELL, "zif8sym": ZIF_CCDC}[kind]
    c = read_structure(path)
    rho = c.n_atoms / c.cell_volume_A3
    d = 2 * (3 * n_target / (4 * np.pi * rho)) ** (1 / 3)
    centre = (0.1234, 0.2345, 0.3456) if kind == "zif8gen" else (0.0, 0.0, 0.0)
    return crystallite(c, Sphere(d), centre_frac=centre)


def _ceiling(n_atoms: int) -> dict[str, object]:
    """Machine limits of an exact all-pairs pass, one thread, pairs per CPU second.

    ``bare``: every pair distance of a 10^4-atom cluster computed and summed (SIMD, no
    histogram): no exact pair method can beat this. ``scatter``: the same plus the linear
    spread into a 1024-bin histogram that stays in the L1 cache: the limit of any histogram
    method (the engine's histograms have 10^4-10^5 bins per pair class and do not fit in L1).
    """
    import math

    import numba
    from numba import njit

    numba.set_num_threads(1)

    @njit(fastmath=True)
    def bare(x, y, z):  # type: ignore[no-untyped-def]
        n = x.shape[0]
        s = 0.0
        for i in range(n):
            for j in range(i + 1, n):
                dx = x[j] - x[i]
                dy = y[j] - y[i]
                dz = z[j] - z[i]
                s += math.sqrt(dx * dx + dy * dy + dz * dz)
        return s

    @njit(fastmath=True)
    def scatter(x, y, z, inv_dr):  # type: ignore[no-untyped-def]
        n = x.shape[0]
        hist = np.zeros(1026)
        buf = np.empty(n)
        for i in range(n):
            m = n - i - 1
            for k in range(m):
                dx = x[i + 1 + k] - x[i]
                dy = y[i + 1 + k] - y[i]
                dz = z[i + 1 + k] - z[i]
                buf[k] = math.sqrt(dx * dx + dy * dy + dz * dz) * inv_dr
            for k in range(m):
                u = buf[k]
                b = int(u)
                f = u - b
                b = b & 1023
                hist[b] += 1.0 - f
                hist[b + 1] += f
        return hist

    m = _cluster(n_atoms)
    x, y, z = (np.ascontiguousarray(m.positions_A[:, k]) for k in range(3))
    pairs = m.n_atoms * (m.n_atoms - 1) / 2
    out: dict[str, object] = {"n_atoms": m.n_atoms, "pairs": pairs}
    for name, fn, args in (("bare", bare, (x, y, z)), ("scatter", scatter, (x, y, z, 1 / 0.0012))):
        fn(*(a[:50] if isinstance(a, np.ndarray) else a for a in args))
        best = math.inf
        for _ in range(3):
            c0 = time.process_time()
            fn(*args)
            best = min(best, time.process_time() - c0)
        out[f"seconds_cpu_{name}"] = best
        out[f"mpairs_per_cpu_s_{name}"] = pairs / best / 1e6
    out["seconds_cpu"] = out["seconds_cpu_bare"]
    out["seconds"] = out["seconds_cpu_bare"]
    return out


def _run(case: str, tool: str) -> dict[str, object]:
    from mofglass.scattering import _engine

    _engine.warm_up()
    out: dict[str, object] = {"case": case, "tool": tool}
    if case == "ceiling":
        out.update(_ceiling(10000))
    elif case == "zif_cell_pdf50":
        from mofglass.structure import read_structure

        c = read_structure(ZIF_CELL)
        out["n_atoms"] = c.n_atoms
        base = _rss_mb()
        if tool == "mofglass":
            from mofglass.scattering.pairs import pair_histogram
            from mofglass.scattering.pdf import crystal_pdf

            crystal_pdf(c, r_max_A=5.0)  # compile / load caches
            t0 = time.perf_counter()
            c0 = time.process_time()
            crystal_pdf(c, r_max_A=50.0, rstep_A=0.01, qmax_invA=25.0, q_damp_invA=0.03)
            out["seconds"] = time.perf_counter() - t0
            out["seconds_cpu"] = time.process_time() - c0
            h = pair_histogram(c.positions_A, r_max_A=50.0, lattice_A=c.lattice_A, dr_A=0.05)
            out["pairs"] = float(h.counts.sum())
        else:
            from diffpy.pdffit2 import PdfFit
            from diffpy.pdffit2 import redirect_stdout as pf_redirect
            from diffpy.structure import Atom, Lattice, Structure

            pf_redirect(open(os.devnull, "w"))
            pf = PdfFit()
            lat = c.lattice_A
            lens = np.linalg.norm(lat, axis=1)
            ang = [
                np.degrees(np.arccos(lat[j] @ lat[k] / (lens[j] * lens[k])))
                for j, k in ((1, 2), (0, 2), (0, 1))
            ]
            st = Structure(
                [Atom(e, xyz) for e, xyz in zip(c.species, c.frac, strict=True)],
                lattice=Lattice(*lens, *ang),
            )
            for atom in st:
                atom.Uisoequiv = 0.01
            pf.add_structure(st)
            r = np.arange(0.01, 50.0, 0.01)
            pf.read_data_lists("X", 25.0, 0.03, list(r), list(np.zeros_like(r)))
            t0 = time.perf_counter()
            c0 = time.process_time()
            pf.calc()
            out["seconds"] = time.perf_counter() - t0
            out["seconds_cpu"] = time.process_time() - c0
        out["peak_mb"] = _rss_mb() - base
    elif case.startswith("cluster"):
        n = int(case.split("_")[1])
        m = _cluster(n)
        out["n_atoms"] = m.n_atoms
        q = np.arange(0.5, 25.0, 0.02)
        base = _rss_mb()
        if tool == "mofglass":
            from mofglass.scattering.debye import debye_intensity
            from mofglass.scattering.total import pdf_from_fq, total_scattering

            t0 = time.perf_counter()

            c0 = time.process_time()
            res = debye_intensity(m, q, route="histogram")
            out["seconds_iq"] = time.perf_counter() - t0
            out["seconds_cpu"] = time.process_time() - c0
            t1 = time.perf_counter()
            ts = total_scattering(m, q)
            pdf_from_fq(q, ts.F, np.arange(0.0, 30.0, 0.01), lorch=True)
            out["seconds_iq_gr"] = time.perf_counter() - t1
            out["seconds"] = out["seconds_iq"]
            out["pairs"] = m.n_atoms * (m.n_atoms - 1) / 2
            out["bin_error"] = res.bin_error
        else:
            import torch
            from debyecalculator import DebyeCalculator

            torch.set_num_threads(2)
            calc = DebyeCalculator(
                qmin=0.5, qmax=25.0, qstep=0.02, biso=0.0, device="cpu", rmax=30.0
            )
            with redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                c0 = time.process_time()
                calc.iq((list(m.species), m.positions_A.copy()))
                out["seconds"] = time.perf_counter() - t0
                out["seconds_cpu"] = time.process_time() - c0
            out["pairs"] = m.n_atoms * (m.n_atoms - 1) / 2
        out["peak_mb"] = _rss_mb() - base
    elif case.startswith("crystallite"):
        _, kind, num = case.split("_")
        cr = _crystallite(kind, int(num))
        out["n_atoms"] = cr.n_atoms
        q = np.arange(0.5, 25.0, 0.02)
        if tool == "mofglass":
            from mofglass.scattering.crystallites import crystallite
            from mofglass.scattering.debye import debye_intensity
            from mofglass.scattering.shapes import Sphere

            small = crystallite(cr.crystal, Sphere(8.0))
            debye_intensity(small, q)  # compile / load caches
            base = _rss_mb()
            t0 = time.perf_counter()
            c0 = time.process_time()
            res = debye_intensity(cr, q)
            out["seconds"] = time.perf_counter() - t0
            out["seconds_cpu"] = time.process_time() - c0
            out["route"] = res.route
            out["bin_error"] = res.bin_error
        else:
            import torch
            from debyecalculator import DebyeCalculator

            from mofglass.scattering.crystallites import crystallite_model

            m = crystallite_model(cr)
            species, pos = list(m.species), m.positions_A.copy()
            del m
            torch.set_num_threads(2)
            calc = DebyeCalculator(
                qmin=0.5, qmax=25.0, qstep=0.02, biso=0.0, device="cpu", rmax=30.0
            )
            base = _rss_mb()
            with redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                c0 = time.process_time()
                calc.iq((species, pos))
                out["seconds"] = time.perf_counter() - t0
                out["seconds_cpu"] = time.process_time() - c0
        out["pairs"] = cr.n_atoms * (cr.n_atoms - 1) / 2
        out["peak_mb"] = _rss_mb() - base
    elif case.startswith("box"):
        n = int(case.split("_")[1])
        box = _box(n)
        out["n_atoms"] = box.n_atoms
        base = _rss_mb()
        from mofglass.scattering.pdf import crystal_pdf
        from mofglass.scattering.total import total_scattering

        t0 = time.perf_counter()

        c0 = time.process_time()
        crystal_pdf(box, r_max_A=30.0, rstep_A=0.01)
        out["seconds_gr"] = time.perf_counter() - t0
        out["seconds_cpu"] = time.process_time() - c0
        t1 = time.perf_counter()
        total_scattering(box, np.arange(0.3, 25.0, 0.02), r_max_A=30.0)
        out["seconds_sq"] = time.perf_counter() - t1
        out["seconds"] = out["seconds_gr"]
        # pairs within 30 Å, N ρ (4/3)π r³ / 2 (homogeneous box; exact on average)
        rho = box.n_atoms / box.cell_volume_A3
        out["pairs"] = box.n_atoms * rho * 4 / 3 * np.pi * 30.0**3 / 2
        out["peak_mb"] = _rss_mb() - base
    elif case == "xrd300":
        from mofglass.structure import read_structure

        c = read_structure(ZIF_CELL)
        out["n_atoms"] = c.n_atoms
        base = _rss_mb()
        if tool == "mofglass":
            from mofglass.scattering.xrd import powder_pattern

            powder_pattern(c, radiation=1.540593, two_theta_range_deg=(5, 20))
            t0 = time.perf_counter()
            c0 = time.process_time()
            powder_pattern(c, radiation=1.540593, two_theta_range_deg=(2.0, 60.0))
            out["seconds"] = time.perf_counter() - t0
            out["seconds_cpu"] = time.process_time() - c0
        else:
            from pymatgen.analysis.diffraction.xrd import XRDCalculator
            from pymatgen.core import Structure

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                s = Structure.from_file(ZIF_CELL)
                t0 = time.perf_counter()
                c0 = time.process_time()
                XRDCalculator(wavelength=1.540593).get_pattern(s, two_theta_range=(2.0, 60.0))
                out["seconds"] = time.perf_counter() - t0
                out["seconds_cpu"] = time.process_time() - c0
        out["peak_mb"] = _rss_mb() - base
    else:
        raise SystemExit(f"unknown case {case}")
    return out


if __name__ == "__main__":
    case = sys.argv[1]
    tool = sys.argv[2] if len(sys.argv) > 2 else "mofglass"
    cpu0 = time.process_time()
    result = _run(case, tool)
    # CPU seconds of the whole case (all threads, incl. model building and warm-up): a measure
    # of work that a loaded machine distorts less than wall time
    result["seconds_cpu_total"] = time.process_time() - cpu0
    print(json.dumps(result))
