"""The technique commands of ``mofglass``, listed without importing them.

``mofglass --help`` shows this table; :mod:`mofglass.cli` imports a command's module only when
the command runs (or its own ``--help`` is asked for). name -> ("module:attribute", the one-line
help). The attribute is a command function or a Typer sub-application; every command is
wrapped in :func:`mofglass.cli.handle_errors` when it is loaded. ``tests/test_entry.py`` checks
each line against the command's own docstring. Adding a technique command is one entry here.
"""

from __future__ import annotations

__all__ = ["LAZY_COMMANDS"]

LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "structure": (
        "mofglass.structure.cli:structure_app",
        "Crystal structures: analyse a CIF (default) or build an isostructural model.",
    ),
    "dsc": (
        "mofglass.thermal.cli:dsc_command",
        "Events, enthalpies, Tg, ΔCp and fictive temperature of every segment of a DSC run.",
    ),
    "tga": (
        "mofglass.thermal.cli:tga_command",
        "Decomposition onset (extrapolated, ASTM E2550, and at a mass-loss threshold), steps, DTA.",
    ),
    "fragility": (
        "mofglass.thermal.cli:fragility_command",
        "Fragility index m from the rate dependence of Tf (or Tg) over a series of scans.",
    ),
    "pxrd": (
        "mofglass.diffraction.cli:pxrd_command",
        "Analyse one powder pattern: peaks, sizes and a whole-pattern fit.",
    ),
    "pxrd-series": (
        "mofglass.diffraction.cli:pxrd_series_command",
        "Refine a series of patterns sequentially (Pawley / Le Bail).",
    ),
    "indent": (
        "mofglass.mechanics.cli:indent_command",
        "Reduced modulus, hardness (and E) of every file: mean ± SD over its indents.",
    ),
    "bands": (
        "mofglass.spectroscopy.cli:bands_command",
        "Fit bands of an FTIR or NMR spectrum: position, FWHM, area and height with 1σ errors.",
    ),
    "pdf": (
        "mofglass.totalscattering.cli:app",
        "Total scattering: reduce files to G(r)/D(r) (pdf FILES = pdf reduce FILES) or refine "
        "structures against a G(r) (pdf fit).",
    ),
    "sorption": (
        "mofglass.sorption.cli:sorption_command",
        "Characterise a gas isotherm with pyGAPS.",
    ),
    "tem": (
        "mofglass.microscopy.cli:tem_command",
        "Measure the lattice fringes of an HR-TEM image.",
    ),
    "simulate": (
        "mofglass.scattering.cli:app",
        "Simulate diffraction and total scattering from a CIF or an atom model.",
    ),
    "model": (
        "mofglass.models.glass.cli:app",
        "Glass structure models: continuous random networks and their analysis.",
    ),
    "predict": (
        "mofglass.models.cli:predict_command",
        "Calibrate nucleation-and-growth kinetics on observations and predict what follows.",
    ),
    "library": (
        "mofglass.study.library_cli:app",
        "A lab library of results (DuckDB): add, query, export, trend.",
    ),
    "schema": (
        "mofglass.study.schema:schema_command",
        "Print the manifest keys of a technique: type, default, range, description, example.",
    ),
}
