"""Reverse Monte Carlo: incremental histograms, normalisation, constraints, resume, CLI."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree
from typer.testing import CliRunner

from mofglass.cli import app
from mofglass.models.glass.analysis import analyse_model
from mofglass.models.glass.rmc import DRIFT_TOL, RMCState, RMCTarget, rmc_target
from mofglass.models.glass.rmc_setup import prepare_rmc, summarise_rmc
from mofglass.scattering.formfactors import form_factor
from mofglass.structure import read_structure
from mofglass.structure.crystal import Crystal
from mofglass.totalscattering.readers import read_gudrun

GLASS = ("zif-glass-models-gaillac2020", "ZIF4_15glass01.cif")
DATA = ("zif4-glass-xray-FQ-Dr", "ZIF4glassa_589.dofr")  # highest temperature: the liquid


@pytest.fixture(scope="module")
def glass(shared_data):
    return read_structure(shared_data.joinpath(*GLASS))


@pytest.fixture(scope="module")
def target(shared_data):
    # the Gaillac box is 15.4 Å wide: r up to 7.5 Å; GudrunX D(r) from F(Q) to 24 Å⁻¹
    data = read_gudrun(shared_data.joinpath(*DATA))
    return rmc_target(data, r_range_A=(1.0, 7.0), qmax_invA=24.0, lorch=True, weighting="f2")


def _recount(frac: np.ndarray, lat: np.ndarray, types: np.ndarray, table, rmax, dr, shape):
    """Pair histogram by type from scratch with a periodic k-d tree (orthogonal box)."""
    box = np.diag(lat)
    xyz = np.mod(frac, 1.0) * box
    pairs = cKDTree(xyz, boxsize=box).query_pairs(rmax, output_type="ndarray")
    d = xyz[pairs[:, 1]] - xyz[pairs[:, 0]]
    d -= np.rint(d / box) * box
    r = np.linalg.norm(d, axis=1)
    out = np.zeros(shape)
    np.add.at(out, (table[types[pairs[:, 0]], types[pairs[:, 1]]], (r / dr).astype(int)), 1.0)
    return out


def test_incremental_histograms_equal_a_recount(glass, target):
    state = prepare_rmc(glass, [target], seed=5, dr_A=0.05)
    a = state.arrays
    p = state.params
    args = (a["types"], a["tp_table"], p["rmax_A"], p["dr_A"], a["hist"].shape)
    start = _recount(state.frac, state.lattice_A, *args)
    np.testing.assert_array_equal(a["hist"], start)
    state.run(4000, chunk=2000)
    assert state.history[-1]["accept_single"] > 0.05  # moves really happened
    np.testing.assert_array_equal(a["hist"], _recount(state.frac, state.lattice_A, *args))
    assert not np.array_equal(a["hist"], start)


def _closed_form_pair_d(r, d, n_atoms, rho, elements, pair, weighting, qmax):
    """Keen's D(r) of one a-b pair at distance d among n atoms (Debye, Lorch to Qmax)."""
    q = np.linspace(1e-6, qmax, 20001)
    f = {e: form_factor(e, q) for e in elements}
    c = {e: 1.0 / len(elements) for e in elements}
    norm = (
        sum(c[e] * f[e] ** 2 for e in elements)
        if weighting == "f2"
        else sum(c[e] * f[e] for e in elements) ** 2
    )
    # i(Q) of the pair term, 2 f_a f_b sin(Qd)/(Qd) / (N norm), then D = (2/π)∫ Q i M sin(Qr)
    i_q = 2.0 * f[pair[0]] * f[pair[1]] * np.sin(q * d) / (q * d) / (n_atoms * norm)
    m = np.sinc(q / qmax)
    pair_d = 2.0 / np.pi * np.trapezoid((q * i_q * m)[None] * np.sin(np.outer(r, q)), q, axis=1)
    w0 = {e: form_factor(e, 0.0) for e in elements}
    mean0 = (
        sum(c[e] * w0[e] ** 2 for e in elements)
        if weighting == "f2"
        else sum(c[e] * w0[e] for e in elements) ** 2
    )
    return pair_d - 4 * np.pi * rho * r * sum(c[e] * w0[e] for e in elements) ** 2 / mean0


