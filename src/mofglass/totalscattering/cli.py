"""``mofglass pdf``: reduce total scattering and refine structure models against a G(r).

``mofglass pdf FILES`` (the same as ``mofglass pdf reduce FILES``) reduces measured files;
``mofglass pdf fit`` refines structure models against a G(r).

The lead CLI registers :data:`app` as ``pdf``; a first argument that is not a subcommand name
goes to ``reduce``, so ``mofglass pdf FILES`` keeps working.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from mofglass.cli_out import DefaultCommandGroup, JsonOpt, print_json
from mofglass.errors import DataWarning
from mofglass.results import to_jsonable

__all__ = ["app", "fit_command", "pdf_command"]


class _DefaultToReduce(DefaultCommandGroup):
    """``pdf ARGS``: ARGS not starting with a subcommand name go to ``pdf reduce``."""

    default_command = "reduce"


app = typer.Typer(
    cls=_DefaultToReduce,
    no_args_is_help=True,
    help="Total scattering: reduce files to G(r)/D(r) (pdf FILES = pdf reduce FILES) or "
    "refine structures against a G(r) (pdf fit).",
)


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
    json_out: JsonOpt = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write <name>.gr/.fq/.sq (PDFgetX3 style), .csv and .png here."),
    ] = None,
    phase: Annotated[
        Path | None,
        typer.Option(
            "--phase",
            help="Structure model (CIF): label the features below 8 Å by their main pair "
            "partials (Figure-4 view with --out).",
        ),
    ] = None,
    probe: Annotated[
        str, typer.Option("--probe", help="xray or neutron weights of the model partials.")
    ] = "xray",
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
    x_unit: Annotated[
        str | None,
        typer.Option(
            "--x-unit",
            help="x of .xy/.chi files without a column header: q_invA, q_invnm or "
            "two_theta_deg (default: the header's, else guessed from the range with a warning).",
        ),
    ] = None,
    wavelength: Annotated[
        float | None,
        typer.Option("--wavelength", min=0.01, help="Wavelength in Å for 2θ data."),
    ] = None,
) -> None:
    """Reduce measured total scattering to G(r)/D(r) and report the first PDF peaks.

    Examples
    --------
        mofglass pdf ZIF4glassa_31.int01 --qmax 22 --lorch

        mofglass pdf ZIF4glassa_*.dofr --json

        mofglass pdf ZIF4glassa_31.int01 --out reduced/

        mofglass pdf Mg2SiO4.xy --background Mg2SiO4_bkg.xy --formula Mg2SiO4 --qmax 20
    """
    from mofglass.cli_out import out_folder
    from mofglass.totalscattering.analysis import analyse
    from mofglass.totalscattering.readers import read_total_scattering

    target = out_folder(out, *files)  # refused now (a file, a folder of the user's files)
    axis = {k: v for k, v in (("x_kind", x_unit), ("wavelength_A", wavelength)) if v is not None}
    bkg = read_total_scattering(background, **axis) if background is not None else None
    model = None
    if phase is not None:
        from mofglass.scattering import crystal_pdf
        from mofglass.structure import network_labels, read_structure
        from mofglass.totalscattering.refine_model import neutron_lengths

        if probe not in ("xray", "neutron"):
            raise typer.BadParameter(f"--probe must be xray or neutron, got {probe!r}")
        crystal = read_structure(phase)
        weights = neutron_lengths(sorted(set(crystal.species))) if probe == "neutron" else None
        model = crystal_pdf(
            crystal, r_max_A=10.0, labels=network_labels(crystal), scattering=weights
        )
    panels: list[dict[str, Any]] = []
    payload = []
    pending: list[tuple[Any, str, dict[str, Any], dict[str, Any]]] = []  # written at the end
    for f in files:
        data = read_total_scattering(f, **axis)
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
            "ripples_A": list(s.ripples_A),
            "number_density_invA3": s.number_density_invA3,
        }
        if model is not None:
            from mofglass.totalscattering.assign import assign_features

            feats = assign_features(s.r_A, s.pdf, model)
            entry["features"] = [{**x.to_dict(), "label": x.label} for x in feats]
            panels.append(
                {
                    "label": f.stem,
                    "r_A": s.r_A,
                    "pdf": s.pdf,
                    "pdf_kind": s.pdf_kind,
                    "model_r_A": model.r_A,
                    "partials": model.element_partials,
                    "network": model.kind_partials,
                    "features": entry["features"],
                }
            )
            if not json_out:
                typer.echo(
                    "  features: "
                    + ", ".join(
                        f"{x.r_A:.2f} Å {'+' if x.sign > 0 else '-'} {x.label}" for x in feats
                    )
                )
        if target is not None:
            meta = {k: v for k, v in data.metadata.items() if k in ("temperature_C", "title")}
            if formula:
                meta["composition"] = formula
            pending.append((s, f.stem, {"source": f.name, **meta}, entry))
        payload.append(entry)
        if not json_out:
            peaks = ", ".join(str(p) for p in s.peaks if p.ok) or "none"
            for p in s.peaks:
                if not p.ok:  # kept out of the headline, said why
                    warnings.warn(
                        f"{f.name}: peak near {p.position_A.value:.3g} Å not reported: "
                        + "; ".join(p.flags),
                        DataWarning,
                        stacklevel=1,
                    )
            q = f"Qmax {s.qmax_invA:.2f} Å⁻¹, " if s.qmax_invA else ""
            typer.echo(f"{f.name}: {s.pdf_kind}(r), {q}first peaks at {peaks}")
    if target is not None:  # all or nothing: a temporary sibling moved into place
        from mofglass.totalscattering.outputs import write_reduction

        with target.writing() as tmp:
            for summary, stem, meta, entry in pending:
                paths = write_reduction(summary, tmp, stem, metadata=meta)
                entry["written"] = [str(target.path / p.name) for p in paths]
            if panels:
                from mofglass.plotting.totalscattering import features_figure

                features_figure(panels).savefig(tmp / "features.png", dpi=150)
    if json_out:
        print_json(to_jsonable(payload))


def _pairs(items: list[str] | None, what: str) -> dict[str, str]:
    out = {}
    for it in items or []:
        if "=" not in it:
            raise typer.BadParameter(f"{what} must be NAME=VALUE, got {it!r}")
        k, v = it.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def fit_command(
    data: Annotated[
        list[Path],
        typer.Argument(
            help="Measured PDFgui G(r) file(s) (.gr); several = a sequential (VT) refinement."
        ),
    ],
    phase: Annotated[
        list[Path],
        typer.Option("--phase", help="Structure model (CIF); repeat for several phases."),
    ],
    shape: Annotated[
        str, typer.Option("--shape", help="Particle envelope: none, sphere or spheroid.")
    ] = "none",
    probe: Annotated[str, typer.Option("--probe", help="xray or neutron.")] = "xray",
    qmax: Annotated[
        float | None, typer.Option("--qmax", help="Qmax of the data, Å⁻¹ (default: file header).")
    ] = None,
    rmin: Annotated[float, typer.Option("--rmin", help="Fit range start, Å.")] = 1.5,
    rmax: Annotated[float, typer.Option("--rmax", help="Fit range end, Å.")] = 30.0,
    refine: Annotated[
        str | None,
        typer.Option(
            "--refine",
            help="Comma-separated parameters or groups (scale, lattice, Uiso, Uaniso, delta1, "
            "delta2, diameter, qdamp, qbroad, or names like Uiso_Ni, U33_Cd1). Anisotropic "
            "sites of a CIF refine their free U_ij (site symmetry applied). Default: scale,"
            "lattice,Uiso,Uaniso,delta2,qdamp (+ diameter with a shape).",
        ),
    ] = None,
    start: Annotated[
        list[str] | None, typer.Option("--start", help="Starting value NAME=VALUE (repeatable).")
    ] = None,
    constrain: Annotated[
        list[str] | None,
        typer.Option("--constrain", help="Tie NAME=OTHER (e.g. Uiso_S=Uiso_Cd; repeatable)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Refine structure models against a measured G(r) (PDFgui / PDFfit2 model).

    Examples
    --------
        mofglass pdf fit ni.gr --phase ni.cif --json

        mofglass pdf fit nano.gr --phase CdS.cif --shape sphere --qmax 26 --start qdamp=0.0396

        mofglass pdf fit mix.gr --phase a.cif --phase b.cif --refine scale,lattice,Uiso

        mofglass pdf fit run_*.gr --phase LaMnO3.cif --probe neutron   # sequential, VT
    """
    from mofglass.totalscattering.adp import load_phase
    from mofglass.totalscattering.readers import read_total_scattering
    from mofglass.totalscattering.refine import refine_pdf, result_summary

    crystals = [load_phase(p) for p in phase]
    groups = ["scale", "lattice", "Uiso", "Uaniso", "delta2", "qdamp"]
    if shape != "none":
        groups.append("diameter")
    names = [g.strip() for g in refine.split(",") if g.strip()] if refine else groups
    starts: dict[str, Any] = {}
    for k, v in _pairs(start, "--start").items():
        try:
            starts[k] = float(v)
        except ValueError:
            raise typer.BadParameter(f"--start {k}={v}: not a number") from None
    if "qdamp" in starts and refine is None and "qdamp" in names:
        names.remove("qdamp")  # a given instrument Qdamp is kept, as PDFgui users do
    options: dict[str, Any] = {
        "probe": probe,
        "qmax_invA": qmax,
        "fit_range_A": (rmin, rmax),
        "refine": names,
        "constraints": _pairs(constrain, "--constrain"),
        "shape": shape,
    }
    datasets = [read_total_scattering(f) for f in data]
    if len(datasets) == 1:
        res = refine_pdf(datasets[0], crystals, start=starts, **options)
        if json_out:
            print_json(to_jsonable(result_summary(res)))
        else:
            typer.echo(res.report())
        return
    from mofglass.totalscattering.series import detect_change, refine_series

    found = [d.metadata.get("temperature_C") for d in datasets]
    temps: list[float] = [float(i) for i in range(len(datasets))]  # file order by default
    if all(t is not None for t in found):
        temps = [float(str(t)) for t in found]
    series = refine_series(datasets, crystals, temperatures=temps, start=starts, **options)
    table = series.table()
    cols = [k for k in table if k not in ("temperature", "rw")]
    change = None
    if len(datasets) >= 6:
        import numpy as np

        change = detect_change(table["temperature"], np.column_stack([table[k] for k in cols]))
    if json_out:
        payload = {
            "fits": [result_summary(f) for f in series.fits],
            "table": table,
            "change": None if change is None else change.to_dict(),
        }
        print_json(to_jsonable(payload))
        return
    typer.echo("T       " + " ".join(f"{c:>12}" for c in cols) + "      Rw")
    for i, t in enumerate(table["temperature"]):
        vals = " ".join(f"{table[c][i]:12.6g}" for c in cols)
        typer.echo(f"{t:<7g} {vals} {table['rw'][i]:7.4f}")
    if change is not None:
        verdict = "significant" if change.significant else "not significant"
        typer.echo(f"largest change between {change.before:g} and {change.after:g} ({verdict})")


app.command("reduce")(pdf_command)
app.command("fit")(fit_command)
