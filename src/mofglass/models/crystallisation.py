"""Non-isothermal crystallisation of a supercooled liquid by nucleation and growth (JMAK).

Classical forms (Uhlmann's kinetic treatment of glass formation):

- viscosity of the liquid from Tg and fragility m by MYEGA [2]_:
  log10 η = log10 η∞ + (12 − log10 η∞)(Tg/T) exp[(m/(12 − log10 η∞) − 1)(Tg/T − 1)];
- growth rate U = f k_B T / (3π a0² η) · [1 − exp(−ΔG/RT)], with the Turnbull driving force
  ΔG = ΔHm (Tm − T)/Tm;
- homogeneous nucleation rate I = (I0/η) exp[−b / (Tr ΔTr²)], Tr = T/Tm, ΔTr = 1 − Tr.

The crystallised fraction follows the Johnson-Mehl-Avrami-Kolmogorov extended volume for
time-dependent I and U [1]_: X = 1 − exp(−X_ext), X_ext(t) = (4π/3) ∫ I(t') [R(t) − R(t')]³ dt',
with R(t) = ∫ U dt, plus ``seeds_per_m3`` pre-existing nuclei that only grow. Expanding the
cube makes the integral a sum of four running moments, so a programme of n steps costs O(n).
Crystals melt on heating over ``melting_range_C`` below Tm (Tm is the offset of the endotherm).

References
----------
.. [1] D. R. Uhlmann, J. Non-Cryst. Solids 7 (1972) 337.
.. [2] J. C. Mauro, Y. Yue, A. J. Ellison, P. K. Gupta, D. C. Allan, PNAS 106 (2009) 19780.
.. [3] M. Avrami, J. Chem. Phys. 7 (1939) 1103; 8 (1940) 212.
.. [4] M. D. Ediger, P. Harrowell, L. Yu, J. Chem. Phys. 128 (2008) 034709 (growth decoupled
       from viscosity in fragile liquids).
.. [5] J. Málek, Thermochim. Acta 355 (2000) 239 (saturating conversion in the kinetic analysis
       of crystallisation; X normalised by the final conversion).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mofglass._numba import njit
from mofglass._renamed import renamed_function, renamed_keywords
from mofglass.models.program import TemperatureProgram
from mofglass.units import R_GAS, ZERO_CELSIUS_K

__all__ = [
    "CrystallisationParameters",
    "CrystallisationTrace",
    "critical_cooling_rate_C_min",
    "critical_cooling_rate_K_min",
    "simulate_crystallisation",
]

K_B = 1.380649e-23  # J/K


@dataclass(frozen=True)
class CrystallisationParameters:
    """Material parameters of the nucleation-and-growth model.

    Attributes
    ----------
    tm_C, tg_C : float
        Melting (liquidus) and glass-transition temperatures, °C.
    melting_enthalpy_kJ_mol : float
        ΔHm per formula unit, kJ/mol (Turnbull driving force).
    fragility_m : float
        Kinetic fragility (MYEGA viscosity).
    log10_eta_inf_Pa_s : float
        High-temperature limit of log10 viscosity (MYEGA; -3 is the usual universal value).
    jump_distance_m : float
        a0 in the growth rate (m).
    growth_site_fraction : float
        f in the growth rate (1 for normal growth).
    max_fraction : float
        X∞, the largest fraction that can crystallise (0 < X∞ <= 1): X = X∞ [1 − exp(−X_ext)].
        Below 1 where crystallisation saturates, as in a glass-ceramic whose remaining glass
        does not crystallise below melting (the "stops at 59 %" of the Cd(im)2 glass) [5]_.
    melting_range_C : float
        Crystals melt over this range below Tm on heating: the crystalline fraction is capped
        at (Tm − T)/range, so Tm is the offset of the melting endotherm (as the paper reports
        it); 0 melts instantly at Tm.
    decoupling_exponent : float
        ξ of the fractional Stokes-Einstein relation U ∝ (η(Tm)/η)^ξ (1: growth follows
        viscosity; < 1: growth decoupled from viscosity near Tg, as in fragile liquids [4]_).
    nucleation_prefactor : float
        I0 (Pa s m^-3 s^-1): I = I0/η exp(...).
    nucleation_barrier : float
        b, dimensionless barrier of homogeneous nucleation.
    seeds_per_m3 : float
        Pre-existing nuclei (surviving crystallites, defects, impurity particles).
    """

    tm_C: float
    tg_C: float
    melting_enthalpy_kJ_mol: float
    fragility_m: float
    nucleation_prefactor: float = 1e40
    nucleation_barrier: float = 1.0
    seeds_per_m3: float = 0.0
    log10_eta_inf_Pa_s: float = -3.0
    jump_distance_m: float = 5e-10
    growth_site_fraction: float = 1.0
    decoupling_exponent: float = 1.0
    max_fraction: float = 1.0
    melting_range_C: float = 15.0

    def __post_init__(self) -> None:
        if not 0.0 < self.max_fraction <= 1.0:
            raise ValueError(f"max_fraction must be in (0, 1], got {self.max_fraction}")
        if self.tm_C <= self.tg_C:
            raise ValueError(f"need Tm > Tg, got Tm {self.tm_C} °C and Tg {self.tg_C} °C")

    def viscosity_Pa_s(self, temperature_C: np.ndarray | float) -> np.ndarray:
        """MYEGA viscosity (Pa s)."""
        tg = self.tg_C + ZERO_CELSIUS_K
        T = np.asarray(temperature_C, dtype=float) + ZERO_CELSIUS_K
        e = self.log10_eta_inf_Pa_s
        r = tg / T
        return 10.0 ** (
            e + (12.0 - e) * r * np.exp((self.fragility_m / (12.0 - e) - 1.0) * (r - 1.0))
        )

    def growth_rate_m_s(self, temperature_C: np.ndarray | float) -> np.ndarray:
        """Crystal growth rate U (m/s); 0 at and above Tm."""
        T = np.asarray(temperature_C, dtype=float) + ZERO_CELSIUS_K
        tm = self.tm_C + ZERO_CELSIUS_K
        dG = self.melting_enthalpy_kJ_mol * 1e3 * (tm - T) / tm
        eta = self.viscosity_Pa_s(temperature_C)
        eta_m = self.viscosity_Pa_s(self.tm_C)
        eta_eff = eta_m * (eta / eta_m) ** self.decoupling_exponent
        u = self.growth_site_fraction * K_B * T / (3 * math.pi * self.jump_distance_m**2 * eta_eff)
        return np.where(T < tm, u * (1.0 - np.exp(-dG / (R_GAS * T))), 0.0)

    def nucleation_rate_m3_s(self, temperature_C: np.ndarray | float) -> np.ndarray:
        """Homogeneous nucleation rate I (m^-3 s^-1); 0 at and above Tm."""
        T = np.asarray(temperature_C, dtype=float) + ZERO_CELSIUS_K
        tm = self.tm_C + ZERO_CELSIUS_K
        tr = T / tm
        dtr = np.clip(1.0 - tr, 1e-9, None)
        if self.nucleation_prefactor <= 0:
            return np.zeros_like(T)
        log_eta = np.log(self.viscosity_Pa_s(temperature_C))
        ln_rate = (
            math.log(self.nucleation_prefactor) - log_eta - self.nucleation_barrier / (tr * dtr**2)
        )
        return np.where(T < tm, np.exp(np.clip(ln_rate, -745.0, 700.0)), 0.0)


@dataclass(frozen=True)
class CrystallisationTrace:
    """Crystallised fraction along a programme.

    Attributes
    ----------
    time_min, temperature_C : ndarray
        The sampled programme.
    fraction : ndarray
        Crystallised volume fraction X (0..1).
    segment : ndarray
        Segment index per point.
    nuclei_per_m3 : ndarray
        Number density of nuclei born so far (reset on melting).
    """

    time_min: np.ndarray
    temperature_C: np.ndarray
    fraction: np.ndarray
    segment: np.ndarray
    nuclei_per_m3: np.ndarray

    @property
    def final_fraction(self) -> float:
        """Return the crystallised fraction at the end of the programme."""
        return float(self.fraction[-1])

    @property
    def mean_grain_diameter_nm(self) -> float:
        """Return the mean crystal diameter at the end in nm, d = (6 X / (π N))^(1/3).

        The extended volume is shared equally among the N nuclei born; impingement ignored.
        """
        n = float(self.nuclei_per_m3[-1])
        if n <= 0 or self.final_fraction <= 0:
            return math.nan
        return (6.0 * self.final_fraction / (math.pi * n)) ** (1.0 / 3.0) * 1e9


@njit(cache=True)
def _jmak_kernel(t_s, rate_I, rate_U, seeds, cap, x_max):
    n = t_s.shape[0]
    x = np.zeros(n)
    nuclei = np.zeros(n)
    nuclei[0] = seeds
    # running moments of the nucleated population: sum I dt R'^k, k = 0..3 (R' at birth)
    m0 = seeds
    m1 = 0.0
    m2 = 0.0
    m3 = 0.0
    radius = 0.0
    seeds0 = seeds
    for i in range(1, n):
        dt = t_s[i] - t_s[i - 1]
        if cap[i] <= 0.0:
            m0 = seeds0
            m1 = 0.0
            m2 = 0.0
            m3 = 0.0
            radius = 0.0
            x[i] = 0.0
            nuclei[i] = seeds0
            continue
        u = 0.5 * (rate_U[i] + rate_U[i - 1])
        nuc = 0.5 * (rate_I[i] + rate_I[i - 1]) * dt
        r_mid = radius + 0.5 * u * dt
        m0 += nuc
        m1 += nuc * r_mid
        m2 += nuc * r_mid * r_mid
        m3 += nuc * r_mid * r_mid * r_mid
        radius += u * dt
        ext = (4.0 * math.pi / 3.0) * (
            m0 * radius**3 - 3.0 * m1 * radius**2 + 3.0 * m2 * radius - m3
        )
        x[i] = x_max * (1.0 - math.exp(-ext)) if ext > 0 else 0.0
        if x[i] > cap[i]:
            x[i] = cap[i]
        nuclei[i] = m0
    return x, nuclei


def simulate_crystallisation(
    params: CrystallisationParameters,
    program: TemperatureProgram,
    *,
    step_C: float = 0.5,
    start_fraction: float = 0.0,
) -> CrystallisationTrace:
    """Crystallised fraction along a temperature programme (starting from a liquid or glass).

    Parameters
    ----------
    params : CrystallisationParameters
        Material parameters.
    program : TemperatureProgram
        The programme; above Tm crystals melt and the nucleus population is reset.
    step_C : float
        Temperature step of the discretisation, °C.
    start_fraction : float
        Only 0 is supported for a JMAK start (a partly crystalline start needs its nuclei).
    """
    if start_fraction != 0.0:
        raise ValueError("only an initially uncrystallised liquid or glass is supported")
    t_min, T_C, seg = program.sample(step_C=step_C)
    rate_I = params.nucleation_rate_m3_s(T_C)
    rate_U = params.growth_rate_m_s(T_C)
    if params.melting_range_C > 0:
        cap = np.clip((params.tm_C - T_C) / params.melting_range_C, 0.0, 1.0)
    else:
        cap = np.where(T_C >= params.tm_C, 0.0, 1.0)
    x, nuclei = _jmak_kernel(
        t_min * 60.0, rate_I, rate_U, float(params.seeds_per_m3), cap, float(params.max_fraction)
    )
    return CrystallisationTrace(t_min, T_C, x, seg, nuclei)


@renamed_keywords(bounds_C_min="bounds_K_min")
def critical_cooling_rate_K_min(
    params: CrystallisationParameters,
    *,
    threshold_fraction: float = 0.01,
    start_C: float | None = None,
    end_C: float | None = None,
    bounds_K_min: tuple[float, float] = (1e-3, 1e7),
) -> float:
    """Slowest cooling rate (K/min) that keeps the crystallised fraction below a threshold.

    The liquid is cooled from just above Tm to well below Tg; the rate is found by bisection on
    log q (the final fraction decreases monotonically with rate for this model).

    Parameters
    ----------
    threshold_fraction : float
        Largest crystallised fraction still called a glass (Uhlmann used 1e-6 for "no
        detectable crystals"; 0.01 is the DSC/PXRD detection level).
    """
    start = params.tm_C + 1.0 if start_C is None else start_C
    end = params.tg_C - 50.0 if end_C is None else end_C

    def final(q: float) -> float:
        prog = TemperatureProgram.linear(start, end, q)
        return simulate_crystallisation(params, prog, step_C=0.5).final_fraction

    lo, hi = math.log(bounds_K_min[0]), math.log(bounds_K_min[1])
    if final(math.exp(hi)) >= threshold_fraction:
        return math.inf
    if final(math.exp(lo)) < threshold_fraction:
        return 0.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if final(math.exp(mid)) >= threshold_fraction:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-3:
            break
    return math.exp(hi)


critical_cooling_rate_C_min = renamed_function(
    "critical_cooling_rate_C_min", critical_cooling_rate_K_min
)
