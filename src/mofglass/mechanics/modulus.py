r"""Young's modulus of the sample from the reduced (indentation) modulus.

Full relation (Oliver-Pharr 1992 [1]_, eq. 2):

.. math:: \frac{1}{E_r} = \frac{1-ν^2}{E} + \frac{1-ν_i^2}{E_i}

with a diamond indenter Ei = 1141 GPa, νi = 0.07. The Cd(im)2 paper [2]_ neglects the indenter
term, E = (1 - ν²)·Er (:func:`youngs_modulus_rigid_indenter`), which is within 0.6 % of the full
relation for Er of a few GPa.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
.. [2] The Cd(im)2 paper (shared/paper): Er 7.52 ± 0.41 GPa -> E 7.22 (ν = 0.2) and 6.32 GPa
   (ν = 0.4); Er 6.45 ± 0.45 GPa -> 6.19 and 5.42 GPa.
"""

from __future__ import annotations

from mofglass.results import Measured

__all__ = [
    "DIAMOND_MODULUS_GPA",
    "DIAMOND_POISSON_RATIO",
    "reduced_modulus_from_youngs",
    "youngs_modulus",
    "youngs_modulus_rigid_indenter",
]

DIAMOND_MODULUS_GPA = 1141.0
DIAMOND_POISSON_RATIO = 0.07


def _as_measured(value: float | Measured) -> Measured:
    return value if isinstance(value, Measured) else Measured(float(value), None, "GPa")


def _check_nu(nu: float) -> None:
    if not -1.0 < nu < 0.5 + 1e-12:
        raise ValueError(f"Poisson's ratio must lie in (-1, 0.5], got {nu}")


def youngs_modulus(
    reduced_modulus_GPa: float | Measured,
    *,
    poisson_ratio: float,
    indenter_modulus_GPa: float = DIAMOND_MODULUS_GPA,
    indenter_poisson_ratio: float = DIAMOND_POISSON_RATIO,
) -> Measured:
    """E from Er with the indenter's elasticity, E = (1-ν²) / (1/Er - (1-νi²)/Ei).

    Parameters
    ----------
    reduced_modulus_GPa : float or Measured
        Reduced modulus in GPa (its uncertainty is propagated).
    poisson_ratio : float
        Poisson's ratio ν of the sample.
    indenter_modulus_GPa, indenter_poisson_ratio : float
        Indenter Ei (GPa) and νi; diamond by default.

    Returns
    -------
    Measured
        E in GPa.
    """
    _check_nu(poisson_ratio)
    er = _as_measured(reduced_modulus_GPa)
    k = (1 - indenter_poisson_ratio**2) / indenter_modulus_GPa
    denom = 1.0 / er.value - k
    if denom <= 0:
        raise ValueError(f"Er = {er.value} GPa is not below the indenter's limit {1 / k:.4g} GPa")
    e = (1 - poisson_ratio**2) / denom
    err = None if er.stderr is None else e / (er.value**2 * denom) * er.stderr
    return Measured(e, err, "GPa")


def youngs_modulus_rigid_indenter(
    reduced_modulus_GPa: float | Measured, *, poisson_ratio: float
) -> Measured:
    """E = (1 - ν²)·Er: the rigid-indenter approximation used in the Cd(im)2 paper.

    Examples
    --------
    >>> round(youngs_modulus_rigid_indenter(7.52, poisson_ratio=0.2).value, 2)
    7.22
    """
    _check_nu(poisson_ratio)
    er = _as_measured(reduced_modulus_GPa)
    f = 1 - poisson_ratio**2
    return Measured(f * er.value, None if er.stderr is None else f * er.stderr, "GPa")


def reduced_modulus_from_youngs(
    youngs_modulus_GPa: float,
    *,
    poisson_ratio: float,
    indenter_modulus_GPa: float = DIAMOND_MODULUS_GPA,
    indenter_poisson_ratio: float = DIAMOND_POISSON_RATIO,
) -> float:
    """Er in GPa of a sample of Young's modulus E (GPa) under the given indenter.

    Examples
    --------
    >>> round(reduced_modulus_from_youngs(72.0, poisson_ratio=0.17), 1)  # fused silica
    69.6
    """
    _check_nu(poisson_ratio)
    return 1.0 / (
        (1 - poisson_ratio**2) / youngs_modulus_GPa
        + (1 - indenter_poisson_ratio**2) / indenter_modulus_GPa
    )
