"""Speed and memory of mofglass.diffraction on the shared real files and synthetic patterns.

Prints wall time and peak Python memory (tracemalloc) per step, and ratios against simple
peers on the same input and machine:

* reading: numpy.loadtxt on the same column file (the floor for text parsing);
* peak fitting: lmfit's built-in VoigtModel with the Kα2 companion tied by constraint
  expressions (the straightforward lmfit way) vs mofglass's doublet line model.

Run: python benchmarks/diffraction_bench.py   (from the repository root, shared/ beside it)
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from lmfit.models import LinearModel, VoigtModel

from mofglass.crystallography.conversions import two_theta_to_d
from mofglass.diffraction import Wavelength, fit_peaks, read_pattern
from mofglass.diffraction.demo_model import DEMO_INSTRUMENT
from mofglass.diffraction.pawley import pawley_refine
from mofglass.diffraction.synthetic import SyntheticPeak, simulate_pattern

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def measure(func: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """Best wall time (s) over ``repeat`` runs and peak traced memory (MiB) of one run."""
    best = np.inf
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t)
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, out


def bench_readers() -> None:
    print("== readers (best of 3)")
    files = [
        "pxrd-formats-nomad/XRD-918-16_10.xrdml",
        "pxrd-formats-nomad/TwoTheta_scan_powder.rasx",
        "pxrd-formats-nomad/TwoTheta_scan_scrambled.raw",
        "pxrd-formats-nomad/23-012-AG_2thomegascan_long.brml",
        "pxrd-henke-group-examples/sample-A-P4-cryst.brml",
        "pxrd-henke-group-examples/sample-B-F-0.20-dry.dat",
        "pxrd-henke-group-examples/sample-C_300_001_00000.xy",
        "pxrd-11bm-gsas-fxye/11bmb_8716.fxye",
    ]
    for name in files:
        path = DATA / name
        if not path.exists():
            print(f"  {name}: missing, skipped")
            continue
        t, mem, p = measure(lambda path=path: read_pattern(path))
        print(f"  {name:55s} {len(p):6d} pts  {1e3 * t:8.1f} ms  {mem:6.1f} MiB")
    xy = DATA / "pxrd-henke-group-examples/sample-C_300_001_00000.xy"
    if xy.exists():
        t_ours, _, _ = measure(lambda: read_pattern(xy))
        t_np, _, _ = measure(lambda: np.loadtxt(xy))
        print(f"  xy: mofglass / numpy.loadtxt = {t_ours / t_np:.2f}")


def _naive_doublet_fit(p: Any, center: float) -> Any:
    m = (p.two_theta_deg > center - 0.8) & (p.two_theta_deg < center + 0.8)
    x, y = p.two_theta_deg[m], p.intensity[m]
    mod = LinearModel(prefix="b_") + VoigtModel(prefix="p_") + VoigtModel(prefix="k_")
    pars = mod.make_params(
        b_slope=0,
        b_intercept=float(y.min()),
        p_amplitude=float(y.max()) * 0.2,
        p_center=center,
        p_sigma=0.05,
        p_gamma=0.05,
    )
    pars["p_gamma"].set(vary=True, expr=None, min=0)
    r = 1.5444274 / 1.5405929
    pars["k_center"].set(expr=f"2*asin({r}*sin(p_center*pi/360))*180/pi")
    pars["k_amplitude"].set(expr="0.5*p_amplitude")
    pars["k_sigma"].set(expr="p_sigma")
    pars["k_gamma"].set(expr="p_gamma")
    return mod.fit(y, pars, x=x, weights=1 / np.sqrt(np.maximum(y, 1)))


def bench_fitting() -> None:
    print("== peak fitting: 5 isolated Cu Kα1+Kα2 peaks, 47.3 nm, 0.02° steps (best of 3)")
    wl = Wavelength.copper()
    peaks = [
        SyntheticPeak(float(two_theta_to_d(t, wl.ka1_A)), 60000.0) for t in (12, 21, 30, 40, 52)
    ]
    p = simulate_pattern(
        np.arange(8.0, 58.0, 0.02),
        peaks,
        radiation=wl,
        size_nm=47.3,
        instrument=DEMO_INSTRUMENT,
        background_coeffs=(300.0, -2.0),
        seed=1,
    )
    t_ours, mem, fit = measure(lambda: fit_peaks(p))
    t_naive, _, _ = measure(lambda: [_naive_doublet_fit(p, c) for c in (12, 21, 30, 40, 52)])
    print(
        f"  mofglass fit_peaks (2 passes): {1e3 * t_ours:8.1f} ms  {mem:6.1f} MiB  "
        f"{len(fit.peaks)} peaks"
    )
    print(f"  lmfit VoigtModel + constraint expressions (1 pass): {1e3 * t_naive:8.1f} ms")
    print(f"  ratio mofglass / naive lmfit = {t_ours / t_naive:.2f} (mofglass does 2 passes)")


def _baseline_pawley() -> Any:
    """The Pawley routine as it was before the whole-pattern rewrite (commit 48f7b97: dense
    design matrix, finite-difference Jacobian through the NNLS), loaded from git history."""
    import subprocess
    import types

    try:
        src = subprocess.run(
            ["git", "show", "48f7b97:src/mofglass/diffraction/pawley.py"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    import sys

    mod = types.ModuleType("pawley_baseline")
    sys.modules["pawley_baseline"] = mod
    exec(compile(src, "pawley_baseline", "exec"), mod.__dict__)
    return mod.pawley_refine


def bench_pawley() -> None:
    print("== Pawley time vs number of reflections: sucrose, 11-BM (best of 1)")
    from mofglass.crystallography import Cell
    from mofglass.diffraction.instrument import read_instrument

    folder = DATA / "pxrd-11bm-gsas-fxye"
    if not folder.is_dir():
        print("  shared data missing, skipped")
        return
    inst, wl = read_instrument(folder / "11bmb_8716.prm")
    full = read_pattern(folder / "11bmb_8716.fxye").with_wavelength(wl)
    start = Cell(10.8631, 8.7044, 7.7624, 90, 102.938, 90, "P 1 21 1")
    base = _baseline_pawley()
    for hi in (6.0, 10.0, 15.0, 20.0, 25.0):
        p = full.crop(2.0, hi)
        t, mem, res = measure(lambda p=p: pawley_refine(p, start), repeat=1)
        line = (
            f"  2-{hi:4.1f}°: {res.n_reflections:5d} reflections {len(p):6d} pts  "
            f"{t:7.2f} s  {mem:7.1f} MiB  Rwp {100 * res.rwp:5.2f} %  ok={res.ok}"
        )
        if base is not None and hi <= 6.0:  # the baseline takes minutes beyond that
            # the baseline refines the cell only, with the instrument profile fixed
            tb, _, rb = measure(
                lambda p=p: base(p, start, instrument=inst, size_nm=None, max_nfev=100), repeat=1
            )
            line += f" | baseline {tb:7.2f} s (Rwp {100 * rb.rwp:5.2f} %), ratio {t / tb:.3f}"
        print(line)


def bench_powerxrd() -> None:
    """mofglass Pawley vs powerxrd 4.0.0 (``pip install powerxrd``, the ``peers`` extra) on
    the same LaB6 scan (Cu Kα, 18-90°: powerxrd's 2θ limit is 90°).

    powerxrd cannot do the same refinement: cubic lattices only, every hkl with 0 <= h, k, l < 8
    (no extinctions, no multiplicities), one scale for all reflections (no Pawley / Le Bail
    intensities), pseudo-Voigt with fixed η = 0.5 and Caglioti U, W only, no Kα2, no zero or
    displacement, a linear background. It is timed on its own model (a, U, W, scale,
    background) so the ratio is of two different fits; the cells are printed side by side
    against the SRM 660c certificate (4.156826 Å).
    """
    print("== whole-pattern fit vs powerxrd 4.0.0: LaB6, Cu Kα, 18-90° (best of 3)")
    try:
        from powerxrd.lattice import CubicLattice
        from powerxrd.model import PhaseModel
        from powerxrd.refine import refine
    except ImportError:
        print("  powerxrd not installed (pip install powerxrd), skipped")
        return
    from mofglass.crystallography import Cell

    path = DATA / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2"
    if not path.is_file():
        print("  shared data missing, skipped")
        return
    p = read_pattern(path).with_wavelength(Wavelength.copper()).crop(18, 90)
    start = Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m")
    t_ours, _, ours = measure(lambda: pawley_refine(p, start))
    x, y = p.two_theta_deg, p.intensity

    def run_powerxrd() -> Any:
        model = PhaseModel(lattice=CubicLattice(a=4.1569), wavelength=1.5406)
        model.params.update(U=0.01, W=0.01, scale=float(y.max()) / 100, bkg_intercept=0.0)
        refine(model, x, y, ["scale", "bkg_intercept"], print_stage=False)
        refine(
            model, x, y, ["a", "U", "W", "scale", "bkg_slope", "bkg_intercept"], print_stage=False
        )
        return model

    t_px, _, model = measure(run_powerxrd)
    calc = model.pattern(x)
    rwp_px = float(
        np.sqrt(
            np.sum((y - calc) ** 2 / p.weights_sigma() ** 2) / np.sum(y**2 / p.weights_sigma() ** 2)
        )
    )
    a_px = model.lattice.get_params()[0]
    print(
        f"  mofglass Pawley: {t_ours:6.2f} s  a = {ours.a_A}  Rwp {100 * ours.rwp:5.2f} %  "
        f"({ours.n_reflections} reflections, Kα1+2, displacement)"
    )
    print(
        f"  powerxrd:        {t_px:6.2f} s  a = {a_px:.6f} Å  Rwp {100 * rwp_px:5.2f} %  "
        "(one scale, no Kα2)"
    )
    print(f"  ratio mofglass / powerxrd = {t_ours / t_px:.2f} (different models, see docstring)")


if __name__ == "__main__":
    bench_readers()
    bench_fitting()
    bench_pawley()
    bench_powerxrd()
