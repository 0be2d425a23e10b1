"""mofglass: melting, glass formation and glass-ceramic conversion of metal-organic frameworks.

From crystal structures and raw instrument files to the quantities of a MOF-glass study, with
uncertainties, figures and a report.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mofglass")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

from mofglass.errors import InputFormatError, ManifestError, MofglassError
from mofglass.results import Measured

__all__ = ["InputFormatError", "ManifestError", "Measured", "MofglassError", "__version__"]
