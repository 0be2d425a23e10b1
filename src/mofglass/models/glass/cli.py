"""``mofglass model crn|analyse``: continuous random networks of M(L)2 frameworks and their analysis."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import typer

__all__ = ["app", "read_network_labels"]

app = typer.Typer(help="Glass structure models: continuous random networks and their analysis.")


def _reps(text: str) -> tuple[int, int, int]:
    from mofglass.errors import MofglassError as OptionError

    try:
        r = tuple(int(x) for x in text.replace("x", ",").split(","))
    except ValueError:
        raise OptionError(f"--supercell {text!r}: expected three integers like 2,2,2") from None
    if len(r) != 3 or min(r) < 1:
        raise OptionError(f"--supercell {text!r}: expected three integers >= 1 like 2,2,2")
    return cast(tuple[int, int, int], r)


def read_network_labels(path: Path, n_atoms: int) -> np.ndarray | None:
    """Read the ``_atom_site_mofglass_network`` column of a CIF written by mofglass, if present."""
    import gemmi

    block = gemmi.cif.read(str(path)).sole_block()
    col = block.find_values("_atom_site_mofglass_network")
    if len(col) != n_atoms:
        return None
    return np.array([int(v) for v in col], dtype=np.int64)


@app.command("crn")
def crn_command(
    file: Path = typer.Argument(..., help="Crystal CIF of a tetrahedral M(L)2 framework."),
    out: Path = typer.Option(..., "--out", help="CIF to write (P 1, network index per atom)."),
    supercell: str = typer.Option("2,2,2", help="Supercell repetitions a,b,c."),
    seed: int = typer.Option(0, help="Random seed."),
    randomise: float = typer.Option(0.5, help="Unconditional bond switches per link first."),
    sweeps: float = typer.Option(1.0, help="Metropolis switch attempts per link."),
    density_g_cm3: float | None = typer.Option(
        None, "--density-g-cm3", help="Scale the box isotropically to this density."
    ),
) -> None:
    """Build a continuous random network from a crystal.

    Bond switches on the metal net under a valence force field (Wooten-Winer-Weaire), then the
    crystal's linker on every link.

    Example::

        mofglass model crn ZIF-4.cif --supercell 2,2,2 --seed 1 --out zif4_crn.cif
    """
    from mofglass.errors import MofglassError as OptionError
    from mofglass.models.glass.crn import build_crn
    from mofglass.models.glass.net import metal_net, supercell_net
    from mofglass.structure.cif import read_structure
    from mofglass.structure.export import framework_cif_text
    from mofglass.structure.framework import build_framework

    if out.exists():
        raise OptionError(f"{out} exists: refusing to overwrite it")
    crystal = read_structure(file)
    fw = build_framework(crystal)
    net = supercell_net(metal_net(fw), _reps(supercell), fw)
    model = build_crn(
        net, seed=seed, randomise=randomise, sweeps=sweeps, density_g_cm3=density_g_cm3
    )
    shim = SimpleNamespace(crystal=model.crystal, network_labels=model.atom_network)
    note = (
        f"continuous random network model from {file.name} x{supercell}, seed {seed} "
        "(mofglass model crn): a model, not a measured structure"
    )
    out.write_text(framework_cif_text(cast(Any, shim), note=note), encoding="utf-8")
    typer.echo(
        f"{out}: {model.crystal.n_atoms} atoms, {model.n_metals} metals, "
        f"{model.fraction_links_changed():.3f} of links changed, "
        f"{float(np.mean(model.link_joins_networks)):.3f} join two original networks"
    )


@app.command("analyse")
def analyse_command(
    file: Path = typer.Argument(..., help="Periodic model or crystal (CIF)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Analyse a framework model.

    Coordination, linkers bridging, distances, King rings of the metal net, angles and metal
    pairs by network.

    Example::

        mofglass model analyse zif4_crn.cif
    """
    from mofglass.models.glass.analysis import analyse_model
    from mofglass.results import to_jsonable
    from mofglass.structure.cif import read_structure

    crystal = read_structure(file)
    labels = read_network_labels(file, crystal.n_atoms)
    result = analyse_model(crystal, network=labels)
    if json_out:
        typer.echo(json.dumps(to_jsonable(result.to_dict()), indent=1))
    else:
        typer.echo(result.report())


