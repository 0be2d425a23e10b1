"""Synthetic thermograms with known parameters: the forward model of the tests and the demo.

A run is a list of :class:`Ramp` segments (heating, cooling or isothermal holds). The specific
heat flow (W/g, endothermic positive before the sign convention is applied) is

``q(t) * [cp0 + cp1 (T - 25) + Σ ΔCp Φ((T - Tg)/σ)] + Σ ΔH |q| N(T; Tc, σ_p) + drift t + noise``

with ``q`` the rate in K/s, Φ the standard normal CDF (glass step, midpoint and inflection at Tg,
tangent onset at ``Tg - σ sqrt(2π)/2``) and N a normal density (peak, tangent onset / offset at
``Tc ∓ 2 σ_p``). A mass loss is ``L Φ((T_max - Tc)/σ)`` of the running maximum temperature, so it
does not come back on cooling; its extrapolated onset (ASTM E2550 tangent) is ``Tc - σ sqrt(2π)/2``.
The DTA channel (µV) is ``dta_gain`` times the heat flow, with the same exo direction as the heat
flow (the one the export's ``#EXO`` declares).

Every parameter is physical and stated, so a test can compare what the analysis recovers with
what was put in (closed forms above).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr

from mofglass.thermal.thermogram import Thermogram
from mofglass.units import ZERO_CELSIUS_K

__all__ = ["GlassStep", "MassLoss", "Peak", "Ramp", "fictive_for_rate", "synthetic_thermogram"]

_SQRT_2PI_HALF = np.sqrt(2 * np.pi) / 2


@dataclass(frozen=True)
class Peak:
    """A melting (``enthalpy_J_g`` > 0) or crystallisation (< 0) peak.

    ``center_C`` is the peak temperature; ``fwhm_C`` its full width at half maximum in K.
    Tangent onset and offset are ``center ∓ 2 σ`` with ``σ = fwhm / 2.3548``.
    """

    center_C: float
    fwhm_C: float
    enthalpy_J_g: float

    @property
    def sigma_C(self) -> float:
        """Return the Gaussian sigma in K of the peak's FWHM."""
        return self.fwhm_C / (2 * np.sqrt(2 * np.log(2)))

    @classmethod
    def from_offset(cls, offset_C: float, fwhm_C: float, enthalpy_J_g: float) -> Peak:
        """Return a peak whose tangent offset (endset) is ``offset_C``."""
        sigma = fwhm_C / (2 * np.sqrt(2 * np.log(2)))
        return cls(offset_C - 2 * sigma, fwhm_C, enthalpy_J_g)


@dataclass(frozen=True)
class GlassStep:
    """A heat-capacity step of ``delta_cp_J_gK``, midpoint ``tg_C``, width ``sigma_C`` (K)."""

    tg_C: float
    delta_cp_J_gK: float
    sigma_C: float = 4.0

    @property
    def onset_C(self) -> float:
        """Tangent onset of the step (E1356 construction on the ideal shape)."""
        return self.tg_C - self.sigma_C * _SQRT_2PI_HALF


@dataclass(frozen=True)
class MassLoss:
    """A decomposition step losing ``loss_percent`` with extrapolated onset ``onset_C``."""

    onset_C: float
    loss_percent: float
    sigma_C: float = 8.0

    @property
    def center_C(self) -> float:
        """Return the step centre in °C (onset + sigma sqrt(2 pi)/2)."""
        return self.onset_C + self.sigma_C * _SQRT_2PI_HALF


@dataclass(frozen=True)
class Ramp:
    """One programme segment: a ramp, or an isothermal hold when ``rate_K_min`` is 0.

    A ramp goes from ``start_C`` to ``end_C`` at ``rate_K_min`` (sign ignored); a hold lasts
    ``hold_min`` at ``start_C``.

    ``peaks`` and ``glass`` are the events seen during this segment. ``cooling_profile`` "linear"
    or "newton" (exponential approach to ``end_C``, like an instrument's fastest quench; the rate
    given is then the average from start to end).
    """

    start_C: float
    end_C: float
    rate_K_min: float = 10.0
    peaks: tuple[Peak, ...] = ()
    glass: GlassStep | None = None
    hold_min: float = 0.0
    profile: str = "linear"


@dataclass(frozen=True)
class _Baseline:
    cp0_J_gK: float = 1.0
    cp1_J_gK2: float = 1e-3
    extra: dict[str, float] = field(default_factory=dict)


def _ramp_temperatures(r: Ramp, dt: float) -> np.ndarray:
    if r.rate_K_min == 0:
        n = max(int(np.rint(r.hold_min * 60 / dt)), 2)
        return np.full(n, float(r.start_C))
    dur = abs(r.end_C - r.start_C) / abs(r.rate_K_min) * 60.0
    n = max(int(np.rint(dur / dt)), 2)
    s = np.linspace(0.0, 1.0, n)
    if r.profile == "newton":
        # exponential approach; k chosen so that the curve ends 2 % short, then rescaled
        k = 3.0
        frac = (1 - np.exp(-k * s)) / (1 - np.exp(-k))
        return r.start_C + (r.end_C - r.start_C) * frac
    return r.start_C + (r.end_C - r.start_C) * s


