"""Micrograph readers through rosettasciio, with the pixel calibration.

Formats: Gatan .dm3/.dm4, FEI/TFS .emi/.ser and Velox .emd, TIFF with calibration tags.

The spatial calibration is taken from the file's axes (scale and unit); an image without one
needs ``pixel_size_A``. Spectra, stacks and images in reciprocal units are refused with the
axes the file does have.

References
----------
.. [1] RosettaSciIO, https://hyperspy.org/rosettasciio (file readers for electron microscopy).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError, reader_boundary
from mofglass.microscopy.micrograph import Micrograph

__all__ = ["READERS", "read_micrograph"]

#: extension -> rosettasciio module
READERS = {
    ".dm3": "digitalmicrograph",
    ".dm4": "digitalmicrograph",
    ".emi": "tia",
    ".ser": "tia",
    ".emd": "emd",
    ".tif": "tiff",
    ".tiff": "tiff",
}
_TO_A = {"m": 1e10, "µm": 1e4, "um": 1e4, "μm": 1e4, "nm": 10.0, "Å": 1.0, "A": 1.0, "pm": 0.01}


def _axes_desc(axes: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{a.get('name', '?')} {a.get('size')} x {float(a.get('scale', 1)):g} {a.get('units') or ''}".rstrip()
        for a in axes
    )


def _imagej_unit(p: Path) -> str | None:
    """Return the length unit of an ImageJ TIFF (rosettasciio reads only "micron")."""
    import tifffile

    try:
        with tifffile.TiffFile(str(p)) as tif:
            meta = tif.imagej_metadata or {}
    except Exception:
        return None
    unit = str(meta.get("unit", "")).replace("\\u00B5", "µ")
    return {"micron": "µm", "nm": "nm", "A": "Å", "Å": "Å", "pm": "pm"}.get(unit)


@reader_boundary("an electron micrograph")
def read_micrograph(
    path: str | Path, *, pixel_size_A: float | None = None, index: int = 0
) -> Micrograph:
    """Read a 2D image and its pixel size.

    Parameters
    ----------
    path : str or Path
        The file (only read).
    pixel_size_A : float, optional
        Pixel size in Å; overrides the file's calibration and is required when it has none.
    index : int
        Which signal of a multi-signal file (.emd) to read.

    Raises
    ------
    InputFormatError
        Unknown extension, not a 2D image, or no spatial calibration and no ``pixel_size_A``.
    """
    import importlib

    p = Path(path)
    mod = READERS.get(p.suffix.lower())
    if mod is None:
        raise InputFormatError(
            p.name, expected=f"an image file ({', '.join(sorted(READERS))})", got=p.suffix
        )
    reader = importlib.import_module(f"rsciio.{mod}").file_reader
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            signals = reader(str(p))
    except Exception as exc:
        raise InputFormatError(p.name, expected=f"a readable {mod} file", got=str(exc)) from exc
    images = [s for s in signals if sum(1 for a in s["axes"] if not a.get("navigate")) == 2]
    if not images:
        s0 = signals[0]
        sig0 = [a for a in s0["axes"] if not a.get("navigate")]
        kind = "a spectrum" if len(sig0) == 1 else f"{len(sig0)}D data"
        raise InputFormatError(
            p.name,
            expected="a 2D image",
            got=f"{kind}: {_axes_desc(sig0)}",
        )
    if index >= len(images):
        raise InputFormatError(p.name, expected=f"image index < {len(images)}", got=str(index))
    sig = images[index]
    data = np.asarray(sig["data"])
    sig_axes = [a for a in sig["axes"] if not a.get("navigate")]
    if data.ndim != 2:
        raise InputFormatError(
            p.name, expected="a single 2D image (not a stack)", got=f"shape {data.shape}"
        )
    if np.iscomplexobj(data):
        data = np.abs(data)
    if pixel_size_A is not None:
        if not pixel_size_A > 0:
            raise InputFormatError(p.name, expected="pixel size > 0 Å", got=str(pixel_size_A))
        return Micrograph(data, (pixel_size_A, pixel_size_A), p.name, "user")
    sizes = []
    ij_unit = _imagej_unit(p) if mod == "tiff" else None
    for a in sig_axes:
        unit = str(a.get("units") or ij_unit or "").strip()
        scale = float(a.get("scale", 1.0))
        if unit not in _TO_A or (scale == 1.0 and unit == ""):
            raise InputFormatError(
                p.name,
                expected="an image with a spatial pixel calibration (nm, Å, ...) or --pixel-size",
                got=f"axes {_axes_desc(sig_axes)}",
            )
        size = scale * _TO_A[unit]
        if size > 1e4:  # > 1 µm per pixel: a print resolution (dpi), not a calibration
            raise InputFormatError(
                p.name,
                expected="a microscope pixel calibration or --pixel-size",
                got=f"{scale:g} {unit} per pixel (a print resolution?)",
            )
        sizes.append(size)
    return Micrograph(
        data,
        (sizes[0], sizes[1]),
        p.name,
        "file",
        metadata={"axes": _axes_desc(sig_axes), "reader": mod},
    )