@pytest.mark.parametrize("weighting", ["f2", "fz"])
def test_xray_pair_weighting_matches_the_debye_closed_form(weighting):
    # closed form: one Zn-N pair at 2.005 Å (a bin centre) in a 40 Å box, X-ray i(Q) with the
    # IT92 form factors f(Q) over Σcf² or (Σcf)², sine-transformed with Lorch to 24 Å⁻¹
    lat = np.diag([40.0, 40.0, 40.0])
    frac = np.array([[0.5, 0.5, 0.5], [0.5 + 2.005 / 40.0, 0.5, 0.5]])
    box = Crystal.from_fractional(["Zn", "N"], frac, lat)
    r = np.arange(0.0, 12.0, 0.01)
    t = RMCTarget("pair", "D", r, np.zeros_like(r), (1.0, 3.0), 1.0, "xray", 24.0, True, weighting)
    state = prepare_rmc(box, [t], dr_A=0.01, fit_scale=False)
    sel = (state.r_A > 1.0) & (state.r_A < 3.0)
    expect = _closed_form_pair_d(
        state.r_A[sel], 2.005, 2, 2 / 40.0**3, ("N", "Zn"), ("Zn", "N"), weighting, 24.0
    )
    got = state.model(0)[sel]
    assert np.max(np.abs(got - expect)) < 0.01 * np.max(np.abs(expect))
    # the Q-dependent weights matter: the Z-weighted peak differs by far more than that
    t_z = RMCTarget("pair", "D", r, np.zeros_like(r), (1.0, 3.0), 1.0, "xray", 24.0, True, "z")
    z_peak = prepare_rmc(box, [t_z], dr_A=0.01, fit_scale=False).model(0)[sel].max()
    assert abs(z_peak - got.max()) > 0.1 * got.max()


def test_crystal_zif4_matches_its_measured_first_peaks_with_no_scale(shared_data):
    # verification of the data's convention on the CRYSTAL (real data, no fitting): ZIF-4 at
    # 31 °C (Gaillac et al. 2017, GudrunX D(r), X-ray, Qmax 24 Å⁻¹, Lorch) vs the DFT ZIF-4
    # cell of Lewis et al. 2009 (static: no thermal broadening, so only the first peaks):
    # with i(Q) normalised by Σcf(Q)² the C-N (1.37 Å) and Zn-N (2.0 Å) peak heights agree
    # within 10 %; Faber-Ziman (Σcf)² or Z weights overshoot them 2-3 times
    data = read_gudrun(shared_data / "zif4-glass-xray-FQ-Dr" / "ZIF4glassa_31.dofr")
    crystal = read_structure(shared_data / "zif-structures-lewis2009" / "ZIF-4.cif")
    ratios = {}
    for weighting in ("f2", "fz", "z"):
        t = rmc_target(data, r_range_A=(1.0, 7.0), qmax_invA=24.0, lorch=True, weighting=weighting)
        state = prepare_rmc(crystal, [t], dr_A=0.02, fit_scale=False)
        r, m, y = state.r_A, state.model(0), state.arrays["y"][0]
        ratios[weighting] = [
            m[(r > lo) & (r < hi)].max() / y[(r > lo) & (r < hi)].max()
            for lo, hi in ((1.25, 1.5), (1.85, 2.15))
        ]
    assert ratios["f2"] == pytest.approx([1.0, 1.0], abs=0.1)
    assert min(ratios["fz"] + ratios["z"]) > 2.0


def test_uniform_gas_has_g_of_one():
    # closed form: an ideal gas (uniform random points) has g(r) = 1; the points closer than
    # 0.6 Å to another are dropped (the bond finder refuses overlaps), which only changes g
    # below ~1.2 Å at this density
    rng = np.random.default_rng(0)
    frac = rng.random((6000, 3))
    lat = np.diag([40.0, 40.0, 40.0])
    close = cKDTree(frac * 40.0, boxsize=40.0).query_pairs(0.6, output_type="ndarray")
    frac = np.delete(frac, np.unique(close.ravel()), axis=0)
    gas = Crystal.from_fractional(["Ar"] * len(frac), frac, lat)
    r = np.arange(0.0, 12.0, 0.05)
    t = RMCTarget("gas", "g", r, np.ones_like(r), (4.0, 11.0), 1.0)
    state = prepare_rmc(gas, [t], dr_A=0.05, fit_scale=False)
    g = state.model(0)
    sel = (state.r_A > 4.0) & (state.r_A < 11.0)
    assert np.mean(g[sel]) == pytest.approx(1.0, abs=0.01)


