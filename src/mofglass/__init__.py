"""mofglass: melting, glass formation and glass-ceramic conversion of metal-organic frameworks.

From crystal structures and raw instrument files to the quantities of a MOF-glass study, with
uncertainties, figures and a report.
"""

TYPE_CHECKING = False  # typing is not imported: ``import mofglass`` stays a few ms
if TYPE_CHECKING:
    from mofglass.errors import InputFormatError, ManifestError, MofglassError
    from mofglass.results import Measured

    __version__: str

__all__ = ["InputFormatError", "ManifestError", "Measured", "MofglassError", "__version__"]

_LAZY = {
    "InputFormatError": "mofglass.errors",
    "ManifestError": "mofglass.errors",
    "MofglassError": "mofglass.errors",
    "Measured": "mofglass.results",
}


def __getattr__(name: str) -> object:
    # imported on first use so that the ``mofglass`` command starts (and answers Ctrl-C)
    # quickly: Measured needs numpy, and the version lookup scans the installed packages
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("mofglass")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            value = "0.0.0+unknown"
    else:
        raise AttributeError(f"module 'mofglass' has no attribute {name!r}")
    globals()[name] = value
    return value
