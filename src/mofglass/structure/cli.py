"""``mofglass structure FILE.cif [--json]`` (analyse) and ``mofglass structure build``.

``structure`` is a command group whose default is ``analyse``: ``mofglass structure X.cif`` and
``mofglass structure analyse X.cif`` are the same; ``mofglass structure build TEMPLATE.cif``
builds an isostructural model (:mod:`mofglass.structure.build`).
"""

from __future__ import annotations

from pathlib import Path

import typer

from mofglass.cli_out import (
    OUT_HELP,
    DefaultCommandGroup,
    out_folder,
    print_json,
    print_warning,
    write_technique_outputs,
)

__all__ = ["build_command", "structure_app", "structure_command"]


class _DefaultAnalyse(DefaultCommandGroup):
    """A group that runs ``analyse`` when the first argument is not one of its commands."""

    default_command = "analyse"


def structure_command(
    file: Path = typer.Argument(..., help="CIF file (symmetry is expanded; disorder resolved)."),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON document instead of tables."),
    fringe_nm: float | None = typer.Option(
        None, "--fringe-nm", help="Also list the (hkl) nearest a measured lattice fringe (nm)."
    ),
    export: Path | None = typer.Option(
        None, "--export", help="Write the structure with a network index per atom (.cif or .xyz)."
    ),
    disorder: str = typer.Option("major", help="Disorder rule: major, all or error."),
    tolerance_a: float = typer.Option(
        0.4, "--tolerance-A", help="Bond tolerance added to covalent radii, Å."
    ),
    metal_tolerance_a: float = typer.Option(
        0.6, "--metal-tolerance-A", help="Bond tolerance between a metal and N, O, S, halogen, Å."
    ),
    out: Path | None = typer.Option(None, "--out", help=OUT_HELP),
) -> None:
    """Analyse a framework CIF.

    Net topology (RCSR name by Systre key), interpenetration, metal-node density and metal-metal distances split into intra- and inter-network shells.

    Example::

        mofglass structure ZIF-8.cif
        mofglass structure cdim2.cif --json --fringe-nm 0.35 --export cdim2_networks.cif
    """
    from mofglass.structure.analysis import analyse_structure
    from mofglass.structure.cif import read_structure
    from mofglass.structure.framework import build_framework
    from mofglass.structure.properties import fringe_reflections

    target = out_folder(out, file)
    crystal = read_structure(file, disorder=disorder)
    fw = build_framework(crystal, tolerance_A=tolerance_a, metal_tolerance_A=metal_tolerance_a)
    summary = analyse_structure(crystal, framework=fw)
    doc = summary.to_json()
    if target is not None:
        options = {
            "disorder": disorder,
            "tolerance_A": tolerance_a,
            "metal_tolerance_A": metal_tolerance_a,
            "tem_fringe_nm": fringe_nm,
        }
        write_technique_outputs(target, "structure", file, options, doc=doc)
    if fringe_nm is not None:
        refl = fringe_reflections(crystal, fringe_nm)
        doc["fringe_nearest_hkl"] = [
            {"hkl": list(r.hkl), "d_nm": round(r.d_A / 10, 5)} for r in refl
        ]
    if export is not None:
        from mofglass.structure.export import write_framework_cif, write_framework_xyz

        if export.suffix.lower() == ".xyz":
            write_framework_xyz(fw, export)
        else:
            write_framework_cif(fw, export)
        doc["exported"] = str(export)
    if json_out:
        print_json(doc)
        return
    _print_rich(doc, summary)


