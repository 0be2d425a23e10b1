"""``mofglass bands FILE --band 252:200-300 [--shape voigt] [--json]``: fit IR / NMR bands."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from mofglass.cli_out import JsonOpt, OutOpt, out_folder, print_json, write_technique_outputs

__all__ = ["bands_command"]


def bands_command(
    file: Annotated[
        Path,
        typer.Argument(help="Spectrum: JASCO .csv/.jws, JCAMP-DX .jdx, TopSpin totxt, x/y text."),
    ],
    band: Annotated[
        list[str],
        typer.Option(
            "--band",
            "-b",
            help="Band as 'centre:low-high' in the file's x unit (cm^-1 or ppm); repeatable. "
            "Bands with the same window are fitted together.",
        ),
    ],
    shape: Annotated[
        str, typer.Option(help="Line shape: gaussian, lorentzian, pseudo_voigt or voigt.")
    ] = "voigt",
    json_out: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """Fit bands of an FTIR or NMR spectrum: position, FWHM, area and height with 1σ errors.

    Transmittance is converted to absorbance; each window gets a local linear baseline.

    Examples::

        mofglass bands cdim2_farir.jdx --band 252:200-300
        mofglass bands gcdim2_113cd.jdx --band 433:340-530 --shape pseudo_voigt --json
    """
    from mofglass.errors import DataWarning, MofglassError
    from mofglass.spectroscopy.analysis import analyse_spectrum, parse_band_spec
    from mofglass.spectroscopy.bands import SHAPES
    from mofglass.spectroscopy.readers import read_spectrum

    if shape not in SHAPES:
        raise MofglassError(f"--shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    if not band:
        raise MofglassError("give at least one --band such as 252:200-300")
    target = out_folder(out, file)
    spec = read_spectrum(file)
    windows = [parse_band_spec(b) for b in band]
    result = analyse_spectrum(spec, windows=windows, shape=shape)
    if target is not None:
        key = "nmr" if spec.x_unit == "shift_ppm" else "ftir"
        bands = [{"center": w.center, "window": w.window, "label": w.label} for w in windows]
        write_technique_outputs(target, key, file, {"bands": bands, "shape": shape})
    for line in result.warnings:  # flagged bands: said once, kept out of the table's values
        warnings.warn(f"{file.name}: {line}", DataWarning, stacklevel=1)
    if json_out:
        doc = {
            "file": file.name,
            "x_unit": spec.x_unit,
            "y_kind": spec.y_kind,
            "shape": shape,
            "bands": [
                {
                    "band": wb.name,
                    "window": list(wb.window),
                    **wb.band.to_dict(),
                    "ok": not wb.flags,
                    "flags": list(wb.flags),
                }
                for wb in result.bands
            ],
        }
        print_json(doc)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{file.name} ({spec.x_unit}, {spec.y_kind}, {shape})")
    for col in ("band", "window", "position", "FWHM", "area", "height"):
        table.add_column(col)
    for wb in result.bands:
        b = wb.band
        values = (
            ["flagged (not a measurement)", "-", "-", "-"]
            if wb.flags
            else [str(b.position), str(b.fwhm), str(b.area), str(b.height)]
        )
        name = wb.name if b.shape == shape else f"{wb.name} ({b.shape})"  # Voigt's Lorentz limit
        table.add_row(name, f"{wb.window[0]:g}-{wb.window[1]:g}", *values)
    Console().print(table)
