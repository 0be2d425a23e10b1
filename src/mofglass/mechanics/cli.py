"""``mofglass indent``: Oliver-Pharr / CSM analysis of indentation files from the command line.

The lead registers :func:`indent_command` as ``mofglass indent``; it is a plain function with
typer annotations, so it can also be called from Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mofglass import cli_out
from mofglass.cli_out import JsonOpt, OutOpt, out_folder, print_warning, write_technique_outputs
from mofglass.mechanics.analysis import analyse_indentations
from mofglass.mechanics.readers import read_indentations
from mofglass.results import format_value, to_jsonable

__all__ = ["indent_command"]


def indent_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Indentation exports: Hysitron .txt/.hld, FischerScope .txt, Micromaterials "
            ".txt or .zip, Agilent/KLA G200 .xls.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    poisson_ratio: Annotated[
        float | None,
        typer.Option(
            "--poisson-ratio",
            "--nu",
            help="Sample Poisson's ratio: also report Young's modulus E (full relation with a "
            "diamond indenter, and the paper's E = (1 - ν²)·Er).",
            min=-0.99,
            max=0.5,
        ),
    ] = None,
    json_out: JsonOpt = False,
    area: Annotated[
        str | None,
        typer.Option(
            "--area",
            help="Tip area-function coefficients C0,C1,... (A = C0 hc² + C1 hc + C2 hc^1/2 + "
            "...; nm); default: the file's, else the ideal Berkovich 24.5.",
        ),
    ] = None,
    calibration: Annotated[
        Path | None,
        typer.Option(
            "--calibration",
            help="Indents on a reference of known modulus (fused silica): the area function is "
            "fitted on them first (Oliver-Pharr 1992) and used for FILES.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ] = None,
    reference_modulus: Annotated[
        float,
        typer.Option(
            "--reference-er-GPa",
            help="Reduced modulus of the --calibration reference (fused silica: 69.6 GPa).",
            min=1.0,
            max=2000.0,
        ),
    ] = 69.6,
    frame_compliance: Annotated[
        float | None,
        typer.Option(
            "--frame-compliance-nm-mN",
            help="Load-frame compliance (nm/mN); default: the file's, else 0 (with a warning).",
            min=0.0,
        ),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Reduced modulus, hardness (and E) of every file: mean ± SD over its indents.

    Oliver-Pharr on each unloading curve (upper 50 % of the load, ε = 0.75, β = 1, the file's
    area function or the ideal Berkovich 24.5 hc²); CSM depth profiles averaged beyond 100 nm
    when the file has a harmonic stiffness channel.

    Examples
    --------
    mofglass indent indents.zip --poisson-ratio 0.2

    mofglass indent FS_Calibration.xls --nu 0.17 --json

    mofglass indent sample.xls --calibration FS_Calibration.xls --frame-compliance-nm-mN 0.05
    """
    target = out_folder(out, *files, *([calibration] if calibration else []))
    coefficients = _area_coefficients(area, calibration, reference_modulus, frame_compliance)
    results = []
    for path in files:
        tests = read_indentations(path)
        a = analyse_indentations(
            tests,
            poisson_ratio=poisson_ratio,
            area_coefficients=coefficients,
            frame_compliance_nm_mN=frame_compliance,
        )
        results.append((path, a))
    if target is not None:
        options = {
            "poisson_ratio": poisson_ratio,
            "area_coefficients": None if calibration else coefficients,
            "calibration_file": None if calibration is None else str(calibration.resolve()),
            "reference_er_GPa": reference_modulus,
            "frame_compliance_nm_mN": frame_compliance,
        }
        write_technique_outputs(target, "nanoindentation", files, options)
    if json_out:
        payload = [
            {
                "file": str(p),
                **{k: v for k, v in to_jsonable(a).items() if k not in ("indents", "profiles")},
                "indents": [
                    {
                        "name": r.name,
                        "reduced_modulus_GPa": r.reduced_modulus_GPa.value,
                        "hardness_GPa": r.hardness_GPa.value,
                        "contact_depth_nm": r.contact_depth_nm.value,
                    }
                    for r in a.indents
                ],
            }
            for p, a in results
        ]
        cli_out.print_json(payload)
        return
    table = Table(title="Nanoindentation (mean ± SD over indents)")
    for col in ("file", "mode", "n", "Er / GPa (mean ± SD)", "H / MPa (mean ± SD)"):
        table.add_column(col, overflow="fold")
    if poisson_ratio is not None:
        table.add_column(f"E / GPa (ν = {poisson_ratio})")
        table.add_column("E = (1-ν²)Er / GPa")
    for p, a in results:
        h = a.hardness_GPa
        cells = [
            p.name,
            a.mode,
            str(a.n_indents) if a.n_indents > 1 else "1 (single: no SD)",
            format_value(a.reduced_modulus_GPa.value, a.reduced_modulus_GPa.stderr),
            format_value(h.value * 1e3, None if h.stderr is None else h.stderr * 1e3),
        ]
        for m in (a.youngs_modulus_GPa, a.youngs_modulus_rigid_indenter_GPa):
            if poisson_ratio is not None:
                cells.append("-" if m is None else format_value(m.value, m.stderr))
        table.add_row(*cells)
    console = Console()
    console.print(table)
    for _, a in results:
        for w in a.warnings:
            print_warning(w)


def _area_coefficients(
    area: str | None,
    calibration: Path | None,
    reference_modulus_GPa: float,
    frame_compliance_nm_mN: float | None,
) -> list[float] | None:
    """Area coefficients from --area or fitted on the --calibration reference (or None)."""
    from mofglass.errors import MofglassError

    if area is not None and calibration is not None:
        raise MofglassError("give either --area or --calibration, not both")
    if area is not None:
        try:
            coeffs = [float(c) for c in area.replace(";", ",").split(",") if c.strip()]
        except ValueError:
            raise MofglassError(
                f"--area: expected comma-separated numbers C0,C1,..., got {area!r}"
            ) from None
        if not coeffs or not all(np.isfinite(coeffs)) or coeffs[0] <= 0:
            raise MofglassError(f"--area: C0 must be a positive number, got {area!r}")
        return coeffs
    if calibration is None:
        return None
    from mofglass.mechanics.calibration import calibrate_on_reference

    cal = calibrate_on_reference(
        read_indentations(calibration),
        reduced_modulus_GPa=reference_modulus_GPa,
        frame_compliance_nm_mN=frame_compliance_nm_mN,
    )
    Console(stderr=True).print(
        f"area function from {escape(calibration.name)}: C = "
        + ", ".join(f"{c:.5g}" for c in cal.area.coefficients)
        + f" (relative rms {cal.relative_rms:.1%})"
    )
    return list(cal.area.coefficients)
