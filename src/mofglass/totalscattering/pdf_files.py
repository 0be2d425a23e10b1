"""PDFgetX3 and RMCProfile curve files: readers, a PDFgetX3-style writer, real-space checks.

* PDFgetX3 ``.gr`` / ``.sq`` / ``.fq`` / ``.iq``: a ``key = value`` header (``[DEFAULT]``
  section: ``composition``, ``qmax``, ``qmaxinst``, ``mode``, ``wavelength``...) ending at
  ``#### start data``, then ``#L`` column labels (``r(Å) G(Å^-2)``, ``Q S(Q)``, ``Q F(Q)``).
* RMCProfile experimental-data ``.gr`` / ``.fq``: a point count, a title line, two columns.
  RMCProfile's G(r) is Keen's G(r) = W[g(r) - 1] (``GK``; W = 1 when normalised) and its
  F(Q) Keen's F(Q) (``FK``): never PDFgui's G(r) [1]_.

Every reader records in ``metadata["convention"]`` the kind it holds and in
``metadata["convention_from"]`` whether the header said so (``"header"``), the format defines
it (``"format"``) or it is an assumption (``"assumed"``, with a warning). Real-space files
then pass :func:`check_real_space` (r in nm, a flat low-r plateau that is g(r) - 1 rather than
G(r), a slope that implies a negative number density).

References
----------
.. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001); M. G. Tucker et al., J. Phys.: Condens.
   Matter 19, 335218 (2007) (RMCProfile).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import DataWarning, InputFormatError
from mofglass.totalscattering.conventions import CONVENTIONS, low_r_shape
from mofglass.totalscattering.data import TotalScatteringData

__all__ = [
    "check_real_space",
    "is_pdfgetx3",
    "is_rmcprofile",
    "read_pdfgetx3",
    "read_rmcprofile",
    "write_pdfgetx3",
]

_LABELS = (
    (re.compile(r"^\s*G\s*\(", re.I), "G"),
    (re.compile(r"^\s*D\s*\(", re.I), "D"),
    (re.compile(r"^\s*T\s*\(", re.I), "T"),
    (re.compile(r"^\s*g\s*\(", re.I), "g"),
    (re.compile(r"^\s*S\s*\(", re.I), "S"),
    (re.compile(r"^\s*F\s*\(", re.I), "F"),
    (re.compile(r"^\s*i\s*\(", re.I), "i"),
    (re.compile(r"^\s*I\s*\(", re.I), "intensity"),
)


def _note(meta: dict[str, Any], message: str) -> None:
    meta.setdefault("warnings", []).append(message)
    warnings.warn(message, DataWarning, stacklevel=3)


def is_pdfgetx3(text: str) -> bool:
    """Whether a text is a PDFgetX3 output (its ``#### start data`` marker and config)."""
    head = text[:20000].lower()
    return "#### start data" in head and ("pdfgetx3" in head or "[default]" in head)


def is_rmcprofile(text: str) -> bool:
    """Whether a text is an RMCProfile .gr/.fq (point count, title line, then two columns)."""
    lines = [ln.strip() for ln in text.splitlines()[:4]]
    if len(lines) < 3 or not re.fullmatch(r"\d+", lines[0]):
        return False
    try:
        [float(v) for v in lines[2].replace(",", " ").split()[:2]]
    except ValueError:
        return False
    return True


def _numbers(lines: list[str], source: str, first_line: int) -> np.ndarray:
    rows = []
    for n, raw in enumerate(lines, start=first_line):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.replace(",", " ").split()
        try:
            rows.append([float(v) for v in parts])
        except ValueError:
            raise InputFormatError(source, line=n, expected="numbers", got=line[:40]) from None
        if len(rows[-1]) < 2 or len(rows[-1]) != len(rows[0]):
            raise InputFormatError(
                source, line=n, expected=f"{max(2, len(rows[0]))} columns", got=line[:40]
            )
    if len(rows) < 5:
        raise InputFormatError(source, expected="at least 5 data lines", got=str(len(rows)))
    table = np.array(rows)
    if np.any(np.diff(table[:, 0]) <= 0):
        raise InputFormatError(source, expected="increasing first column", got="not increasing")
    return table


def read_pdfgetx3(path: str | Path) -> TotalScatteringData:
    """Read a PDFgetX3 (or PDFgetN3 / xPDFsuite) ``.gr``, ``.sq``, ``.fq`` or ``.iq`` file."""
    p = Path(path)
    lines = p.read_text(errors="replace").splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip().lower() == "#### start data")
    except StopIteration:
        raise InputFormatError(p, expected="a '#### start data' line", got=None) from None
    meta: dict[str, Any] = {"format": f"PDFgetX3 {p.suffix.lower()}"}
    for ln in lines[:start]:
        m = re.match(r"^\s*([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$", ln)
        if m:
            key, val = m.group(1).lower(), m.group(2)
            try:
                meta[key] = float(val)
            except ValueError:
                meta[key] = val
    for key in ("qmax", "qmin", "qmaxinst"):
        if isinstance(meta.get(key), float):
            meta[f"{key}_invA"] = meta[key]
    label = next((ln[2:].strip() for ln in lines[start:] if ln.startswith("#L")), "")
    cols = label.split()
    kind = None
    if len(cols) >= 2:
        kind = next((k for rx, k in _LABELS if rx.match(cols[1])), None)
    if kind is not None:
        meta["convention_from"] = "header"
    else:
        kind = {".gr": "G", ".sq": "S", ".fq": "F", ".iq": "intensity"}.get(p.suffix.lower(), "G")
        meta["convention_from"] = "assumed"
        _note(meta, f"{p.name}: no #L column labels; {kind} assumed from the extension")
    meta["convention"] = CONVENTIONS.get(kind, kind)
    table = _numbers(lines[start + 1 :], str(p), start + 2)
    x_kind = "r_A" if kind in ("G", "D", "T", "g", "GK") else "q_invA"
    sigma = table[:, 3] if table.shape[1] >= 4 else (table[:, 2] if table.shape[1] == 3 else None)
    data = TotalScatteringData(table[:, 0], table[:, 1], x_kind, kind, sigma, None, meta, str(p))
    return check_real_space(data) if x_kind == "r_A" else data


