"""mofglass: melting, glass formation and glass-ceramic conversion of metal-organic frameworks.

From crystal structures and raw instrument files to the quantities of a MOF-glass study, with
uncertainties, figures and a report.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("mofglass")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

from mofglass.errors import InputFormatError, ManifestError, MofglassError

__all__ = ["InputFormatError", "ManifestError", "Measured", "MofglassError", "__version__"]


def __getattr__(name: str) -> Any:
    # Measured needs numpy; imported on first use so that ``mofglass`` starts (and answers
    # Ctrl-C) quickly
    if name == "Measured":
        from mofglass.results import Measured

        return Measured
    raise AttributeError(f"module 'mofglass' has no attribute {name!r}")