def test_rmc_keeps_the_chemistry_and_improves_the_fit(glass, target):
    state = prepare_rmc(glass, [target], seed=1, dr_A=0.05)
    rw0 = state.rw()
    state.run(12000, chunk=6000)
    s = summarise_rmc(state)
    assert s.rw < rw0 - 0.02
    # independent check on the bond graph (covalent radii), not the RMC's own constraints
    a = analyse_model(state.crystal())
    assert a.fraction_four_coordinated.value == 1.0
    assert a.fraction_linkers_bridging.value == 1.0
    assert a.metal_donor_A.value == pytest.approx(2.0, abs=0.1)


def test_resumed_run_equals_uninterrupted(glass, target, tmp_path):
    one = prepare_rmc(glass, [target], seed=9, dr_A=0.05)
    one.run(3000, chunk=1500)
    two = prepare_rmc(glass, [target], seed=9, dr_A=0.05)
    ck = tmp_path / "ck.npz"
    two.run(1500, chunk=1500, checkpoint=ck)
    back = RMCState.load(ck)
    back.run(1500, chunk=1500)
    np.testing.assert_array_equal(back.frac, one.frac)
    assert back.moves_done == 3000
    assert back.rw() == pytest.approx(one.rw(), rel=1e-9)


def test_checkpoint_of_an_older_version_resumes_and_saves(glass, target, tmp_path):
    # a checkpoint written before a history key existed (here: chi2_drift) resumes, runs and
    # saves again; the missing values read back as NaN
    state = prepare_rmc(glass, [target], seed=9, dr_A=0.05)
    state.run(1000, chunk=1000)
    for row in state.history:
        del row["chi2_drift"]
    ck = tmp_path / "old.npz"
    state.save(ck)
    back = RMCState.load(ck)
    back.run(1000, chunk=1000)
    back.save(ck)
    again = RMCState.load(ck)
    assert [h["moves"] for h in again.history] == [1000.0, 2000.0]
    assert np.isnan(again.history[0]["chi2_drift"]) and np.isfinite(again.history[1]["chi2_drift"])