def synthetic_thermogram(
    program: Sequence[Ramp],
    *,
    sample_mass_mg: float = 10.0,
    cp0_J_gK: float = 1.0,
    cp1_J_gK2: float = 1e-3,
    sampling_s: float = 2.0,
    noise_W_g: float = 0.0,
    drift_W_g_h: float = 0.0,
    mass_losses: Sequence[MassLoss] = (),
    dta_gain_uV_per_W_g: float | None = None,
    exo_up: bool = False,
    seed: int = 0,
    source: str = "<synthetic>",
) -> Thermogram:
    """Simulate a DSC / TG / DTA run with known parameters (see module docstring).

    Parameters
    ----------
    program : sequence of Ramp
        The temperature programme with its events.
    sample_mass_mg : float
        Initial sample mass in mg.
    cp0_J_gK, cp1_J_gK2 : float
        Baseline heat capacity ``cp0 + cp1 (T - 25 °C)`` in J/(g K).
    sampling_s : float
        Time between points in s.
    noise_W_g : float
        Standard deviation of white noise on the heat flow (W/g); 0.1 % of it on the mass.
    drift_W_g_h : float
        Linear drift of the heat flow with time, W/g per hour.
    mass_losses : sequence of MassLoss
        Decomposition steps (TG channel written when given).
    dta_gain_uV_per_W_g : float, optional
        Write a DTA channel, endothermic down.
    exo_up : bool
        Sign convention of the stored heat flow.
    seed : int
        Seed of the noise generator (numpy default_rng).
    """
    rng = np.random.default_rng(seed)
    temps: list[np.ndarray] = []
    hf: list[np.ndarray] = []
    for r in program:
        T = _ramp_temperatures(r, sampling_s)
        q = np.gradient(T, sampling_s) if len(T) > 1 else np.zeros_like(T)  # K/s
        cp = cp0_J_gK + cp1_J_gK2 * (T - 25.0)
        if r.glass is not None:
            cp = cp + r.glass.delta_cp_J_gK * ndtr((T - r.glass.tg_C) / r.glass.sigma_C)
        h = q * cp
        for p in r.peaks:
            s = p.sigma_C
            h = h + p.enthalpy_J_g * np.abs(q) * np.exp(-0.5 * ((T - p.center_C) / s) ** 2) / (
                s * np.sqrt(2 * np.pi)
            )
        temps.append(T)
        hf.append(h)
    T = np.concatenate(temps)
    time = np.arange(len(T)) * sampling_s
    h = np.concatenate(hf) + drift_W_g_h * time / 3600.0
    if noise_W_g > 0:
        h = h + rng.normal(0.0, noise_W_g, len(T))
    mass = None
    if mass_losses:
        tmax = np.maximum.accumulate(T)
        frac = np.zeros_like(T)
        for ml in mass_losses:
            frac += ml.loss_percent / 100.0 * ndtr((tmax - ml.center_C) / ml.sigma_C)
        mass = sample_mass_mg * (1.0 - frac)
        if noise_W_g > 0:
            mass = mass + rng.normal(0.0, 1e-4 * sample_mass_mg, len(T))
    dta = None if dta_gain_uV_per_W_g is None else dta_gain_uV_per_W_g * (-h if exo_up else h)
    return Thermogram(
        time_s=time,
        temperature_C=T,
        heat_flow_W_g=-h if exo_up else h,
        mass_mg=mass,
        dta=dta,
        dta_unit="µV" if dta is not None else "",
        sample_mass_mg=sample_mass_mg,
        exo_up=exo_up,
        metadata={"synthetic": True, "segments": [_describe(r) for r in program]},
        source=source,
        fmt="synthetic",
    )


def _describe(r: Ramp) -> dict[str, float | str]:
    if r.rate_K_min == 0:
        return {
            "kind": "isothermal",
            "start_C": r.start_C,
            "end_C": r.start_C,
            "hold_min": r.hold_min,
        }
    kind = "heating" if r.end_C > r.start_C else "cooling"
    rate = abs(r.rate_K_min) if kind == "heating" else -abs(r.rate_K_min)
    return {"kind": kind, "start_C": r.start_C, "end_C": r.end_C, "rate_K_min": rate}


def fictive_for_rate(
    rate_K_min: float, *, tg_C: float, fragility_m: float, reference_rate_K_min: float = 10.0
) -> float:
    """Fictive temperature (°C) after cooling at ``rate_K_min`` for a liquid of fragility m.

    From ``log10(q/q_ref) = m (1 - Tg/Tf)`` (linear in Tg/Tf near Tg):
    ``Tf = Tg / (1 - log10(q/q_ref)/m)`` in kelvin; the inverse of
    :func:`mofglass.thermal.glass.fragility`.
    """
    tg = tg_C + ZERO_CELSIUS_K
    return (
        tg / (1.0 - np.log10(abs(rate_K_min) / reference_rate_K_min) / fragility_m) - ZERO_CELSIUS_K
    )