def read_rmcprofile(path: str | Path) -> TotalScatteringData:
    """Read an RMCProfile experimental-data file (count line, title line, two columns).

    The title names the function when it can (``G(r)``, ``g(r)``, ``D(r)``, ``T(r)``,
    ``F(Q)``, ``S(Q)``, ``i(Q)``); RMCProfile's G(r) and F(Q) are Keen's (``GK``, ``FK``).
    Without a name, ``.gr`` is taken as Keen's G(r) and ``.fq`` as Keen's F(Q), with a warning,
    and a real-space file's low-r shape decides between G(r)-like and g(r)-1-like forms.
    """
    p = Path(path)
    lines = p.read_text(errors="replace").splitlines()
    if not is_rmcprofile("\n".join(lines)):
        raise InputFormatError(p, line=1, expected="a point count, a title and two columns")
    title = lines[1].strip()
    meta: dict[str, Any] = {"format": f"RMCProfile {p.suffix.lower()}", "title": title}
    table = _numbers(lines[2:], str(p), 3)
    if int(lines[0]) != table.shape[0]:
        _note(meta, f"{p.name}: header says {int(lines[0])} points, file has {table.shape[0]}")
    named = {"d(r)": "D", "t(r)": "T", "f(q)": "FK", "s(q)": "S", "i(q)": "i"}
    kind = "GK" if "G(r)" in title else "g" if "g(r)" in title else None
    if kind is None:
        kind = next((k for key, k in named.items() if key in title.lower()), None)
    if kind is not None:
        meta["convention_from"] = "header"
    else:
        kind = "FK" if p.suffix.lower() in (".fq", ".sq") else "GK"
        meta["convention_from"] = "assumed"
        _note(meta, f"{p.name}: title names no function; RMCProfile {kind} assumed")
    meta["convention"] = CONVENTIONS[kind]
    x_kind = "r_A" if kind in ("G", "D", "T", "g", "GK") else "q_invA"
    data = TotalScatteringData(table[:, 0], table[:, 1], x_kind, kind, None, None, meta, str(p))
    return check_real_space(data) if x_kind == "r_A" else data