def test_rmc_cli(shared_data, tmp_path):
    out = tmp_path / "rmc.cif"
    res = CliRunner().invoke(
        app,
        [
            "model", "rmc", str(shared_data.joinpath(*GLASS)), str(shared_data.joinpath(*DATA)),
            "--r-range", "1,7", "--qmax", "24", "--lorch", "--weighting", "f2", "--moves", "2000",
            "--chunk", "1000",
            "--checkpoint", str(tmp_path / "ck.npz"), "--out", str(out),
        ],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "2000 moves" in res.output and out.exists() and (tmp_path / "ck.npz").exists()
    assert "4-coordinated metals 1.000" in res.output


def test_incremental_model_equals_a_from_scratch_curve_after_many_moves(glass, target):
    # the moves update the model curve by adding each move's change over its changed bins;
    # after 30000 moves in one chunk (no in-run repair) it must equal the curve made from
    # scratch by an independent path: a periodic k-d tree pair count and an FFT convolution
    from scipy.signal import fftconvolve

    state = prepare_rmc(glass, [target], seed=3, dr_A=0.05)
    a, p = state.arrays, state.params
    state.run(30000, chunk=30000, verify=False)
    assert state.history[-1]["accept_single"] > 0.05
    hist = _recount(
        state.frac, state.lattice_A, a["types"], a["tp_table"], p["rmax_A"], p["dr_A"],
        a["hist"].shape,
    )  # fmt: skip
    np.testing.assert_array_equal(a["hist"], hist)
    ref = a["base"][0].copy()
    for c, total in enumerate(a["coef"] @ hist):
        ref += fftconvolve(a["amp"][0] * total, a["kern"][c], mode="same")
    sel = a["wgt"][0] > 0
    got = state.model(0, scaled=False)
    err = np.max(np.abs(got - ref)[sel]) / np.max(np.abs(ref[sel]))
    # each move's change is convolved in float32 (its rounding, ~1e-7 of a small change,
    # is all that can build up; measured 7e-8 here): within the in-run check's 1e-6
    assert err < DRIFT_TOL
    drift, bad_bins = state.verify(recount=True)
    assert drift < DRIFT_TOL and bad_bins == 0


def test_peak_function_cut_stays_within_its_stated_tolerance(glass, target):
    # the Lorch peak functions decay as ~1/x²: the cut is chosen on the model curve; the
    # measured error against the uncut kernels (tolerance 0: every tap kept) is reported
    # and below the tolerance, and the cut really shortens the kernels
    cut = prepare_rmc(glass, [target], dr_A=0.05, kernel_tol=1e-3, fit_scale=False)
    full = prepare_rmc(glass, [target], dr_A=0.05, kernel_tol=0.0, fit_scale=False)
    sel = cut.arrays["wgt"][0] > 0
    ref = full.model(0)[sel]
    err = np.max(np.abs(cut.model(0)[sel] - ref)) / np.max(np.abs(ref))
    assert err <= 1e-3
    assert err == pytest.approx(cut.params["kernel_error"], rel=1e-6)
    assert cut.arrays["ktap"].max() < full.arrays["ktap"].min()
    # the old fixed 1 Å cut made an error an order of magnitude larger
    one = full.arrays["kern"].copy()
    hw = (one.shape[1] - 1) // 2
    h = round(1.0 / 0.05)
    one[:, : hw - h] = 0.0
    one[:, hw + h + 1 :] = 0.0
    full.arrays["kern"] = one
    from mofglass.models.glass.rmc_setup import _set_base

    _set_base(full)
    full._model_from_histogram()
    assert np.max(np.abs(full.model(0)[sel] - ref)) / np.max(np.abs(ref)) > 5e-3


def test_closest_approach_refusals_agree_with_a_brute_force_check(glass, target):
    # a move is refused iff its new position comes closer than the closest approach to an
    # atom that is not a window partner: checked against all N distances (minimum image) for
    # random steps of up to 1 Å, most of which change the atom's column
    from mofglass.models.glass.rmc_columns import build_columns
    from mofglass.models.glass.rmc_kernels import _scan_move

    state = prepare_rmc(glass, [target], seed=2, dr_A=0.05)
    a, lat, frac = state.arrays, state.lattice_A, state.frac
    n, t, box = len(frac), a["types"], np.diag(state.lattice_A)
    cart = frac @ lat
    cols = build_columns(frac, cart, t, a["ncol"])
    nb = a["hist"].shape[1]
    cap = cols[1].shape[1]
    bufs = (np.empty(cap, np.int64), np.empty(cap, np.int64), np.empty(cap))
    bmark = np.zeros(n, np.int64)
    rng = np.random.default_rng(0)
    refused = 0
    for trial in range(400):
        i = int(rng.integers(n))
        newf = np.mod(frac[i] + rng.uniform(-1.0, 1.0, 3) / box, 1.0)[None, :]
        dh, lohi = np.zeros((a["hist"].shape[0], nb + 1)), np.array([nb, -1])
        ok = _scan_move(
            1, np.array([i]), newf, frac, cart, cols, lat, t, a["tp_table"], a["ncol"],
            a["coffs"], a["cdz"], bmark, 10 * trial + 10, a["bond_ptr"], a["bond_j"], a["dmin2"],
            state.params["rmax_A"] ** 2, 1.0 / state.params["dr_A"], dh, lohi, *bufs,
        )  # fmt: skip
        d = np.mod(frac, 1.0) * box - newf[0] * box
        d -= np.rint(d / box) * box
        close = (d**2).sum(axis=1) < a["dmin2"][t[i], t]
        close[i] = False
        close[a["bond_j"][a["bond_ptr"][i] : a["bond_ptr"][i + 1]]] = False
        assert ok == (not close.any()), (trial, i)
        refused += not ok
    assert 0 < refused < 400  # both outcomes were tried
