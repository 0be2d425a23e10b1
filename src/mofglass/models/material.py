"""A material description (TOML) for calibrating the forward model on any glass former.

The file states what is known (Tm, Tg, ΔHm, m, formula) and what was observed, in the words of
:mod:`mofglass.models.calibration` (``fraction``, ``bound``, ``window``, ``saturation``,
``size``) or as measured DSC exotherms (``exotherm``: a file, the window of the peak and the
thermal history, turned into X(T) by :func:`mofglass.models.observed.conversion_from_exotherm`).
Programmes are written ``"465 -> 25 @ 42 -> 300 @ 10 -> hold 60"``: a start temperature (°C),
then ramps ``END @ RATE`` (°C, °C/min) and holds ``hold MINUTES``.

Examples
--------
The paper's Cd(im)2 file (:data:`mofglass.models.reference.CD_IM2_MATERIAL`: a ``[material]``
table with ``formula``, ``tm_C``, ``tg_C``, ``melting_enthalpy_kJ_mol``, ``fragility_m`` and the
``free`` parameter names, then its ``[[observation]]`` tables):

>>> from mofglass.models.reference import CD_IM2_MATERIAL
>>> material = material_from_text(CD_IM2_MATERIAL)
>>> material.formula, material.base.tm_C, len(material.observations)
('Cd(im)2', 455.0, 6)

A measured DSC exotherm as an observation:

.. code-block:: toml

    [[observation]]
    type = "exotherm"
    file = "reheat_10K.txt"
    program = "465 -> 25 @ 42 -> 330 @ 10"
    window_C = [195.0, 275.0]
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mofglass.composition import Composition
from mofglass.errors import InputFormatError, ManifestError
from mofglass.models.calibration import (
    ConversionCurveObservation,
    FractionBound,
    FractionObservation,
    Observation,
    SaturationObservation,
    SizeObservation,
    WindowObservation,
)
from mofglass.models.crystallisation import CrystallisationParameters
from mofglass.models.observed import conversion_from_exotherm
from mofglass.models.program import Segment, TemperatureProgram
from mofglass.units import ZERO_CELSIUS_K

__all__ = [
    "Material",
    "MaterialFile",
    "MaterialSpec",
    "ObservationSpec",
    "load_material",
    "material_from_spec",
    "material_from_text",
    "parse_program",
]

Temperature = Annotated[float, Field(ge=-ZERO_CELSIUS_K, le=5000.0)]
Fraction = Annotated[float, Field(gt=0.0, lt=1.0)]


def parse_program(text: str, *, source: str = "<program>") -> TemperatureProgram:
    """``"465 -> 25 @ 42 -> hold 30"`` -> :class:`TemperatureProgram` (°C, K/min, min)."""
    parts = [p.strip() for p in text.split("->")]
    expected = "'START -> END @ RATE -> hold MIN ...' (°C, K/min, min)"
    try:
        start = float(parts[0])
    except ValueError:
        raise InputFormatError(source, expected=expected, got=text) from None
    segments: list[Segment] = []
    for part in parts[1:]:
        try:
            if part.lower().startswith("hold"):
                minutes = float(part[4:])
                if not minutes > 0:
                    raise ValueError
                segments.append(
                    Segment(start if not segments else segments[-1].end_C, 1.0, minutes)
                )
                continue
            end, rate = (float(v) for v in part.split("@"))
        except ValueError:
            raise InputFormatError(source, expected=expected, got=part) from None
        if not (np.isfinite(end) and np.isfinite(rate) and rate > 0):
            raise InputFormatError(source, expected="a positive finite rate in K/min", got=part)
        segments.append(Segment(end, rate))
    if not segments:
        raise InputFormatError(source, expected=expected, got=text)
    return TemperatureProgram(start, tuple(segments))


class ObservationSpec(BaseModel):
    """One ``[[observation]]`` of a material: its type, programme and the type's keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["fraction", "bound", "window", "saturation", "size", "exotherm"]
    program: str
    label: str = ""
    fraction: Fraction | None = None
    at_C: Temperature | None = None
    at_most: Fraction | None = None
    at_least: Fraction | None = None
    start_C: Temperature | None = None
    end_C: Temperature | None = None
    from_C: Temperature | None = None
    to_C: Temperature | None = None
    diameter_nm: Annotated[float, Field(gt=0.0)] | None = None
    file: str | None = None
    window_C: tuple[Temperature, Temperature] | None = None
    sigma: Annotated[float, Field(gt=0.0, le=1.0)] = 0.02

    @model_validator(mode="after")
    def _needs(self) -> ObservationSpec:
        need = {
            "fraction": ("fraction",),
            "bound": (),
            "window": ("start_C", "end_C"),
            "saturation": ("fraction", "from_C", "to_C"),
            "size": ("diameter_nm",),
            "exotherm": ("file", "window_C"),
        }[self.type]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a '{self.type}' observation needs {', '.join(missing)}")
        if self.type == "bound" and self.at_most is None and self.at_least is None:
            raise ValueError("a 'bound' observation needs at_most, at_least or both")
        if self.window_C is not None and not self.window_C[0] < self.window_C[1]:
            raise ValueError(f"window_C must be ordered, got {list(self.window_C)}")
        return self


