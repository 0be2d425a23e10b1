"""Readers of measured total-scattering files into :class:`TotalScatteringData`.

One function per format, and :func:`read_total_scattering` choosing by extension:

* ``.int01`` / ``.dofr``: GudrunX outputs (Keen's F(Q) interference function and D(r));
* ``.xy``: pyFAI azimuthal integrations (``# q_A^-1`` or ``# 2th_deg`` column header,
  ``# Wavelength: 1.9e-11`` in metres);
* ``.chi``: Fit2D integrations (optional 4-line header; x is 2θ in degrees unless the header
  says Q);
* ``.gr`` / ``.iq``: diffpy / PDFgetX / PDFgetN G(r) and I(Q) (header ends at
  ``##### start data`` or at the first numeric line).

Readers only read; they never change the file. Broken files raise :class:`InputFormatError`
naming the file and line.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import DataWarning, InputFormatError, reader_boundary
from mofglass.totalscattering.data import TotalScatteringData

__all__ = [
    "guess_x_kind",
    "parse_columns",
    "read_chi",
    "read_diffpy",
    "read_gudrun",
    "read_pyfai_xy",
    "read_total_scattering",
]

_FLOAT = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def parse_columns(
    text: str, source: str, *, min_columns: int = 2, skip_header: bool = True
) -> tuple[np.ndarray, list[str]]:
    """Numeric columns of a text table and the header lines before them.

    Lines starting with ``#`` are comments anywhere; before the first numeric line other
    text is header when ``skip_header``. Every data line must have the same number of
    columns (at least ``min_columns``).
    """
    header: list[str] = []
    rows: list[list[float]] = []
    ncol: int | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if not rows:
                header.append(line)
            continue
        parts = line.replace(",", " ").split()
        try:
            vals = [float(p) for p in parts]
        except ValueError:
            if not rows and skip_header:
                header.append(line)
                continue
            raise InputFormatError(
                source, line=n, expected=f"{ncol or min_columns} numeric columns", got=line
            ) from None
        if ncol is None:
            if len(vals) < min_columns:
                raise InputFormatError(
                    source, line=n, expected=f"at least {min_columns} numeric columns", got=line
                )
            ncol = len(vals)
        elif len(vals) != ncol:
            raise InputFormatError(source, line=n, expected=f"{ncol} numeric columns", got=line)
        if not all(np.isfinite(vals)):
            raise InputFormatError(source, line=n, expected="finite numbers", got=line)
        rows.append(vals)
    if len(rows) < 3:
        raise InputFormatError(source, expected="a table of at least 3 numeric rows", got=None)
    return np.asarray(rows, dtype=float), header


def _check_increasing(x: np.ndarray, source: str) -> None:
    if np.any(np.diff(x) <= 0):
        k = int(np.argmax(np.diff(x) <= 0))
        raise InputFormatError(
            source, expected="strictly increasing first column", got=f"{x[k]} then {x[k + 1]}"
        )


def _temperature_from_name(name: str) -> float | None:
    m = re.search(r"_(-?\d+(?:\.\d+)?)(?:C)?\.(?:int01|dofr|xy|gr|chi|iq)$", name)
    return float(m.group(1)) if m else None


def read_gudrun(path: str | Path) -> TotalScatteringData:
    """Read a GudrunX ``.int01`` (Q, F(Q), σ) or ``.dofr`` (r, D(r), σ) file.

    The ``.int01`` ordinate is Keen's interference function F(Q) (per atom, normalised by
    the sample's self scattering; → 0 at high Q); it is returned as ``kind="i"`` (S - 1 in
    the Faber-Ziman normalisation used by GudrunX for X-rays). ``.dofr`` is Keen's
    D(r) = (2/π) ∫ Q F(Q) sin(Qr) dQ, returned as ``kind="D"``. A trailing number in the
    file name (``ZIF4glassa_31.int01``) is taken as the temperature in °C.

    References
    ----------
    .. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001).
    .. [2] A. K. Soper, GudrunN and GudrunX, RAL-TR-2011-013 (2011).
    """
    p = Path(path)
    table, _header = parse_columns(p.read_text(errors="replace"), str(p), min_columns=2)
    x = table[:, 0]
    _check_increasing(x, str(p))
    ext = p.suffix.lower()
    kind, x_kind = ("i", "q_invA") if ext == ".int01" else ("D", "r_A")
    meta: dict[str, Any] = {"format": f"GudrunX {ext}", "convention": "Keen 2001"}
    t = _temperature_from_name(p.name)
    if t is not None:
        meta["temperature_C"] = t
    sigma = table[:, 2] if table.shape[1] >= 3 else None
    return TotalScatteringData(x, table[:, 1], x_kind, kind, sigma, None, meta, str(p))


def read_pyfai_xy(
    path: str | Path, *, x_kind: str | None = None, wavelength_A: float | None = None
) -> TotalScatteringData:
    """Read a pyFAI ``.xy`` integration (``# q_A^-1 I``, ``# q_nm^-1``, ``# 2th_deg``).

    The wavelength (``# Wavelength: 1.908e-11``, metres) is converted to Å. A file without the
    column header (a stripped or lab-exported ``.xy``) takes its x unit from ``x_kind``
    (``q_invA``, ``q_invnm`` or ``two_theta_deg``) or, failing that, from its range
    (:func:`guess_x_kind`, with a DataWarning saying so); ``wavelength_A`` gives 2θ data
    their wavelength when the header has none.

    References
    ----------
    .. [1] G. Ashiotis et al., J. Appl. Cryst. 48, 510 (2015) (pyFAI).
    """
    p = Path(path)
    table, header = parse_columns(p.read_text(errors="replace"), str(p))
    meta: dict[str, Any] = {"format": "pyFAI xy"}
    wl = None
    found = None
    for h in header:
        m = re.match(rf"#\s*Wavelength:\s*({_FLOAT})", h)
        if m:
            wl = float(m.group(1)) * 1e10
        found = found or _pyfai_x_label(h)
    if x_kind is not None and x_kind not in _XY_UNITS:
        raise InputFormatError(p, expected=f"an x unit in {_XY_UNITS}", got=x_kind)
    kind = x_kind or found
    if kind is None:
        kind = guess_x_kind(table[:, 0], header, str(p))
        meta["x_assumed"] = f"no column header: x taken as {kind} from its range"
        meta["format"] = "headerless xy"
    scale = 0.1 if kind == "q_invnm" else 1.0
    x_out = "q_invA" if kind == "q_invnm" else kind
    x = table[:, 0] * scale
    _check_increasing(x, str(p))
    wl = wavelength_A or wl
    if x_out == "two_theta_deg" and wl is None:
        raise InputFormatError(
            p, expected="a wavelength for 2θ data (--wavelength, or wavelength_A=)", got="none"
        )
    sigma = table[:, 2] if table.shape[1] >= 3 else None
    return TotalScatteringData(x, table[:, 1], x_out, "intensity", sigma, wl, meta, str(p))


_XY_UNITS = ("q_invA", "q_invnm", "two_theta_deg")


def _pyfai_x_label(line: str) -> str | None:
    """X unit named by a pyFAI column-header line, or None."""
    low = line.lower()
    if not low.startswith("#"):
        return None
    if "q_a^-1" in low or "q_å^-1" in low:
        return "q_invA"
    if "q_nm^-1" in low:
        return "q_invnm"
    if "2th_deg" in low or "2theta" in low:
        return "two_theta_deg"
    return None


#: Largest Q (Å⁻¹) of an X-ray integration (100 keV to 2θ = 90°: ~45 Å⁻¹); beyond it x is 2θ.
_MAX_XRAY_Q_INVA = 45.0


def guess_x_kind(x: np.ndarray, header: list[str], source: str) -> str:
    """Choose 2θ or Q for a headerless integration from its x range, with a warning.

    x running beyond 45 (no X-ray integration reaches Q = 45 Å⁻¹; 2θ up to 180° is common)
    is 2θ in degrees. Below that 2θ and Q cannot be told apart, and negative x (a z-scan,
    an offset axis) is neither: both are refused, asking for the unit.

    Raises
    ------
    InputFormatError
        The range cannot tell the unit, or x is negative.
    """
    lo, hi = float(np.min(x)), float(np.max(x))
    scan = re.search(r"scantype\W*(\w+)", " ".join(header), re.IGNORECASE)
    if lo < 0:
        what = f" (Scantype {scan.group(1)})" if scan else ""
        raise InputFormatError(
            source,
            expected="x as Q or 2θ (not negative): a diffraction pattern",
            got=f"x from {lo:g} to {hi:g}{what}",
        )
    if hi > _MAX_XRAY_Q_INVA:
        warnings.warn(
            f"{source}: no column header; x runs {lo:g}-{hi:g}, beyond any X-ray Q "
            f"({_MAX_XRAY_Q_INVA:g} Å⁻¹): taken as 2θ in degrees (say --x-unit to be sure)",
            DataWarning,
            stacklevel=3,
        )
        return "two_theta_deg"
    raise InputFormatError(
        source,
        expected="a column header ('# q_A^-1', '# 2th_deg') or --x-unit q_invA|q_invnm|"
        "two_theta_deg: a range this short fits both Q and 2θ",
        got=f"x from {lo:g} to {hi:g}",
    )


def read_chi(
    path: str | Path, *, x_kind: str | None = None, wavelength_A: float | None = None
) -> TotalScatteringData:
    """Read a Fit2D ``.chi`` integration.

    Fit2D writes four header lines (title, x label, y label, point count); files without
    them are accepted. The x axis is taken from ``x_kind`` or the header label (``2-Theta``
    or ``Q``); with neither, from the range (:func:`guess_x_kind`: 2θ with a warning when x
    exceeds any X-ray Q, else refused asking for the unit).

    References
    ----------
    .. [1] A. P. Hammersley, FIT2D reference manual, ESRF98HA01T (1998).
    """
    p = Path(path)
    lines = p.read_text(errors="replace").splitlines(keepends=True)
    fit2d = len(lines) > 4 and re.fullmatch(r"\s*\d+\s*", lines[3]) is not None
    table, header = parse_columns("".join(lines[4:] if fit2d else lines), str(p))
    header = [ln.strip() for ln in lines[:4]] + header if fit2d else header
    meta: dict[str, Any] = {"format": "Fit2D chi"}
    label = " ".join(header).lower()
    guess = "two_theta_deg"
    if re.search(r"\bq\b|q \(|q_", label):
        guess = "q_invA"
    if x_kind is None and not header:  # no label: the range decides, or the user must
        x_kind = guess_x_kind(table[:, 0], header, str(p))
        meta["x_assumed"] = f"no header: x taken as {x_kind} from its range"
    nm_given = x_kind == "q_invnm"
    chosen = "q_invA" if nm_given else (x_kind or guess)
    x = table[:, 0]
    if chosen == "q_invA" and (nm_given or re.search(r"nanomet|nm\^?-1|1/nm", label)):
        x = x / 10.0  # Fit2D's "Q (Inverse Nanometres)"
        meta["x_converted"] = "Q in nm^-1 in the file, divided by 10 to Å^-1"
    _check_increasing(x, str(p))
    return TotalScatteringData(
        x, table[:, 1], chosen, "intensity", None, wavelength_A, meta, str(p)
    )


def read_diffpy(path: str | Path) -> TotalScatteringData:
    """Read a diffpy-style ``.gr`` (r, G(r)[, dr, dG]) or ``.iq`` (Q, I(Q)) file.

    Header values ``qmax=``, ``qdamp=`` (PDFgetX2/N, PDFgetX3, PDFgui) go to metadata.

    References
    ----------
    .. [1] C. L. Farrow et al., J. Phys.: Condens. Matter 19, 335219 (2007).
    """
    p = Path(path)
    text = p.read_text(errors="replace")
    start = text.find("##### start data")
    body = text
    offset = 0
    if start >= 0:
        offset = text[:start].count("\n") + 1
        body = text[start:].split("\n", 1)[1] if "\n" in text[start:] else ""
    try:
        table, header = parse_columns(body, str(p))
    except InputFormatError as err:
        if err.line is not None:
            raise InputFormatError(
                p, line=err.line + offset, expected=err.expected, got=err.got
            ) from None
        raise
    meta: dict[str, Any] = {"format": f"diffpy {p.suffix.lower()}"}
    head = text[:start] if start >= 0 else "\n".join(header)
    for key in ("qmax", "qdamp", "qmin"):
        m = re.search(rf"\b{key}\s*=\s*({_FLOAT})", head, flags=re.IGNORECASE)
        if m:
            meta[f"{key}_invA"] = float(m.group(1))
    # the probe, when the header names one (PDFgetN / PDFgui 'neutron', 'X-Ray', stype=N/X)
    probe = re.search(r"\b(neutron|x-?ray)\b|\bstype\s*=\s*([NX])\b", head, re.IGNORECASE)
    if probe:
        word = (probe.group(1) or probe.group(2)).lower()
        meta["probe"] = "neutron" if word.startswith("n") else "xray"
    x = table[:, 0]
    _check_increasing(x, str(p))
    if p.suffix.lower() == ".iq":
        meta.update(convention="I(Q)", convention_from="format")
        return TotalScatteringData(x, table[:, 1], "q_invA", "intensity", None, None, meta, str(p))
    sigma = table[:, 3] if table.shape[1] >= 4 else (table[:, 2] if table.shape[1] == 3 else None)
    # a diffpy / PDFgetX2 / PDFgetN .gr holds PDFgui's G(r); a header-less file is checked by
    # its low-r shape (a stripped RMCProfile G(r) is flat there)
    meta["convention"] = "G(r) = 4πρ0 r[g(r) - 1] (PDFgui, PDFgetX3)"
    from mofglass.totalscattering.pdf_files import _note, check_real_space

    if head.strip("#\n\t "):
        meta["convention_from"] = "format"
    else:
        meta["convention_from"] = "assumed"
        _note(meta, f"{p.name}: no header; PDFgui G(r) assumed (checked by its low-r shape)")

    data = TotalScatteringData(x, table[:, 1], "r_A", "G", sigma, None, meta, str(p))
    return check_real_space(data)


@reader_boundary("a total-scattering file")
def read_total_scattering(path: str | Path, **kwargs: Any) -> TotalScatteringData:
    """Read any supported total-scattering file, choosing the reader by extension."""
    return _check_extent(_read_by_extension(Path(path), **kwargs))


def _read_by_extension(p: Path, **kwargs: Any) -> TotalScatteringData:
    if not p.is_file():
        raise InputFormatError(p, expected="an existing file", got=None)
    ext = p.suffix.lower()
    if ext in (".int01", ".dofr"):
        return read_gudrun(p)
    if ext == ".xy":
        return read_pyfai_xy(p, **kwargs)
    if ext == ".chi":
        return read_chi(p, **kwargs)
    if ext in (".gr", ".iq", ".sq", ".fq"):
        from mofglass.totalscattering import pdf_files

        text = p.read_text(errors="replace")
        if pdf_files.is_pdfgetx3(text):
            return pdf_files.read_pdfgetx3(p)
        if pdf_files.is_rmcprofile(text):
            return pdf_files.read_rmcprofile(p)
        if ext in (".sq", ".fq"):
            raise InputFormatError(
                p, expected="a PDFgetX3 or RMCProfile .sq/.fq file", got="neither header"
            )
        return read_diffpy(p)
    raise InputFormatError(
        p,
        expected="a .int01, .dofr, .xy, .chi, .gr, .sq, .fq or .iq file",
        got=p.suffix or p.name,
    )


# the shortest interatomic distance (H2, 0.74 Å) must lie inside an r range, and a curve
# needs a few points per peak: less cannot be analysed (a truncated file)
_MIN_POINTS = 10
_MIN_RMAX_A = 1.0
# spallation sources reach Q ~ 50-100 Å⁻¹ (NOMAD, SANDALS), 100 keV X-rays ~ 40 Å⁻¹
_MAX_Q_INVA = 100.0


def _check_extent(data: TotalScatteringData) -> TotalScatteringData:
    """Warn about a curve too short to analyse (a truncated or header-only file)."""
    from mofglass.totalscattering.pdf_files import _note

    x = np.asarray(data.x, dtype=float)
    name = Path(data.source).name
    meta = dict(data.metadata)
    if x.size < _MIN_POINTS:
        _note(meta, f"{name}: only {x.size} data points: too few to analyse (a truncated file?)")
    elif data.x_kind == "q_invA" and float(np.max(x)) > _MAX_Q_INVA:
        _note(
            meta,
            f"{name}: Q reaches {float(np.max(x)):.4g} Å⁻¹, beyond any X-ray or neutron "
            f"total-scattering instrument (~{_MAX_Q_INVA:g} Å⁻¹): is Q in nm⁻¹?",
        )
    elif data.x_kind == "r_A" and float(np.max(x)) < _MIN_RMAX_A:
        _note(
            meta,
            f"{name}: r ends at {float(np.max(x)):g}, before the first interatomic distance "
            f"(~{_MIN_RMAX_A:g} Å): a truncated file, or r in nm?",
        )
    return data.replace(metadata=meta)
