"""Reverse Monte Carlo refinement of a periodic model against measured total scattering.

:func:`prepare_rmc` turns a model box (a CRN, an ab initio glass, a crystal supercell) and one
or several measured curves (:func:`rmc_target`: D(r), G(r), g(r), Keen's G(r); F(Q), S(Q) or
S(Q) - 1 are sine-transformed to real space first) into an :class:`RMCState`; :meth:`RMCState.run`
attempts moves in chunks: single atoms and rigid linkers (the molecules of the bond graph
without its metal bonds, translated and rotated whole). Constraints are hard: every bond and
every 1-3 pair (bond angle) keeps a distance window around its start (N-M-N angles within
80-140°), and any other two atoms keep a closest approach (the bond graph's cutoff,
so no bond appears: metal coordination and linkers stay intact; donor···donor of different
linkers ≥ ``min_donor_donor_A``). The model curve is made the way the data were
(:mod:`.rmc_weights`): X-ray pairs weighted by f_a(Q) f_b(Q) over (Σcf)² or Σcf² (GudrunX),
neutron pairs by b_a b_b, each pair broadened by its own Qmax/Lorch peak function; a scale
per data set is refitted between chunks. A chunk of moves runs in one numba call
(:mod:`.rmc_kernels`): each move updates the pair histograms on sorted column lists
(:mod:`.rmc_columns`, cost O(neighbours), flat in the box size) and the model curve over the
changed bins only; after each chunk :meth:`RMCState.verify` recomputes the model from scratch
and logs the drift. Chunks are seeded from (seed, chunk index), so a run resumed from a
checkpoint (``.npz``) gives the same model as an uninterrupted one.

References
----------
.. [1] R. L. McGreevy, L. Pusztai, Mol. Simul. 1 (1988) 359 (reverse Monte Carlo).
.. [2] M. G. Tucker, D. A. Keen, M. T. Dove, A. L. Goodwin, Q. Hui, J. Phys.: Condens. Matter
   19 (2007) 335218 (RMCProfile: distance-window and closest-approach constraints).
.. [3] D. A. Keen, J. Appl. Cryst. 34 (2001) 172 (total-scattering functions).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.models.glass.rmc_columns import column_stencil
from mofglass.models.glass.rmc_kernels import run_moves
from mofglass.models.glass.rmc_recount import build_cells, full_histogram
from mofglass.structure.crystal import Crystal
from mofglass.totalscattering.data import TotalScatteringData

__all__ = ["RMCState", "RMCTarget", "rmc_target"]

_REAL = ("D", "G", "g", "GK")
DRIFT_TOL = 1e-6
"""Largest relative χ² drift of the incremental model allowed between two checks."""


@dataclass(frozen=True)
class RMCTarget:
    """One measured real-space curve to fit.

    Attributes
    ----------
    name : str
    kind : str
        ``D``/``G`` (4πρ0 r [g - 1] up to a scale), ``g`` or ``GK`` (g - 1).
    r_A, y : ndarray
        The curve, r in Å.
    r_range_A : (float, float)
        Fitted range, Å.
    sigma : float
        Uncertainty per point (χ² weight 1/σ²), in the unit of y.
    probe : str
        ``xray`` (f = Z) or ``neutron`` (coherent b).
    qmax_invA : float, optional
        Largest Q of the transform that made the curve: the model is convolved with its
        peak function (none if None).
    lorch : bool
        Whether that transform used the Lorch modification function.
    weighting : str
        X-ray pair weights (:mod:`.rmc_weights`): ``fz`` f_a(Q) f_b(Q) / (Σcf)², ``f2``
        f_a(Q) f_b(Q) / Σcf² (GudrunX "normalise to <f²>"), ``z`` Z_a Z_b / (ΣcZ)².
    """

    name: str
    kind: str
    r_A: np.ndarray
    y: np.ndarray
    r_range_A: tuple[float, float]
    sigma: float
    probe: str = "xray"
    qmax_invA: float | None = None
    lorch: bool = False
    weighting: str = "fz"


def rmc_target(
    data: TotalScatteringData,
    *,
    probe: str = "xray",
    r_range_A: tuple[float, float] = (1.0, 20.0),
    sigma: float | None = None,
    name: str | None = None,
    qmax_invA: float | None = None,
    lorch: bool = False,
    weighting: str = "fz",
) -> RMCTarget:
    """Make an RMC target from measured data; Q-space data are sine-transformed (Lorch) first.

    Parameters
    ----------
    sigma : float, optional
        Per-point uncertainty; default 2 % of the largest |y| in the range (GudrunX writes no
        usable σ for D(r)).
    qmax_invA, lorch
        The transform that made a real-space curve (see :class:`RMCTarget`); set from the
        data for Q-space input.
    weighting : str
        X-ray normalisation of the data (see :class:`RMCTarget`).
    """
    from mofglass.models.glass.rmc_weights import WEIGHTINGS

    if weighting not in WEIGHTINGS:
        raise AnalysisError(f"weighting must be one of {', '.join(WEIGHTINGS)}, got {weighting!r}")
    if data.x_kind == "q_invA":
        from mofglass.totalscattering.processing import reduced_pdf

        qmax_invA, lorch = float(np.max(data.x)), True
        data = reduced_pdf(data, r_A=np.arange(0.01, r_range_A[1] + 1.0, 0.01), lorch=True)
    if data.kind not in _REAL or data.x_kind != "r_A":
        raise AnalysisError(
            f"{data.source}: RMC fits D(r), G(r), g(r) or F(Q)/S(Q), not {data.kind}"
        )
    r, y = np.asarray(data.x, float), np.asarray(data.y, float)
    sel = (r >= r_range_A[0]) & (r <= r_range_A[1])
    if sel.sum() < 10:
        raise AnalysisError(f"{data.source}: fewer than 10 points in {r_range_A} Å")
    s = float(sigma) if sigma is not None else 0.02 * float(np.abs(y[sel]).max())
    return RMCTarget(
        name or Path(data.source).name,
        data.kind,
        r,
        y,
        r_range_A,
        s,
        probe,
        qmax_invA,
        lorch,
        weighting,
    )


@dataclass
class RMCState:
    """Everything the RMC loop changes, plus what it needs (see :func:`prepare_rmc`)."""

    species: tuple[str, ...]
    lattice_A: np.ndarray
    frac: np.ndarray
    arrays: dict[str, np.ndarray]
    targets: list[RMCTarget]
    params: dict[str, float]
    moves_done: int = 0
    chunks_done: int = 0
    history: list[dict[str, float]] = field(default_factory=list)

    # -- set up -------------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Histogram from the positions (a cell list, not the move's columns), then the model."""
        a = self.arrays
        lat = self.lattice_A
        cap = int(a["cap"][0])
        cells = build_cells(self.frac, a["ncell"], cap)
        if not cells[4]:
            raise AnalysisError(
                "a cell of the RMC cell list overflows (atoms on top of each other?)"
            )
        a["cell_atoms"], a["cell_count"], a["cell_of"], a["slot_of"] = cells[:4]
        hist = np.zeros_like(a["hist"])
        full_histogram(
            self.frac, lat, a["types"], a["tp_table"], a["ncell"], a["offs"], a["cell_atoms"],
            a["cell_count"], self.params["rmax_A"], self.params["dr_A"], hist,
        )  # fmt: skip
        a["hist"] = hist
        self._model_from_histogram()
        a["ncol"], a["coffs"], a["cdz"] = column_stencil(lat, self.params["rmax_A"])

    def _model_from_histogram(self) -> None:
        """Channel totals and model curves from the histograms (whole-curve convolutions)."""
        a = self.arrays
        a["total"] = a["coef"] @ a["hist"]
        conv = a["base"].copy()
        for c, q in enumerate(a["chan"]):
            conv[q] += np.convolve(a["amp"][q] * a["total"][c], a["kern"][c], mode="same")
        a["conv"] = conv

    def verify(self, *, recount: bool = False) -> tuple[float, int]:
        """Recompute the model from scratch, replace the incremental one; return the drift.

        The moves update the histograms exactly (integer counts) and the model curves by
        adding each move's change, so rounding can only build up in the latter: they are
        recomputed from the histograms (and, with ``recount``, the histograms from the
        positions by an independent cell-list count). Returns the relative χ² change
        |χ²_incremental - χ²_scratch| / χ²_scratch and the number of histogram bins that
        differed (0 unless the incremental bookkeeping is wrong).
        """
        a = self.arrays
        chi_inc, hist_inc = self.chi2(), a["hist"].copy()
        if recount:
            self._rebuild()
        else:
            self._model_from_histogram()
        chi = self.chi2()
        return abs(chi_inc - chi) / max(chi, 1e-300), int(np.sum(a["hist"] != hist_inc))

    def model(self, q: int = 0, *, scaled: bool = True) -> np.ndarray:
        """Model curve of target ``q`` on the bin centres (scale and linear term unless told)."""
        a = self.arrays
        m = a["conv"][q]
        return a["scale"][q] * m + a["extra"][q] if scaled else m.copy()

    @property
    def r_A(self) -> np.ndarray:
        """Bin centres, Å."""
        return (np.arange(self.arrays["hist"].shape[1]) + 0.5) * self.params["dr_A"]

    def fit_scales(self) -> None:
        """Least-squares scale of every target (when ``fit_scale``)."""
        if not self.params["fit_scale"]:
            return
        a = self.arrays
        for q in range(len(self.targets)):
            m, w = self.model(q, scaled=False), np.sqrt(a["wgt"][q])
            cols = [m, self.r_A] if self.params["fit_slope"] else [m]
            design = np.stack(cols, axis=1) * w[:, None]
            coef = np.linalg.lstsq(design, a["y"][q] * w, rcond=None)[0]
            a["scale"][q] = coef[0]
            a["extra"][q] = coef[1] * self.r_A if len(coef) > 1 else 0.0

    def chi2(self) -> float:
        """χ² = Σ (model - data)² / σ² over every target's range."""
        a = self.arrays
        return float(
            sum(
                np.sum(a["wgt"][q] * (self.model(q) - a["y"][q]) ** 2)
                for q in range(len(self.targets))
            )
        )

    def rw(self, q: int = 0) -> float:
        """R_w = sqrt(Σ (y - model)² / Σ y²) over the fitted range of target ``q``."""
        a = self.arrays
        sel = a["wgt"][q] > 0
        y = a["y"][q][sel]
        return float(np.sqrt(np.sum((y - self.model(q)[sel]) ** 2) / np.sum(y**2)))

    # -- run ----------------------------------------------------------------------------
    def run(
        self,
        n_moves: int,
        *,
        chunk: int = 20000,
        checkpoint: str | Path | None = None,
        progress: Callable[[dict[str, float]], None] | None = None,
        verify: bool = True,
    ) -> RMCState:
        """Attempt ``n_moves`` moves in chunks; verify, refit scales, log and checkpoint after each.

        After every chunk the model curves are recomputed from the histograms (:meth:`verify`;
        with a checkpoint, the histograms from the positions too) and the relative χ² drift
        of the incremental bookkeeping is logged as ``chi2_drift`` (a warning above
        ``DRIFT_TOL``); ``verify=False`` skips that (to test the bookkeeping itself).
        """
        a = self.arrays
        p = self.params
        done = 0
        while done < n_moves:
            m = min(chunk, n_moves - done)
            stats = np.zeros(5, np.int64)
            t0 = time.perf_counter()
            run_moves(
                m, int(p["seed"]) * 1_000_003 + self.chunks_done, p["p_group"],
                p["step_single_A"], p["step_group_A"], np.radians(p["rot_group_deg"]),
                self.frac, self.lattice_A, np.linalg.inv(self.lattice_A), a["types"],
                a["tp_table"], a["group_of"], a["grp_ptr"], a["grp_atoms"], a["movable"],
                a["bond_ptr"], a["bond_j"], a["bond_lo"], a["bond_hi"], a["dmin2"],
                a["ncol"], a["coffs"], a["cdz"], p["rmax_A"], p["dr_A"], a["hist"], a["coef"],
                a["chan"], a["amp"], a["kern"], a["ktap"], a["extra"], a["y"], a["wgt"],
                a["scale"], a["total"], a["conv"], stats,
            )  # fmt: skip
            dt = time.perf_counter() - t0
            done += m
            self.moves_done += m
            self.chunks_done += 1
            drift, bad_bins = self.verify(recount=checkpoint is not None) if verify else (0.0, 0)
            if drift > DRIFT_TOL or bad_bins:
                warnings.warn(
                    f"RMC: the incremental model drifted by {drift:.2e} in χ² ({bad_bins} "
                    "histogram bins differed); recomputed from scratch",
                    RuntimeWarning,
                    stacklevel=2,
                )
            self.fit_scales()
            row = {
                "moves": float(self.moves_done),
                "chi2": self.chi2(),
                "rw": self.rw(0),
                "accept_single": stats[1] / max(stats[0], 1),
                "accept_group": stats[3] / max(stats[2], 1),
                "refused_by_constraints": stats[4] / max(m, 1),
                "moves_per_s": m / dt,
                "chi2_drift": drift,
            }
            self.history.append(row)
            if progress is not None:
                progress(row)
            if checkpoint is not None:
                self.save(checkpoint)
        return self

    # -- output -------------------------------------------------------------------------
    def crystal(self, source: str = "RMC model") -> Crystal:
        """Return the current model as a P1 crystal."""
        return Crystal.from_fractional(self.species, self.frac % 1.0, self.lattice_A, source=source)

    def save(self, path: str | Path) -> None:
        """Write a resumable checkpoint (``.npz``; written to a temporary name, then renamed)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        extra: dict[str, Any] = {f"a_{k}": v for k, v in self.arrays.items() if k not in _DERIVED}
        tg: dict[str, Any] = {}
        for q, t in enumerate(self.targets):
            tg[f"t{q}_r"], tg[f"t{q}_y"] = t.r_A, t.y
        # rows of a resumed older checkpoint may lack newer keys: the union, NaN where missing
        keys = list(dict.fromkeys(k for h in self.history for k in h))
        np.savez_compressed(
            tmp,
            species=np.array(self.species),
            lattice=self.lattice_A,
            frac=self.frac,
            params=np.array(list(self.params.items()), dtype=object),
            counters=np.array([self.moves_done, self.chunks_done]),
            history=np.array([[h.get(k, np.nan) for k in keys] for h in self.history]),
            history_keys=np.array(keys),
            targets=np.array(
                [
                    (
                        t.name,
                        t.kind,
                        *t.r_range_A,
                        t.sigma,
                        t.probe,
                        t.qmax_invA,
                        t.lorch,
                        t.weighting,
                    )
                    for t in self.targets
                ],
                dtype=object,
            ),
            **extra,
            **tg,
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> RMCState:
        """Resume from a checkpoint written by :meth:`save`."""
        z = np.load(path, allow_pickle=True)
        arrays = {k[2:]: z[k] for k in z.files if k.startswith("a_")}
        targets = [
            RMCTarget(
                str(n),
                str(k),
                z[f"t{q}_r"],
                z[f"t{q}_y"],
                (float(lo), float(hi)),
                float(s),
                str(pr),
                None if qm is None else float(qm),
                bool(lorch),
                str(row[0]) if row else "z",  # checkpoints before 'weighting': Z weights
            )
            for q, (n, k, lo, hi, s, pr, qm, lorch, *row) in enumerate(z["targets"])
        ]
        # checkpoints before the per-pair channels: one channel per target
        arrays.setdefault("chan", np.arange(len(targets), dtype=np.int64))
        # before the per-channel kernel cut: every channel uses its full kernel
        hw = (arrays["kern"].shape[1] - 1) // 2
        arrays.setdefault("ktap", np.full(len(arrays["chan"]), hw, dtype=np.int64))
        keys = [str(k) for k in z["history_keys"]]
        state = cls(
            tuple(str(s) for s in z["species"]),
            z["lattice"],
            z["frac"].copy(),
            arrays,
            targets,
            {str(k): float(v) for k, v in z["params"]},
            int(z["counters"][0]),
            int(z["counters"][1]),
            [dict(zip(keys, map(float, row), strict=True)) for row in z["history"]],
        )
        state.arrays["hist"] = np.zeros((len(state.arrays["coef"][0]), len(state.arrays["y"][0])))
        state._rebuild()
        return state


_DERIVED = (
    "cell_atoms", "cell_count", "cell_of", "slot_of", "hist", "total", "conv", "ncol", "coffs",
    "cdz",
)  # fmt: skip