def _print_rich(doc: dict, summary: object) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title=f"{doc['source']}: {doc['formula']} ({doc['spacegroup']})", show_header=False)
    t.add_column("quantity", style="bold")
    t.add_column("value")
    t.add_row("topology", f"{doc['topology_label']}  [{doc['topology_method']}]")
    t.add_row("interpenetration", str(doc["interpenetration"]))
    t.add_row("cell volume", str(summary.cell_volume_A3))  # type: ignore[attr-defined]
    t.add_row("metal", f"{doc['metal']} ({doc['n_metal_atoms_per_cell']} per cell)")
    t.add_row("metal density", f"{doc['metal_density_per_nm3']:.3f} per nm^3")
    t.add_row("framework density", f"{doc['framework_density_T_per_1000A3']:.2f} T / 1000 Å^3")
    t.add_row("volume per metal", f"{doc['volume_per_metal_A3']:.1f} Å^3")
    t.add_row("density", f"{doc['density_g_cm3']:.3f} g/cm^3")
    for net in doc["nets"]:
        cs = (
            " ".join(str(x) for x in net["coordination_sequences"][0])
            if net["coordination_sequences"]
            else ""
        )
        t.add_row(f"net {net['label']}", f"{net['copies']} copies; CS {cs}")
        for vs in net["vertex_symbols"][:3]:
            t.add_row("  vertex symbol", vs)
    if doc["guests"]:
        t.add_row("guests", ", ".join(f"{n} x {f}" for f, n in doc["guests"].items()))
    if "fringe_nearest_hkl" in doc:
        h = doc["fringe_nearest_hkl"][0]
        t.add_row("fringe (hkl)", f"{tuple(h['hkl'])} d = {h['d_nm']} nm")
    console.print(t)
    if doc["metal_metal_distances"]:
        d = Table(title="metal-metal distances")
        for col in ("r / Å", "kind", "per metal", "linkers between", "pair"):
            d.add_column(col)
        for m in doc["metal_metal_distances"]:
            lb = "" if m["linkers_between"] is None else str(m["linkers_between"])
            d.add_row(f"{m['r_A']:.3f}", m["kind"], f"{m['count']:.2f}", lb, m["pair"])
        console.print(d)
    for w in doc["warnings"]:
        print_warning(w)


def _cell_options(
    cell: str | None, cell_from: Path | None, volume: float | None, sample: str | None
) -> tuple[list[float] | None, float | None, bool]:
    """Turn --cell, --cell-from and --volume into (cell values, volume, free cell).

    Raises
    ------
    MofglassError
        --cell-from together with --cell or --volume.
    ValueError
        A --cell that is not 'free' or comma-separated numbers.
    """
    from mofglass.errors import MofglassError

    cell_values: list[float] | None = None
    if cell_from is not None:
        if cell is not None or volume is not None:
            raise MofglassError("give one of --cell-from, --cell and --volume")
        from mofglass.structure.cell_source import cell_from_file

        cell_values, volume = cell_from_file(cell_from, sample=sample)
    if cell is not None and cell.strip().lower() == "free":
        return cell_values, volume, True
    if cell is not None:
        cell_values = [float(x) for x in cell.replace(" ", ",").split(",") if x]
    return cell_values, volume, False


