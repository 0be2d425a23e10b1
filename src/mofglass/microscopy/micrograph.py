"""The :class:`Micrograph` data object: one calibrated 2D (S)TEM image."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Micrograph"]


@dataclass(frozen=True, eq=False)
class Micrograph:
    """A 2D image with its pixel size.

    Attributes
    ----------
    image : ndarray, shape (ny, nx)
        Intensities (float), row 0 at the top.
    pixel_size_A : tuple of float
        (y, x) pixel size in Å.
    source : str
        File name.
    calibration : str
        "file" (from the file's axes) or "user" (``--pixel-size``).
    simulated : bool
        True for images made by :mod:`mofglass.microscopy.synthetic`.
    """

    image: np.ndarray
    pixel_size_A: tuple[float, float]
    source: str = "<memory>"
    calibration: str = "file"
    simulated: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        img = np.asarray(self.image, dtype=float)
        if img.ndim != 2:
            raise ValueError(f"a micrograph is 2D, got shape {img.shape}")
        img.setflags(write=False)
        object.__setattr__(self, "image", img)
        py, px = (float(v) for v in self.pixel_size_A)
        if not (py > 0 and px > 0):
            raise ValueError(f"pixel size must be > 0, got {self.pixel_size_A}")
        object.__setattr__(self, "pixel_size_A", (py, px))

    @property
    def shape(self) -> tuple[int, int]:
        """Return the image shape (rows, columns) in pixels."""
        return (int(self.image.shape[0]), int(self.image.shape[1]))

    def crop(self, roi: tuple[int, int, int, int] | None) -> Micrograph:
        """Cut the region ``(x0, y0, width, height)`` in pixels (None: the whole image)."""
        if roi is None:
            return self
        x0, y0, w, h = (int(v) for v in roi)
        ny, nx = self.shape
        if w < 16 or h < 16 or x0 < 0 or y0 < 0 or x0 + w > nx or y0 + h > ny:
            raise ValueError(
                f"ROI {roi} must lie inside the {nx} x {ny} image and be at least 16 x 16 px"
            )
        return Micrograph(
            self.image[y0 : y0 + h, x0 : x0 + w],
            self.pixel_size_A,
            self.source,
            self.calibration,
            self.simulated,
            {**self.metadata, "roi": (x0, y0, w, h)},
        )
