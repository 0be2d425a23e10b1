"""Native NETZSCH Proteus files through ``pyngb`` (optional extra ``mofglass[netzsch]``).

Suffixes: .ngb-ss3 (sample), .ngb-bs3 (baseline/correction), .ngb-ds3, .ngb-sdb.

The columns are taken as pyngb decodes them (time s, sample temperature °C, DSC µV, mass change
mg); the sample mass, crucible, gases and the temperature programme come from the file, and the
programme's stages (not the data) set the segment of every point. The DSC channel is converted
from µV to mW with the file's own sensitivity calibration (pyngb ``apply_dsc_calibration``) and
divided by the sample mass; without a calibration it stays an uncalibrated DTA signal in µV. The
exo direction follows from the calibration records themselves: the fixpoint melting enthalpies
(endothermic) are stored with the sign of their peak areas, so an endotherm is negative in the
signal when the areas are negative. The temperature and sensitivity calibration fixpoints go to
``metadata["calibration"]`` with their residuals, which are the default calibration uncertainty
of the analysis.

References
----------
.. [1] pyngb, G. Bellamy, https://github.com/GraysonBellamy/pyngb (MIT).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.thermal.thermogram import Thermogram

__all__ = ["NGB_SUFFIXES", "read_ngb"]

NGB_SUFFIXES = (".ngb-ss3", ".ngb-bs3", ".ngb-ds3", ".ngb-sdb")


def _programme(md: dict[str, Any]) -> list[dict[str, Any]]:
    """Stages of the temperature programme as segments (initial/final stages dropped)."""
    stages = md.get("temperature_program") or {}
    out: list[dict[str, Any]] = []
    prev_T: float | None = None
    for key in sorted(stages, key=lambda k: int(str(k).split("_")[-1])):
        st = stages[key]
        T = float(st.get("temperature", np.nan))
        if st.get("stage_type") != 1:  # 0 initial, 2 final (emergency reset)
            prev_T = T if prev_T is None else prev_T
            continue
        rate = float(st.get("heating_rate", 0.0))
        dur = float(st.get("time", 0.0))
        start = prev_T if prev_T is not None else T
        if rate == 0.0 or abs(T - start) < 1e-6:
            seg = {"kind": "isothermal", "start_C": start, "end_C": T, "hold_min": dur / 60.0}
        else:
            kind = "heating" if T > start else "cooling"
            seg = {
                "kind": kind,
                "start_C": start,
                "end_C": T,
                "rate_K_min": rate if kind == "heating" else -abs(rate),
            }
        seg["duration_s"] = dur
        out.append(seg)
        prev_T = T
    return out


def _calibration(md: dict[str, Any]) -> dict[str, Any]:
    cal: dict[str, Any] = {}
    tc = md.get("temperature_calibration") or {}
    fx = tc.get("fixpoints") or []
    res = [
        float(f["corrected_c"]) - float(f["actual_c"])
        for f in fx
        if f.get("corrected_c") is not None and f.get("actual_c") is not None
    ]
    if res:
        cal["temperature_fixpoints"] = fx
        cal["temperature_rms_K"] = float(np.sqrt(np.mean(np.square(res))))
    sc = md.get("sensitivity_calibration") or {}
    sfx = sc.get("fixpoints") or []
    rel = [
        (float(f["measured_sensitivity"]) - float(f["fitted_sensitivity"]))
        / float(f["fitted_sensitivity"])
        for f in sfx
        if f.get("measured_sensitivity") and f.get("fitted_sensitivity")
    ]
    if rel:
        cal["sensitivity_fixpoints"] = sfx
        cal["sensitivity_rms_relative"] = float(np.sqrt(np.mean(np.square(rel))))
        areas = [float(f["peak_area"]) for f in sfx if f.get("peak_area")]
        if areas and all(a < 0 for a in areas):
            cal["endotherm_sign"] = -1
        elif areas and all(a > 0 for a in areas):
            cal["endotherm_sign"] = 1
    return cal


def _dsc_channel(
    pyngb: Any, table: Any, cols: set[str], m0: float | None, warnings: list[str]
) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """Heat flow in W/g through the file's sensitivity calibration, else the µV signal."""
    if "dsc_signal" not in cols:
        return None, None, ""
    try:
        calibrated = pyngb.apply_dsc_calibration(table)
        mw = np.asarray(calibrated.column("dsc_signal").to_numpy(zero_copy_only=False), float)
    except (ValueError, KeyError):
        mw = None
    if mw is not None and m0 and np.isfinite(mw).sum() > 0.5 * len(mw):
        warnings.append("DSC µV converted to W/g with the file's sensitivity calibration (pyngb)")
        return mw / m0, None, ""
    dta = np.asarray(table.column("dsc_signal").to_numpy(zero_copy_only=False), float)
    return None, dta, "µV"


