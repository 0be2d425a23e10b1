"""``mofglass tem IMAGE [--pixel-size Å] [--roi x0,y0,w,h] [--phase X.cif] [--domains]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mofglass.cli_out import OUT_HELP, out_folder, print_json, write_technique_outputs

__all__ = ["tem_command"]


def tem_command(
    image: Annotated[
        Path, typer.Argument(help="HR-TEM image: .dm3/.dm4, .emi/.ser, .emd, calibrated .tif.")
    ],
    pixel_size: Annotated[
        float | None,
        typer.Option("--pixel-size", help="Pixel size in Å (required if the file has none)."),
    ] = None,
    roi: Annotated[
        str | None, typer.Option("--roi", help="Region 'x0,y0,width,height' in pixels.")
    ] = None,
    phase: Annotated[
        Path | None, typer.Option("--phase", help="CIF to index the fringes against.")
    ] = None,
    domains: Annotated[
        bool, typer.Option("--domains", help="Local-FFT crystalline-domain map.")
    ] = False,
    d_tol: Annotated[float, typer.Option("--d-tol", help="Relative d tolerance.")] = 0.05,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Write the Figure S4-like view (.png/.svg).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help=OUT_HELP)] = None,
) -> None:
    """Measure the lattice fringes of an HR-TEM image.

    FFT spots, d-spacings and angles with 1σ errors, harmonics, indexing (zone axis, (hkl), mismatch) and the inverse-FFT filtered image.

    Examples::

        mofglass tem 16_STOimage_1.ser --phase SrTiO3.cif
        mofglass tem prccdim2.tif --pixel-size 0.35 --roi 100,100,256,256 --phase cdim2.cif
    """
    from mofglass.errors import MofglassError
    from mofglass.microscopy.analysis import analyse_micrograph
    from mofglass.microscopy.readers import read_micrograph

    box = None
    if roi is not None:
        try:
            x0, y0, w, h = (int(v) for v in roi.split(","))
        except ValueError:
            raise MofglassError(
                f"--roi must be 'x0,y0,width,height' in pixels, got {roi!r}"
            ) from None
        box = (x0, y0, w, h)
    if figure is not None and figure.exists():
        raise MofglassError(f"{figure} exists; choose another --figure name")
    target = out_folder(out, image, *([phase] if phase else []))
    mg = read_micrograph(image, pixel_size_A=pixel_size)
    lat = sg = None
    if phase is not None:
        from mofglass.structure.cif import read_structure

        crystal = read_structure(phase)
        lat, sg = crystal.lattice_A, crystal.spacegroup
    try:
        res = analyse_micrograph(
            mg,
            roi=box,
            lattice_A=lat,
            spacegroup=sg,
            phase=phase.name if phase else "",
            domain_map=domains,
            d_tol=d_tol,
        )
    except ValueError as exc:
        raise MofglassError(f"{image.name}: {exc}") from exc
    if figure is not None:
        from mofglass.plotting.microscopy import analysis_figure

        analysis_figure(res, title=image.name).savefig(figure, dpi=200)
    doc = {k: v for k, v in res.to_dict().items() if k != "view"}  # no thumbnails
    if target is not None:
        options = {
            "pixel_size_A": pixel_size,
            "roi": box,
            "phase": None if phase is None else str(phase.resolve()),
            "domain_map": domains,
            "d_tol": d_tol,
        }
        write_technique_outputs(target, "tem", image, options, doc=doc)
    if json_out:
        print_json(doc)
        return
    typer.echo(res.report())
