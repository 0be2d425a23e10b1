"""``Result.plot(ax=None)``: the main curve of a result on one matplotlib Axes.

Each drawer reads the result's own arrays (never files) and draws on ``ax``, or on a new
figure made with the house style (:func:`mofglass.plotting.style.new_figure`) when ``ax`` is
None; it returns the Axes. Results whose type has no drawer here plot the 1-D arrays of
:meth:`mofglass.results.Result.curves` against the first one. The paper figures (two panels,
annotations, several samples) stay in the technique figure modules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from mofglass.plotting.style import PALETTE, apply_axes_style, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_result"]


def _axes(ax: Axes | None) -> Axes:
    return new_figure(3.5, 2.8).add_subplot() if ax is None else ax


def _label(name: str) -> str:
    """``two_theta_deg`` -> ``two theta (deg)``: the unit suffix of a field name as the unit."""
    for suffix, unit in (
        ("_deg", "°"),
        ("_A", "Å"),
        ("_nm", "nm"),
        ("_C", "°C"),
        ("_GPa", "GPa"),
        ("_invA", "Å⁻¹"),
    ):
        if name.endswith(suffix):
            return f"{name[: -len(suffix)].replace('_', ' ')} ({unit})"
    return name.replace("_", " ")


def _generic(result: Any, ax: Axes) -> None:
    """Plot the 1-D arrays of ``result.curves()`` against the first one."""
    curves = {k: np.asarray(v, float) for k, v in result.curves().items()}
    if len(curves) < 2:
        raise TypeError(f"{type(result).__name__} has no curves to plot")
    (xname, x), *rest = curves.items()
    for i, (name, y) in enumerate((k, v) for k, v in rest if v.shape == x.shape):
        ax.plot(x, y, lw=1.0, color=PALETTE[i % len(PALETTE)], label=_label(name))
    ax.set_xlabel(_label(xname))
    ax.legend(frameon=False, fontsize=8)


def _indentation(result: Any, ax: Axes) -> None:
    """Er against depth: each indent a marker, CSM profiles as mean ± SD bands (Figure 5)."""
    if result.profiles:
        from mofglass.mechanics.csm import average_profiles

        top = max(float(np.max(p.depth_nm)) for p in result.profiles)
        avg = average_profiles(result.profiles, depth_grid_nm=np.linspace(0.0, top, 200))
        mean, sd = avg.reduced_modulus_mean_GPa, avg.reduced_modulus_std_GPa
        n = len(result.profiles)
        ax.plot(avg.depth_nm, mean, color=PALETTE[0], label=f"mean of {n} profiles")
        ax.fill_between(avg.depth_nm, mean - sd, mean + sd, color=PALETTE[0], alpha=0.25, lw=0)
    if result.indents:
        d = [r.max_depth_nm.value for r in result.indents]
        er = [r.reduced_modulus_GPa.value for r in result.indents]
        ax.plot(d, er, "o", ms=3.5, color=PALETTE[1], label="indents")
    m = result.reduced_modulus_GPa
    ax.axhline(m.value, color="0.4", lw=0.8, ls="--", label=f"Er = {m}")
    ax.set_xlabel("Depth (nm)")
    ax.set_ylabel("$E_r$ (GPa)")
    ax.legend(frameon=False, fontsize=8)


def _spectrum(result: Any, ax: Axes) -> None:
    ax.plot(result.x, result.y, lw=1.0, color=PALETTE[0], label=result.y_kind)
    for i, (x, model) in enumerate(zip(result.fit_x, result.fit_model, strict=True)):
        ax.plot(x, model, lw=1.0, ls="--", color=PALETTE[1], label="fit" if i == 0 else None)
    ax.set_xlabel(_label(result.x_unit).replace("wavenumber cm1", "wavenumber (cm⁻¹)"))
    ax.set_ylabel(result.y_kind)
    if result.x_unit in ("wavenumber_cm1", "shift_ppm"):
        ax.invert_xaxis()
    ax.legend(frameon=False, fontsize=8)


def _whole_pattern(result: Any, ax: Axes) -> None:
    x = np.asarray(result.two_theta_deg, float)
    obs, calc = np.asarray(result.observed, float), np.asarray(result.calculated, float)
    ax.plot(x, obs, ".", ms=1.5, color="0.2", label="observed")
    ax.plot(x, calc, lw=0.8, color=PALETTE[1], label=f"calculated (Rwp {result.rwp:.3g})")
    offset = obs.min() - 0.1 * np.ptp(obs)
    ax.plot(x, obs - calc + offset, lw=0.6, color=PALETTE[0], label="difference")
    ax.set_xlabel("2θ (°)")
    ax.set_ylabel("Intensity")
    ax.legend(frameon=False, fontsize=8)


def _pattern(result: Any, ax: Axes) -> None:
    """Observed powder pattern, its background and the peak fit (NaN outside its windows)."""
    c = result.curves()
    x = np.asarray(c["two_theta_deg"], float)
    for i, (key, label) in enumerate(
        (("intensity", "observed"), ("background", "background"), ("model", "peak fit"))
    ):
        ax.plot(x, np.asarray(c[key], float), lw=0.8, color=PALETTE[i], label=label)
    ax.set_xlabel("2θ (°)")
    ax.set_ylabel("Intensity")
    ax.legend(frameon=False, fontsize=8)


def _structure(result: Any, ax: Axes) -> None:
    """Metal-metal distances as sticks: count per metal against r, intra- and inter-network."""
    kinds: dict[str, Any] = {}
    for m in result.metal_metal_distances:
        kinds.setdefault(m["kind"], []).append((m["r_A"], m["count"]))
    for i, (kind, pairs) in enumerate(sorted(kinds.items())):
        r, n = np.array(pairs, float).T
        sticks_x = np.column_stack([r, r, np.full_like(r, np.nan)]).ravel()
        sticks_y = np.column_stack([np.zeros_like(n), n, np.full_like(n, np.nan)]).ravel()
        ax.plot(sticks_x, sticks_y, color=PALETTE[i % len(PALETTE)], lw=1.5, label=kind)
    ax.set_xlabel("r (Å)")
    ax.set_ylabel("Metal neighbours per metal")
    if kinds:
        ax.legend(frameon=False, fontsize=8)


def _needs_trace(result: Any, trace: Any) -> Any:
    if trace is None:
        name = type(result).__name__
        raise TypeError(
            f"{name} keeps the numbers, not the curve: pass the thermogram it was analysed "
            "from, result.plot(trace=read_thermogram(...))"
        )
    return trace


def _dsc(result: Any, ax: Axes, *, trace: Any = None) -> None:
    """Heat flow (endothermic up) of every segment; event peaks and Tg midpoints marked."""
    y_all = _needs_trace(result, trace).endo_positive()
    for i, seg in enumerate(result.segments):
        sl = seg.segment.slice()
        T, y = np.asarray(trace.temperature_C)[sl], y_all[sl]
        color = PALETTE[i % len(PALETTE)]
        ax.plot(T, y, lw=1.0, color=color, label=f"{seg.index}: {seg.segment.kind}")
        order = np.argsort(T)
        peaks = [e.peak_C.value for e in seg.events]
        if peaks:
            ax.plot(peaks, np.interp(peaks, T[order], y[order]), "v", ms=4, color=color)
        if seg.glass is not None:
            ax.axvline(seg.glass.midpoint_C.value, color=color, lw=0.6, ls=":")
    ax.set_xlabel("Temperature (°C)")
    ax.set_ylabel("Heat flow (W/g, endo up)")
    ax.legend(frameon=False, fontsize=8)


def _tga(result: Any, ax: Axes, *, trace: Any = None) -> None:
    """Mass (%) against temperature with the extrapolated decomposition onset marked."""
    from mofglass.thermal.summary import tga_curves

    c = tga_curves(_needs_trace(result, trace))
    ax.plot(c["temperature_C"], c["mass_percent"], lw=1.0, color=PALETTE[0], label="TG")
    onset = result.onset.decomposition_onset_C
    if not result.onset.flag:  # a flagged onset is no result
        ax.axvline(onset.value, color="0.4", lw=0.8, ls="--", label=f"Td = {onset}")
    ax.set_xlabel("Temperature (°C)")
    ax.set_ylabel("Mass (%)")
    ax.legend(frameon=False, fontsize=8)


_DRAWERS: dict[str, Callable[..., None]] = {
    "DSCAnalysis": _dsc,
    "TGAAnalysis": _tga,
    "IndentationAnalysis": _indentation,
    "SpectrumAnalysis": _spectrum,
    "PawleyResult": _whole_pattern,
    "PatternAnalysis": _pattern,
    "StructureSummary": _structure,
}


def plot_result(result: Any, ax: Axes | None = None, **data: Any) -> Axes:
    """Draw ``result`` on ``ax`` (a new styled figure when None) and return the Axes.

    Parameters
    ----------
    result : mofglass.results.Result
        An analysis result.
    ax : matplotlib.axes.Axes, optional
        Where to draw.
    **data
        What a result does not keep: ``trace=`` (the Thermogram) for DSC and TGA results.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    target = _axes(ax)
    _DRAWERS.get(type(result).__name__, _generic)(result, target, **data)
    apply_axes_style(target)
    return target