def build_command(
    template: Path = typer.Argument(..., help="Template CIF (an isostructural compound)."),
    out: Path = typer.Option(..., "--out", help="Model CIF to write (space group kept)."),
    substitute: list[str] = typer.Option(
        [], "--substitute", help="Element substitution OLD=NEW (repeatable, or comma-separated)."
    ),
    substitute_linker: list[str] = typer.Option(
        [],
        "--substitute-linker",
        help="Linker substitution im=mim (2-methylimidazolate) or im=bim (benzimidazolate).",
    ),
    volume: float | None = typer.Option(
        None, "--volume", help="Target cell volume, Å³ (template cell scaled, shape kept)."
    ),
    symprec: float = typer.Option(
        0.02,
        "--symprec",
        help="Tolerance of the template's space-group search, Å (larger for DFT P1 models).",
    ),
    cell: str | None = typer.Option(
        None, "--cell", help="Cell 'a,b,c[,alpha,beta,gamma]' (Å, degrees), or 'free' (refined)."
    ),
    cell_from: Path | None = typer.Option(
        None,
        "--cell-from",
        help="Cell from a Pawley result (mofglass results.json/.csv) or another CIF.",
    ),
    sample: str | None = typer.Option(None, "--sample", help="Sample id in --cell-from results."),
    export: Path | None = typer.Option(
        None, "--export", help="Also write the full cell with a network index per atom (.cif)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON document."),
    paper: bool = typer.Option(
        False, "--paper", help="Set the Cd(im)2 paper's structure numbers beside the model's."
    ),
) -> None:
    """Build an isostructural model from a template CIF.

    Substitute elements, set the cell and regularise the geometry by distance least squares (symmetry kept); prints how far every
    restraint is from its target and the structure summary of the model.

    Example::

        mofglass structure build ZIF-4-hPT-II.cif --substitute Zn=Cd --volume 1565.4 --out cdim2.cif --paper
        mofglass structure build ZNI.cif --cell free --out zni_model.cif --json
        mofglass structure build sod_Zn_im2.cif --substitute-linker im=mim --cell free --out zif8.cif
        mofglass structure build ZIF-4-hPT-II.cif --substitute Zn=Cd --cell-from results.json --out m.cif
    """
    from mofglass.errors import AnalysisError, MofglassError
    from mofglass.structure.analysis import analyse_structure
    from mofglass.structure.build import build_model, parse_substitution

    for target in (out, export):
        if target is not None and target.exists():
            raise MofglassError(f"{target} exists: refusing to overwrite it")
    if export is not None and out.resolve() == export.resolve():
        raise MofglassError("--out and --export must be different files")
    try:
        from mofglass.structure.linkers import parse_linker_substitution

        sub = parse_substitution(substitute)
        linkers = parse_linker_substitution(substitute_linker)
        cell_values, volume, free = _cell_options(cell, cell_from, volume, sample)
        model = build_model(
            template,
            substitute=sub,
            volume_A3=volume,
            cell=cell_values,
            free_cell=free,
            substitute_linker=linkers,
            symprec_A=symprec,
        )
    except ValueError as exc:
        raise MofglassError(str(exc)) from None
    if not model.success:
        raise AnalysisError(f"distance least squares did not converge: {model.message}")
    summary = analyse_structure(model.crystal)
    out.write_text(model.cif_text(), encoding="utf-8")
    doc: dict[str, object] = {
        "model": model.to_json(),
        "summary": summary.to_json(),
        "written": str(out),
    }
    comparison: list[dict[str, object]] = []
    if paper:
        from mofglass.structure.paper import compare_with_paper

        comparison = compare_with_paper(model.crystal, summary)
        doc["paper_comparison"] = comparison
    if export is not None:
        from mofglass.structure.export import write_framework_cif
        from mofglass.structure.framework import build_framework

        write_framework_cif(
            build_framework(model.crystal), export, note="model (distance least squares)"
        )
        doc["exported"] = str(export)
    if json_out:
        print_json(doc)
        return
    from rich.console import Console

    console = Console()
    console.print(model.report(), highlight=False, markup=False)
    _print_rich(summary.to_json(), summary)
    if paper:
        from rich.table import Table

        t = Table(title="the paper's structure numbers beside the model's")
        for col in ("quantity", "paper", "model", "agrees", "depends on"):
            t.add_column(col)
        for r in comparison:
            t.add_row(
                str(r["quantity"]),
                str(r["paper"]),
                str(r["structure"]),
                "yes" if r["agrees"] else "NO",
                str(r["depends_on"]),
            )
        console.print(t)
    console.print(f"written: {out}", highlight=False, markup=False)


structure_app = typer.Typer(
    cls=_DefaultAnalyse,
    help="Crystal structures: analyse a CIF (default) or build an isostructural model.",
    no_args_is_help=True,
)
structure_app.command("analyse")(structure_command)
structure_app.command("build")(build_command)