def check_real_space(data: TotalScatteringData) -> TotalScatteringData:
    """Sanity checks of a real-space curve; returns it with warnings (and a corrected kind).

    * r that looks like nm (the file ends below 12 and its first peak lies below 0.6);
    * a header-less G(r) whose low-r part is flat (g(r) - 1 or Keen's G(r), e.g. a stripped
      RMCProfile file): re-labelled ``GK`` with W = -plateau, never used as PDFgui G(r);
    * a G(r) or D(r) whose low-r slope is positive (a negative number density).
    """
    meta = dict(data.metadata)
    r, y = np.asarray(data.x, dtype=float), np.asarray(data.y, dtype=float)
    name = Path(data.source).name or "data"
    big = np.abs(y) >= 0.5 * float(np.max(np.abs(y[r > 0.3]))) if np.any(r > 0.3) else None
    if big is not None and r.max() < 12.0:
        first = r[(r > 0.05) & big]
        if first.size and first[0] < 0.6:
            _note(
                meta,
                f"{name}: r ends at {r.max():g} and the first peak is at {first[0]:.2f}: "
                "r looks like nm, not Å (multiply by 10)",
            )
    kind = data.kind
    if kind not in ("G", "D") or r.size < 10:
        return data.replace(metadata=meta)
    shape, value = low_r_shape(r, y)
    # measured G(r) below the first peak carries processing artefacts that can look flat, so
    # the flat-plateau test decides only for files whose header does not say what they hold
    if shape == "flat" and meta.get("convention_from") == "assumed":
        _note(
            meta,
            f"{name}: {kind}(r) does not vanish at r → 0 but is flat at {value:.3g}, as g(r) - 1 "
            f"or Keen's G(r) (RMCProfile) are: read as Keen G(r) with (Σcb)² = {-value:.3g}, "
            "not as PDFgui G(r)",
        )
        meta["mean_b_squared"] = -value
        meta["convention"] = CONVENTIONS["GK"]
        meta["convention_from"] = "low-r shape"
        kind = "GK"
    elif shape == "rising":
        _note(
            meta,
            f"{name}: {kind}(r) rises linearly below the first peak (slope {value:.3g}): that is "
            "a negative number density; the sign or the convention of the file is wrong",
        )
    return data.replace(kind=kind, metadata=meta)


def write_pdfgetx3(
    path: str | Path,
    x: np.ndarray,
    y: np.ndarray,
    *,
    kind: str,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """Write a curve as PDFgetX3 writes it (``key = value`` header, ``#### start data``, ``#L``).

    Refuses to overwrite an existing file.
    """
    p = Path(path)
    if p.exists():
        raise InputFormatError(p, expected="a new file (mofglass never overwrites)", got="exists")
    labels = {
        "G": "r(Å) G(Å^-2)",
        "D": "r(Å) D(r)",
        "GK": "r(Å) G_K(r)",
        "g": "r(Å) g(r)",
        "T": "r(Å) T(r)",
        "S": "Q(Å^-1) S(Q)",
        "F": "Q(Å^-1) F(Å^-1)",
        "i": "Q(Å^-1) i(Q)",
        "FK": "Q(Å^-1) F_K(Q)",
    }
    if kind not in labels:
        raise ValueError(f"cannot write kind {kind!r}")
    head = ["[DEFAULT]", "", "version = mofglass", f"outputtype = {p.suffix.lstrip('.')}"]
    for k, v in (metadata or {}).items():
        if isinstance(v, str | int | float) and "\n" not in str(v):
            head.append(f"{k} = {v}")
    head += [
        f"convention = {CONVENTIONS[kind]}",
        "",
        "#### start data",
        "#S 1",
        f"#L {labels[kind]}",
    ]
    body = "\n".join(f"{a:.6g} {b:.8g}" for a, b in zip(np.asarray(x), np.asarray(y), strict=True))
    p.write_text("\n".join(head) + "\n" + body + "\n")
    return p
