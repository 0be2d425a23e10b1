"""CLI command ``mofglass pxrd``: analyse one powder pattern file (wired in by mofglass.cli).

Examples
--------
::

    mofglass pxrd scan.xrdml                      # peaks, Scherrer size, amorphous test
    mofglass pxrd glass.xy --wavelength 1.5406    # file without wavelength
    mofglass pxrd sample.brml --json > out.json   # machine-readable, unit-suffixed keys
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from mofglass.diffraction.analysis import PatternAnalysis, analyze_pattern
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.size import InstrumentProfile

__all__ = ["analysis_to_json", "pxrd_command"]


def analysis_to_json(res: PatternAnalysis) -> dict[str, Any]:
    """JSON-ready dict: headline quantities (``{name: {value, stderr, unit}}``), peaks, flags."""
    return {
        "source": res.pattern.source,
        "wavelength_A": res.pattern.wavelength_A,
        "n_points": len(res.pattern),
        "two_theta_range_deg": [
            float(res.pattern.two_theta_deg[0]),
            float(res.pattern.two_theta_deg[-1]),
        ],
        "amorphous": res.amorphous,
        "quantities": {k: m.to_dict() for k, m in res.quantities().items()},
        "peaks": res.peak_table(),
        "impurities": [m.to_dict() for m in res.impurities if m.present],
        "warnings": list(res.warnings),
    }


def pxrd_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="Powder pattern: .xy/.xye/.csv/.dat/.xrdml/.brml/.raw/.rasx/.ras/.fxye/.chi",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    wavelength_A: Annotated[
        float | None,
        typer.Option(
            "--wavelength",
            "-w",
            help="Wavelength in Å when the file does not state it (overrides the file's).",
            min=0.01,
        ),
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of a text summary.")
    ] = False,
    caglioti: Annotated[
        str | None,
        typer.Option(
            "--instrument",
            help="Instrument profile 'U,V,W[,X,Y]' (deg², Gaussian Caglioti; deg, Lorentzian).",
        ),
    ] = None,
) -> None:
    """Peaks, crystallite size (Scherrer and Williamson-Hall), "no Bragg peaks" test,
    crystalline fraction and impurity check (Cd, CdO) of one powder pattern.

    Without --instrument the sizes include instrumental broadening (lower estimates). Sizes
    below the instrument's resolution are reported as lower bounds ("> 1200 nm").

    Examples:

      mofglass pxrd scan.xrdml

      mofglass pxrd glass.xy --wavelength 1.5406

      mofglass pxrd sample.brml --instrument 0.004,-0.002,0.0025,0,0.02 --json
    """
    pattern = read_pattern(file, wavelength_A=wavelength_A)
    inst = None
    if caglioti:
        try:
            vals = [float(v) for v in caglioti.split(",")]
        except ValueError:
            raise typer.BadParameter("--instrument takes 3 or 5 comma-separated numbers") from None
        if len(vals) not in (3, 5):
            raise typer.BadParameter("--instrument takes 3 or 5 comma-separated numbers")
        vals += [0.0] * (5 - len(vals))
        u, v, w, x, y = vals
        inst = InstrumentProfile(u=u, v=v, w=w, x=x, y=y, source="command line")
    res = analyze_pattern(pattern, instrument=inst)
    if json_out:
        typer.echo(json.dumps(analysis_to_json(res), indent=2))
    else:
        typer.echo(res.summary())