def read_ngb(
    path: str | Path,
    *,
    sample_mass_mg: float | None = None,
    exo_up: bool | None = None,
) -> Thermogram:
    """Read a native NETZSCH file into a :class:`Thermogram` (see module docstring).

    Raises
    ------
    InputFormatError
        pyngb is not installed, or the file cannot be decoded.
    """
    p = Path(path)
    try:
        import pyngb
    except ImportError as exc:  # pragma: no cover - the extra is installed in CI
        raise InputFormatError(
            p.name,
            expected="pyngb for native NETZSCH files (pip install 'mofglass[netzsch]')",
            got="pyngb not installed",
        ) from exc
    try:
        table = pyngb.read_ngb(str(p))
    except Exception as exc:  # pyngb raises its own and zip/struct errors
        raise InputFormatError(
            p.name, expected="a NETZSCH Proteus file pyngb can decode", got=str(exc)[:120]
        ) from exc
    raw_md = (table.schema.metadata or {}).get(b"file_metadata", b"{}")
    md: dict[str, Any] = json.loads(raw_md)
    warnings: list[str] = []
    cols = set(table.column_names)
    if "time" not in cols or "sample_temperature" not in cols:
        raise InputFormatError(
            p.name, expected="time and sample_temperature channels", got=", ".join(sorted(cols))
        )
    t = np.asarray(table.column("time").to_numpy(zero_copy_only=False), float)
    T = np.asarray(table.column("sample_temperature").to_numpy(zero_copy_only=False), float)
    m0 = sample_mass_mg if sample_mass_mg is not None else md.get("sample_mass")
    m0 = float(m0) if m0 else None
    if m0 is not None and m0 <= 0:
        warnings.append(
            f"sample mass {m0:g} mg in the file (a correction run without sample?): "
            "no mass channel, heat flow left in µV"
        )
        m0 = None
    mass = None
    if "mass" in cols:
        dm = np.asarray(table.column("mass").to_numpy(zero_copy_only=False), float)
        # pyngb's mass channel is the change from the start; absolute with the sample mass
        mass = dm + m0 if m0 else None
        if m0 is None:
            warnings.append("no sample mass in the file: the mass channel is left out")
    cal = _calibration(md)
    hf, dta, dta_unit = _dsc_channel(pyngb, table, cols, m0, warnings)
    if exo_up is None and "endotherm_sign" in cal:
        exo_up = cal["endotherm_sign"] < 0
    elif exo_up is not None and "endotherm_sign" in cal and exo_up != (cal["endotherm_sign"] < 0):
        warnings.append(
            "the exo direction given contradicts the file's calibration records "
            f"(fixpoint melting areas have sign {cal['endotherm_sign']:+d})"
        )
    segs = _programme(md)
    seg_index = None
    if segs:
        bounds = np.cumsum([s["duration_s"] for s in segs])
        seg_index = np.searchsorted(bounds, t - t[0], side="right").clip(0, len(segs) - 1)
        seg_index = seg_index.astype(float)
    meta: dict[str, Any] = {
        "instrument": md.get("instrument_model") or md.get("instrument"),
        "crucible": md.get("crucible_type"),
        "gas": md.get("purge_1_mfc_gas"),
        "sample": md.get("sample_name"),
        "segments": segs,
        "calibration": cal,
        "correction_file": md.get("correction_file_path"),
        "application_version": md.get("application_version"),
        "columns": sorted(cols),
        "reader": f"pyngb {getattr(pyngb, '__version__', '?')}",
    }
    keep = np.isfinite(t) & np.isfinite(T)
    if hf is not None:
        keep &= np.isfinite(hf)
    if not keep.all():
        warnings.append(f"dropped {int((~keep).sum())} point(s) without a calibrated value")

    def k(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[keep]

    return Thermogram(
        time_s=t[keep],
        temperature_C=T[keep],
        heat_flow_W_g=k(hf),
        mass_mg=k(mass),
        dta=k(dta),
        dta_unit=dta_unit,
        sample_mass_mg=m0,
        exo_up=exo_up,
        metadata=meta,
        segment_index=k(seg_index),
        source=p.name,
        fmt="ngb",
        encoding="binary",
        warnings=tuple(warnings),
    )