def _range(text: str) -> tuple[float, float]:
    from mofglass.errors import MofglassError as OptionError

    try:
        lo, hi = (float(x) for x in text.split(","))
    except ValueError:
        raise OptionError(f"--r-range {text!r}: expected two numbers like 1,20") from None
    if not 0 <= lo < hi:
        raise OptionError(f"--r-range {text!r}: expected 0 <= rmin < rmax")
    return lo, hi


@app.command("rmc")
def rmc_command(
    model_file: Path = typer.Argument(..., help="Starting model (periodic CIF: CRN, glass box)."),
    data: list[Path] = typer.Argument(..., help="Measured D(r)/G(r) (.dofr, .gr) or F(Q) files."),
    out: Path = typer.Option(..., "--out", help="CIF of the refined model to write."),
    moves: int = typer.Option(100000, help="Moves to attempt."),
    chunk: int = typer.Option(20000, help="Moves between progress lines, scale fits, checkpoints."),
    seed: int = typer.Option(0, help="Random seed."),
    r_range: str = typer.Option("1,20", "--r-range", help="Fitted r range, Å."),
    probe: str = typer.Option("xray", help="xray or neutron weights."),
    qmax: float | None = typer.Option(None, "--qmax", help="Qmax of the data's transform, Å⁻¹."),
    lorch: bool = typer.Option(False, "--lorch", help="The data's transform used Lorch."),
    weighting: str = typer.Option(
        "fz", help="X-ray i(Q) normalisation: fz (Σcf)², f2 Σcf² (GudrunX <f²>), z (f = Z)."
    ),
    fit_slope: bool = typer.Option(False, "--fit-slope", help="Fit a term linear in r too."),
    supercell: str = typer.Option("1,1,1", help="Repeat the model a,b,c first."),
    checkpoint: Path | None = typer.Option(None, help="Checkpoint (.npz) written every chunk."),
    resume: Path | None = typer.Option(None, help="Resume from this checkpoint."),
) -> None:
    """Refine a model against measured total scattering by reverse Monte Carlo.

    Single-atom and rigid-linker moves, bond/angle windows and closest approaches (the
    chemistry is kept).

    Example::

        mofglass model rmc crn.cif ZIF4glassa_589.int01 --weighting f2 --out rmc.cif
    """
    from mofglass.errors import MofglassError as OptionError
    from mofglass.models.glass.rmc import RMCState, rmc_target
    from mofglass.models.glass.rmc_setup import prepare_rmc, summarise_rmc
    from mofglass.scattering.models import supercell as make_supercell
    from mofglass.structure.cif import read_structure
    from mofglass.totalscattering.readers import read_total_scattering

    if out.exists():
        raise OptionError(f"{out} exists: refusing to overwrite it")
    if resume is not None:
        from mofglass.errors import reader_boundary

        load = reader_boundary("an RMC checkpoint (.npz written by --checkpoint)")(RMCState.load)
        state = load(resume)
    else:
        lo_hi = _range(r_range)
        targets = [
            rmc_target(
                read_total_scattering(p),
                probe=probe,
                r_range_A=lo_hi,
                qmax_invA=qmax,
                lorch=lorch,
                weighting=weighting,
            )
            for p in data
        ]
        crystal = make_supercell(read_structure(model_file), _reps(supercell))
        state = prepare_rmc(crystal, targets, seed=seed, fit_slope=fit_slope)
    typer.echo(
        f"start: R_w {state.rw(0):.4f}, {len(state.species)} atoms; peak functions cut with "
        f"model error {state.params.get('kernel_error', float('nan')):.1e}"
    )

    def show(row: dict[str, float]) -> None:
        typer.echo(
            f"{row['moves']:.0f} moves: chi2 {row['chi2']:.4g}, R_w {row['rw']:.4f}, accepted "
            f"{row['accept_single']:.3f} (atom) {row['accept_group']:.3f} (linker), "
            f"{row['moves_per_s']:.0f} moves/s, chi2 drift {row.get('chi2_drift', 0.0):.0e}"
        )

    state.run(moves, chunk=chunk, checkpoint=checkpoint, progress=show)
    crystal = state.crystal(f"RMC model from {model_file.name}")
    from mofglass.structure.export import framework_cif_text

    shim = SimpleNamespace(crystal=crystal, network_labels=np.zeros(crystal.n_atoms, dtype=int))
    note = f"RMC model ({state.moves_done} moves, seed {seed}) against {', '.join(p.name for p in data)}"
    out.write_text(framework_cif_text(cast(Any, shim), note=note), encoding="utf-8")
    typer.echo(summarise_rmc(state, source=out.name).report())