class MaterialSpec(BaseModel):
    """The ``[material]`` table: what is known of the glass former, and what to fit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    formula: str
    tm_C: Temperature
    tg_C: Temperature
    melting_enthalpy_kJ_mol: Annotated[float, Field(gt=0.0)]
    fragility_m: Annotated[float, Field(ge=14.0, le=250.0)]
    free: tuple[str, ...] = ("nucleation_prefactor", "nucleation_barrier", "decoupling_exponent")

    @model_validator(mode="after")
    def _order(self) -> MaterialSpec:
        from mofglass.models.calibration import _FREE

        unknown = [f for f in self.free if f not in _FREE]
        if unknown:
            raise ValueError(f"free: cannot fit {unknown}; choose from {sorted(_FREE)}")
        if not self.tg_C < self.tm_C:
            raise ValueError(f"tg_C ({self.tg_C}) must be below tm_C ({self.tm_C})")
        return self


class MaterialFile(BaseModel):
    """A whole material description: ``[material]`` and at least one ``[[observation]]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    material: MaterialSpec
    observation: list[ObservationSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Material:
    """A material file, read: known parameters, observations and the fitted names."""

    formula: str
    base: CrystallisationParameters
    observations: tuple[Observation, ...]
    free: tuple[str, ...]
    source: str


def _observation(
    o: ObservationSpec, where: str, folder: Path, formula: str, dhm_kJ_mol: float
) -> Observation:
    prog = parse_program(o.program, source=where)
    if o.type == "fraction":
        assert o.fraction is not None
        return FractionObservation(prog, o.fraction, o.at_C, o.label)
    if o.type == "bound":
        return FractionBound(prog, o.at_most, o.at_least, o.at_C, o.label)
    if o.type == "window":
        assert o.start_C is not None and o.end_C is not None
        return WindowObservation(prog, o.start_C, o.end_C, label=o.label)
    if o.type == "saturation":
        assert o.fraction is not None and o.from_C is not None and o.to_C is not None
        return SaturationObservation(prog, o.fraction, o.from_C, o.to_C, o.label)
    if o.type == "size":
        assert o.diameter_nm is not None
        return SizeObservation(prog, o.diameter_nm, o.label)
    return _exotherm(o, prog, folder, formula, dhm_kJ_mol)


def _exotherm(
    o: ObservationSpec, prog: TemperatureProgram, folder: Path, formula: str, dhm_kJ_mol: float
) -> ConversionCurveObservation:
    from mofglass.thermal import read_thermogram
    from mofglass.thermal.segments import find_segments

    assert o.file is not None and o.window_C is not None
    path = folder / o.file
    run = read_thermogram(path)
    q = run.heat_flow_W_g
    if q is None:
        raise InputFormatError(path, expected="a DSC heat-flow channel in W/g (or mW with a mass)")
    lo, hi = o.window_C
    # the heating segment that spans the window
    segs = [
        s
        for s in find_segments(run)
        if s.kind == "heating" and min(s.start_C, s.end_C) <= lo and max(s.start_C, s.end_C) >= hi
    ]
    if not segs:
        raise InputFormatError(path, expected=f"a heating segment spanning {lo:g}-{hi:g} °C")
    sl = segs[-1].slice()
    dhm_J_g = Composition.from_formula(formula).to_specific(dhm_kJ_mol)
    try:
        T, X = conversion_from_exotherm(
            run.time_s[sl], run.temperature_C[sl], q[sl], window_C=o.window_C, enthalpy_J_g=dhm_J_g
        )
    except ValueError as exc:
        raise InputFormatError(path, expected=str(exc)) from None
    step = max(1, T.size // 60)  # ~60 points per curve: the fit cost grows with them
    return ConversionCurveObservation(prog, T[::step], X[::step], o.sigma, o.label or o.file)


def load_material(path: str | Path) -> Material:
    """Read a material TOML file (see the module docstring).

    Raises
    ------
    ManifestError
        Invalid TOML or values out of range (names the file and the key).
    InputFormatError
        A DSC file or programme that cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(
            path, f"expected a readable material file (.toml), got {exc.strerror}"
        ) from None
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise ManifestError(
            path, f"expected UTF-8 text, got byte 0x{bad:02x} at offset {exc.start}"
        ) from None
    return material_from_text(text, source=str(path), folder=path.parent)


def material_from_text(text: str, *, source: str = "<material>", folder: Path = Path()) -> Material:
    """Return a material from TOML text; DSC files are looked up in ``folder``."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(source, f"expected valid TOML (not valid TOML: {exc})") from None
    try:
        spec = MaterialFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        if err["type"] == "missing":
            raise ManifestError(source, f"expected a {key!r} entry, got none") from None
        raise ManifestError(
            source, f"{key}: expected a valid value ({err['msg']}), got {err.get('input')!r}"
        ) from None
    return material_from_spec(spec, source=source, folder=folder)


def material_from_spec(
    spec: MaterialFile, *, source: str = "<material>", folder: Path = Path()
) -> Material:
    """Return a material from its validated description (a file's, or a manifest's inline table).

    Parameters
    ----------
    spec : MaterialFile
        The validated ``material`` table and observations.
    source : str
        Where it was written (for messages).
    folder : Path
        Folder against which relative DSC file names of ``exotherm`` observations resolve.

    Returns
    -------
    Material
    """
    m = spec.material
    base = CrystallisationParameters(m.tm_C, m.tg_C, m.melting_enthalpy_kJ_mol, m.fragility_m)
    try:
        Composition.from_formula(m.formula)
    except Exception as exc:
        raise ManifestError(source, f"material.formula: {exc}") from None
    obs = tuple(
        _observation(o, f"{source}:observation[{k}]", folder, m.formula, m.melting_enthalpy_kJ_mol)
        for k, o in enumerate(spec.observation)
    )
    return Material(m.formula, base, obs, tuple(m.free), source)


def programmes(observations: Sequence[Observation]) -> list[TemperatureProgram]:
    """Return the distinct programmes of a set of observations (for plotting the calibration)."""
    out: list[TemperatureProgram] = []
    for o in observations:
        if o.program not in out:
            out.append(o.program)
    return out
