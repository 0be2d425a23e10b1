"""Instrument-profile files: mofglass JSON, GSAS ``.prm`` and GSAS-II ``.instprm``.

Instrument-profile files: mofglass JSON (written by ``--save-instrument``), GSAS ``.prm``
and GSAS-II ``.instprm``, read into an :class:`~mofglass.diffraction.size.InstrumentProfile`
and the radiation they state.

Conventions converted on reading (GSAS manual [1]_, GSAS-II [2]_): both give the Gaussian
*variance* σ² = GU tan²θ + GV tanθ + GW (+ GP / cos²θ) in centidegrees² and the Lorentzian
FWHM γ = LX / cosθ + LY tanθ (GSAS-II: X, Y) in centidegrees. mofglass uses FWHMs in degrees
(Thompson-Cox-Hastings): Gaussian FWHM² = U tan²θ + V tanθ + W with U = 8 ln2 GU / 10⁴ (etc.),
Lorentzian FWHM = X tanθ + Y / cosθ with Y = LX / 100 and X = LY / 100. The Finger-Cox-Jephcoat
asymmetry is kept as S/L + H/L (GSAS-II: SH/L) in ``fcj_shl`` and converted by the
whole-pattern fit (:mod:`mofglass.diffraction.fcj`). Terms without a counterpart (GP, Z) are
named in ``source`` when non-zero and not applied.

References
----------
.. [1] A. C. Larson, R. B. Von Dreele, GSAS manual, LAUR 86-748 (2004), CW profile types 2-3
       and the instrument parameter file (``ICONS``, ``PRCF``).
.. [2] B. H. Toby, R. B. Von Dreele, J. Appl. Cryst. 46 (2013) 544-549 (GSAS-II).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from mofglass._renamed import renamed_keywords
from mofglass.diffraction.pattern import Wavelength
from mofglass.diffraction.readers._common import decode_text, read_bytes
from mofglass.diffraction.size import InstrumentProfile
from mofglass.errors import InputFormatError, MofglassError

__all__ = [
    "find_instrument_file",
    "parse_gsas_prm",
    "parse_instprm",
    "read_instrument",
    "save_instrument",
]

_FORMAT = "mofglass-instrument"
_G = 8 * math.log(2) / 1e4  # centidegree² variance -> degree² FWHM²
_SUFFIXES = (".prm", ".instprm", ".inst.json")


def _wavelength(lam1: float, lam2: float, ratio: float) -> Wavelength | None:
    if not lam1 > 0:
        return None
    return Wavelength(lam1, lam2 if lam2 > 0 else None, ratio if lam2 > 0 else 0.0)


def _profile(
    gu: float,
    gv: float,
    gw: float,
    lx: float,
    ly: float,
    zero_cdeg: float,
    source: str,
    unused: dict[str, float],
    fcj_shl: float = 0.0,
) -> InstrumentProfile:
    extra = ", ".join(f"{k}={v:g}" for k, v in unused.items() if v)
    note = f"{source}" + (f" (not applied: {extra})" if extra else "")
    if fcj_shl > 0:
        note += f" (FCJ asymmetry S/L+H/L = {fcj_shl:g})"
    return InstrumentProfile(
        fcj_shl=fcj_shl,
        u=_G * gu,
        v=_G * gv,
        w=_G * gw,
        x=ly / 100.0,
        y=lx / 100.0,
        zero_deg=zero_cdeg / 100.0,
        source=note,
    )


def parse_gsas_prm(text: str, *, source: str = "<string>") -> tuple[InstrumentProfile, Any]:
    """Parse a GSAS instrument parameter file (bank 1, CW profile type 1, 2 or 3).

    Returns
    -------
    (InstrumentProfile, Wavelength or None)
    """
    rec: dict[str, tuple[int, list[str]]] = {}
    for i, ln in enumerate(text.splitlines(), 1):
        if ln.startswith("INS") and len(ln) > 12:
            key = ln[3:12].replace(" ", "")  # e.g. "1ICONS", "1PRCF11"
            rec[key] = (i, ln[12:].split())
    if "1ICONS" not in rec or "1PRCF1" not in rec:
        raise InputFormatError(source, expected="GSAS 'INS  1 ICONS' and 'INS  1PRCF1' records")
    try:
        icons = [float(v) for v in rec["1ICONS"][1]]
        ptype, n_par = int(rec["1PRCF1"][1][0]), int(rec["1PRCF1"][1][1])
        vals: list[float] = []
        k = 1
        while len(vals) < n_par and f"1PRCF1{k}" in rec:
            vals += [float(v.replace("D", "E")) for v in rec[f"1PRCF1{k}"][1]]
            k += 1
    except (ValueError, IndexError):
        raise InputFormatError(source, expected="numbers in ICONS / PRCF records") from None
    vals += [0.0] * 19
    if ptype == 3:
        gu, gv, gw, gp, lx, ly, s_l, h_l = vals[:8]
    elif ptype == 2:
        gu, gv, gw, lx, ly = vals[:5]
        gp, s_l, h_l = vals[8], 0.0, 0.0
    elif ptype == 1:  # Gaussian only
        gu, gv, gw = vals[:3]
        lx = ly = gp = s_l = h_l = 0.0
    else:
        raise InputFormatError(
            source, line=rec["1PRCF1"][0], expected="CW profile type 1, 2 or 3", got=str(ptype)
        )
    lam1, lam2 = icons[0], icons[1] if len(icons) > 1 else 0.0
    zero = icons[2] if len(icons) > 2 else 0.0
    ratio = icons[-1] if len(icons) > 3 else 0.0
    prof = _profile(
        gu, gv, gw, lx, ly, zero, f"GSAS {Path(source).name}", {"GP": gp}, max(s_l + h_l, 0.0)
    )
    return prof, _wavelength(lam1, lam2, ratio)


def parse_instprm(text: str, *, source: str = "<string>") -> tuple[InstrumentProfile, Any]:
    """Parse a GSAS-II ``.instprm`` file (``key:value`` lines, constant wavelength)."""
    kv: dict[str, float] = {}
    for i, ln in enumerate(text.splitlines(), 1):
        ln = ln.strip()
        if not ln or ln.startswith("#") or ":" not in ln:
            continue
        key, _, val = ln.partition(":")
        key = key.strip()
        if key == "Type":
            if not val.strip().startswith("P") or val.strip()[2:3] == "T":
                raise InputFormatError(
                    source, line=i, expected="a constant-wavelength powder type", got=val.strip()
                )
            continue
        try:
            kv[key] = float(val.split(",")[0])
        except ValueError:
            continue
    if not {"U", "V", "W"} <= kv.keys():
        raise InputFormatError(source, expected="U, V, W entries (GSAS-II .instprm)")
    lam1 = kv.get("Lam", kv.get("Lam1", 0.0))
    lam2 = kv.get("Lam2", 0.0) if "Lam" not in kv else 0.0
    prof = _profile(
        kv["U"],
        kv["V"],
        kv["W"],
        kv.get("X", 0.0),
        kv.get("Y", 0.0),
        kv.get("Zero", 0.0),
        f"GSAS-II {Path(source).name}",
        {"Z": kv.get("Z", 0.0)},
        max(kv.get("SH/L", 0.0), 0.0),
    )
    return prof, _wavelength(lam1, lam2, kv.get("I(L2)/I(L1)", 0.0))


def read_instrument(path: str | Path) -> tuple[InstrumentProfile, Wavelength | None]:
    """Read an instrument file (mofglass JSON, GSAS ``.prm`` or GSAS-II ``.instprm``).

    Raises
    ------
    InputFormatError
        Unknown or malformed content (names the file).
    """
    source = str(path)
    text = decode_text(read_bytes(path), source)
    head = text.lstrip()[:1]
    if head == "{":
        try:
            d = json.loads(text)
            if d.get("format") != _FORMAT:
                raise InputFormatError(source, expected=f"'format': '{_FORMAT}'")
            p = d["profile"]
            prof = InstrumentProfile(
                **{k: float(p[k]) for k in ("u", "v", "w", "x", "y")},
                asym1=float(p.get("asym1", 0.0)),
                asym2=float(p.get("asym2", 0.0)),
                zero_deg=float(p.get("zero_deg", 0.0)),
                fcj_shl=float(p.get("fcj_shl", 0.0)),
                source=str(d.get("source", source)),
            )
            wl = d.get("wavelength")
            return prof, None if wl is None else Wavelength(**wl)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, InputFormatError):
                raise
            raise InputFormatError(
                source, expected="a mofglass instrument JSON", got=str(exc)
            ) from None
    if any(ln.startswith("INS ") for ln in text.splitlines()[:50]):
        return parse_gsas_prm(text, source=source)
    if any(ln.strip().startswith(("Type:", "U:")) for ln in text.splitlines()):
        return parse_instprm(text, source=source)
    raise InputFormatError(
        source, line=1, expected="an instrument file (.json, GSAS .prm, .instprm)"
    )


@renamed_keywords(wavelength="radiation")
def save_instrument(
    profile: InstrumentProfile, path: str | Path, *, radiation: Wavelength | None = None
) -> Path:
    """Write ``profile`` (and the radiation) as mofglass instrument JSON; never overwrites."""
    out = Path(path)
    if out.exists():
        raise MofglassError(f"{out}: exists; refusing to overwrite (choose another name)")
    d = {
        "format": _FORMAT,
        "version": 1,
        "source": profile.source,
        "conventions": "FWHM in degrees 2θ: Gaussian² = U tan²θ + V tanθ + W; "
        "Lorentzian = X tanθ + Y/cosθ; Bérar-Baldinozzi asym1/asym2 over tan 2θ",
        "profile": {
            "u": profile.u,
            "v": profile.v,
            "w": profile.w,
            "x": profile.x,
            "y": profile.y,
            "asym1": profile.asym1,
            "asym2": profile.asym2,
            "zero_deg": profile.zero_deg,
            "fcj_shl": profile.fcj_shl,
        },
        "wavelength": None  # the file's key (format version 1)
        if radiation is None
        else {
            "ka1_A": radiation.ka1_A,
            "ka2_A": radiation.ka2_A,
            "ka2_ratio": radiation.ka2_ratio,
        },
    }
    out.write_text(json.dumps(d, indent=2) + "\n", encoding="utf-8")
    return out


def find_instrument_file(pattern_path: str | Path) -> Path | None:
    """Find the instrument file beside a pattern.

    The instrument file beside a pattern: same stem with ``.prm`` / ``.instprm`` /
    ``.inst.json`` (any case), else the only such file in the folder, else None.
    """
    p = Path(pattern_path)
    stem = p.name.split(".")[0].lower()
    cands = [
        f
        for f in p.parent.iterdir()
        if f.is_file() and any(f.name.lower().endswith(s) for s in _SUFFIXES)
    ]
    same = [f for f in cands if f.name.split(".")[0].lower() == stem]
    if len(same) == 1:
        return same[0]
    if len(cands) == 1:
        return cands[0]
    return None
