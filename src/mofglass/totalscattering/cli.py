"""``mofglass pdf``: measured total scattering → F(Q), G(r)/D(r) and first-peak positions.

The lead CLI registers :func:`pdf_command` as ``pdf``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mofglass.results import to_jsonable

__all__ = ["pdf_command"]


def pdf_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="GudrunX .int01/.dofr, pyFAI .xy, Fit2D .chi, diffpy .gr/.iq files."),
    ],
    qmax: Annotated[
        float | None, typer.Option("--qmax", help="Qmax of the transform, Å⁻¹ (default: data max).")
    ] = None,
    lorch: Annotated[
        bool, typer.Option("--lorch/--no-lorch", help="Lorch modification function.")
    ] = True,
    json_out: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    formula: Annotated[
        str | None, typer.Option("--formula", help="Sample formula, needed for raw intensities.")
    ] = None,
    background: Annotated[
        Path | None,
        typer.Option("--background", help="Empty-container / air file to subtract (scale 1)."),
    ] = None,
    density: Annotated[
        float | None,
        typer.Option("--density", help="Mass density, g/cm³ (Norman term of the normalisation)."),
    ] = None,
    compton: Annotated[
        bool,
        typer.Option(
            "--compton/--no-compton",
            help="Subtract the formula's Compton scattering from raw intensities (xraylib).",
        ),
    ] = True,
) -> None:
    """Reduce measured total scattering to G(r)/D(r) and report the first PDF peaks.

    Examples:

        mofglass pdf ZIF4glassa_31.int01 --qmax 22 --lorch

        mofglass pdf ZIF4glassa_*.dofr --json

        mofglass pdf Mg2SiO4.xy --background Mg2SiO4_bkg.xy --formula Mg2SiO4 --qmax 20
    """
    from mofglass.totalscattering.analysis import analyse
    from mofglass.totalscattering.readers import read_total_scattering

    bkg = read_total_scattering(background) if background is not None else None
    payload = []
    for f in files:
        data = read_total_scattering(f)
        s = analyse(
            data,
            qmax_invA=qmax,
            lorch=lorch,
            formula=formula,
            density_g_cm3=density,
            background=bkg,
            compton=compton,
        )
        entry = {
            "file": str(f),
            "kind_read": data.kind,
            "pdf_kind": s.pdf_kind,
            "qmax_invA": s.qmax_invA,
            "lorch": s.lorch,
            "temperature_C": data.metadata.get("temperature_C"),
            "peaks": [p.to_dict() for p in s.peaks],
            "number_density_invA3": s.number_density_invA3,
        }
        payload.append(entry)
        if not json_out:
            peaks = ", ".join(str(p.position_A) for p in s.peaks) or "none"
            q = f"Qmax {s.qmax_invA:.2f} Å⁻¹, " if s.qmax_invA else ""
            typer.echo(f"{f.name}: {s.pdf_kind}(r), {q}first peaks at {peaks}")
    if json_out:
        typer.echo(json.dumps(to_jsonable(payload)))
