"""``mofglass sorption FILE [--bet-range LO-HI] [--json]``: BET, pore volumes and DR of an isotherm."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mofglass.cli_out import JsonOpt, OutOpt, out_folder, print_json, write_technique_outputs

__all__ = ["sorption_command"]


def _parse_range(text: str | None, name: str) -> tuple[float, float] | None:
    from mofglass.errors import MofglassError

    if text is None:
        return None
    try:
        lo, hi = (float(v) for v in text.replace(":", "-").split("-", 1))
    except ValueError:
        raise MofglassError(
            f"{name} must be 'low-high' in p/p0, e.g. 0.01-0.1; got {text!r}"
        ) from None
    if not 0 <= lo < hi <= 1:
        raise MofglassError(f"{name} must satisfy 0 <= low < high <= 1; got {text!r}")
    return lo, hi


def sorption_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="Isotherm: AIF, pyGAPS .json, BEL .DAT/.csv, Quantachrome raw .txt, "
            "Micromeritics .xls."
        ),
    ],
    bet_range: Annotated[
        str | None,
        typer.Option("--bet-range", help="BET p/p0 range 'low-high' (default: Rouquerol)."),
    ] = None,
    dr_range: Annotated[
        str | None, typer.Option("--dr-range", help="DR p/p0 range 'low-high' (CO2 at 273 K).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Reader (default: sniffed).")] = "auto",
    json_out: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """Characterise a gas isotherm with pyGAPS.

    BET area (Rouquerol criteria, range reported), total pore volume, t-plot micropore volume
    (N2 77 K) and DR (CO2 273 K).

    Examples::

        mofglass sorption "UiO-66 N2 77K.json"
        mofglass sorption DUT-49_N2_77K.DAT --bet-range 0.005-0.05 --json
    """
    from mofglass.sorption.analysis import analyse_isotherm
    from mofglass.sorption.readers import read_isotherm

    target = out_folder(out, file)
    iso = read_isotherm(file, fmt)
    bet, dr = _parse_range(bet_range, "--bet-range"), _parse_range(dr_range, "--dr-range")
    res = analyse_isotherm(iso, bet_range=bet, dr_range=dr)
    if target is not None:
        options = {"format": fmt, "bet_range": bet, "dr_range": dr}
        write_technique_outputs(target, "sorption", file, options)
    if json_out:
        doc = res.to_dict()
        doc.pop("curves_data", None)
        doc.update(file=file.name, format=iso.format, p0_source=iso.p0_source)
        print_json(doc)
        return
    typer.echo(res.report())
