r"""CLI command ``mofglass pxrd``: analyse one powder pattern file (wired in by mofglass.cli).

Examples
--------
::

    mofglass pxrd scan.xrdml                              # peaks, sizes, amorphous test
    mofglass pxrd glass.xy --radiation CuKa12             # text file without wavelength
    mofglass pxrd 11bmb_8716.fxye --cell "10.86 8.70 7.76 90 102.9 90" \
        --space-group "P 1 21 1" --range 2 20             # Pawley (the .prm beside is used)
    mofglass pxrd lab6.xye --phase LaB6.cif --radiation CuKa12 --save-instrument inst.json
    mofglass pxrd sample.xy --phase X.cif --instrument inst.json --json
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mofglass.cli_out import OUT_HELP, out_folder, print_json, write_technique_outputs
from mofglass.diffraction.analysis import PatternAnalysis, analyse_pattern
from mofglass.diffraction.pawley import PawleyResult
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.setup import choose_instrument, phase_cell, prepare_pattern, start_cell
from mofglass.errors import MofglassError

__all__ = ["analysis_to_json", "pawley_to_json", "pxrd_command", "pxrd_series_command"]


def analysis_to_json(res: PatternAnalysis) -> dict[str, Any]:
    """JSON-ready dict: headline quantities (``{name: {value, stderr, unit}}``), peaks, flags."""
    return {
        "source": res.source,
        "wavelength_A": res.wavelength_A,
        "n_points": int(res.two_theta_deg.size),
        "two_theta_range_deg": [float(res.two_theta_deg[0]), float(res.two_theta_deg[-1])],
        "amorphous": res.amorphous,
        "quantities": {k: m.to_dict() for k, m in res.quantities().items()},
        "peaks": res.peak_table(),
        "impurities": [m.to_dict() for m in res.impurities if m.present],
        "warnings": list(res.warnings),
    }


def pawley_to_json(res: PawleyResult) -> dict[str, Any]:
    """JSON-ready summary of a whole-pattern fit (cell with s.u.s, shifts, R factors)."""
    names = ("a_A", "b_A", "c_A", "alpha_deg", "beta_deg", "gamma_deg", "volume_A3")
    out: dict[str, Any] = {n: getattr(res, n).to_dict() for n in names}
    out.update(
        method=res.fit_method,
        space_group=res.cell.spacegroup,
        zero_shift_deg=res.zero_shift_deg.to_dict(),
        displacement_deg=None if res.displacement_deg is None else res.displacement_deg.to_dict(),
        size_nm=None if res.size_nm is None else res.size_nm.to_dict(),
        size_lower_bound_nm=None
        if res.size_lower_bound_nm is None
        else res.size_lower_bound_nm.value,
        microstrain=None if res.microstrain is None else res.microstrain.to_dict(),
        microstrain_upper_bound=None
        if res.microstrain_upper_bound is None
        else res.microstrain_upper_bound.value,
        profile={k: m.to_dict() for k, m in res.profile.items()},
        rwp=res.rwp,
        rp=res.rp,
        rexp=res.rexp,
        gof=res.gof,
        noise_model=res.noise_model,
        n_reflections=res.n_reflections,
        converged=res.converged,
        flags=list(res.flags),
        shift_model=res.shift_choice(),
        zero_displacement_correlation=res.zero_displacement_correlation,
        phases=[
            {
                "name": ph.name,
                "detected": ph.detected,
                "reason": ph.reason,
                "cell_drift": ph.cell_drift,
                "intensity_share": ph.intensity_share,
                "rwp_without": ph.rwp_without,
                **{n: getattr(ph, n).to_dict() for n in names},
            }
            for ph in res.phases
        ],
    )
    return out


def _save_fitted_instrument(fit: PawleyResult, file: Path, target: Path, radiation: Any) -> None:
    """Save the profile a standard's fit refined as an instrument file (refused if flagged)."""
    from mofglass.diffraction.instrument import save_instrument as save

    if not fit.ok:
        raise MofglassError(
            f"{file}: not saving an instrument from a flagged fit: {'; '.join(fit.flags)}"
        )
    save(fit.instrument(source=f"{file.name}: {fit.fit_method} fit"), target, radiation=radiation)


def _plot_whole_pattern(fit: PawleyResult, file: Path, plot: Path, wavelength_A: Any) -> None:
    """Write the observed/calculated/difference figure with ticks for every phase."""
    from mofglass.plotting.diffraction import whole_pattern_figure

    if plot.exists():
        raise MofglassError(f"{plot}: exists; refusing to overwrite")
    ticks = [(fit.cell.name or "phase", fit.tick_two_theta_deg)]
    ticks += [(ph.name, ph.tick_two_theta_deg) for ph in fit.phases[1:]]
    fig = whole_pattern_figure(
        fit.two_theta_deg,
        fit.observed,
        fit.calculated,
        background=fit.background,
        ticks=ticks,
        rwp=fit.rwp,
        title=file.name,
        wavelength_A=wavelength_A,
    )
    fig.savefig(plot, dpi=150)


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
            "--wavelength", "-w", help="Wavelength in Å (overrides the file's).", min=0.01
        ),
    ] = None,
    radiation: Annotated[
        str | None,
        typer.Option(help="Tube radiation, e.g. CuKa12 (Kα1+Kα2) or CuKa1, MoKa12."),
    ] = None,
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument",
            help="Instrument profile: a file (mofglass .json, GSAS .prm, GSAS-II .instprm) or "
            "'U,V,W[,X,Y]'. Default: a .prm/.instprm beside the pattern, if any.",
        ),
    ] = None,
    phase: Annotated[
        Path | None,
        typer.Option(help="CIF of the main phase: cell and space group start a Pawley fit."),
    ] = None,
    cell: Annotated[
        str | None, typer.Option(help="Start cell 'a b c alpha beta gamma' (Å, degrees).")
    ] = None,
    space_group: Annotated[
        str | None, typer.Option(help="Space group of --cell, e.g. 'P 1 21 1'.")
    ] = None,
    impurity: Annotated[
        list[Path] | None,
        typer.Option(
            help="CIF of an impurity phase (repeatable): refined in the whole-pattern fit "
            "with --phase/--cell (own cell and intensities, shared profile), else matched."
        ),
    ] = None,
    method: Annotated[str, typer.Option(help="Whole-pattern fit: pawley or lebail.")] = "pawley",
    two_theta_range: Annotated[
        tuple[float, float] | None,
        typer.Option("--range", help="2θ range to analyse, degrees: MIN MAX."),
    ] = None,
    fix_cell: Annotated[
        bool, typer.Option(help="Keep the cell fixed (a certified standard).")
    ] = False,
    save_instrument: Annotated[
        Path | None,
        typer.Option(help="Fit the profile (no --instrument) and save it to this JSON file."),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Write the observed/calculated/difference figure.")
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of a text summary.")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", help=OUT_HELP)] = None,
) -> None:
    """Analyse one powder pattern: peaks, sizes and a whole-pattern fit.

    Peaks, crystallite size (Scherrer and Williamson-Hall), "no Bragg peaks" test and,
    with --phase or --cell, a Pawley / Le Bail whole-pattern fit of the cell and profile.

    Sizes need an instrument profile (--instrument, or a .prm beside the file); without one
    they include instrumental broadening. Sizes the instrument cannot resolve are lower
    bounds ("instrument-limited: > 1200 nm").

    Examples
    --------
      mofglass pxrd scan.xrdml

      mofglass pxrd sucrose.fxye --cell "10.86 8.70 7.76 90 102.9 90" --space-group "P 1 21 1"

      mofglass pxrd LaB6.xye --radiation CuKa12 --phase LaB6.cif --save-instrument inst.json

      mofglass pxrd sample.xy --radiation CuKa12 --phase X.cif --instrument inst.json
    """
    if method not in ("pawley", "lebail"):
        raise MofglassError(f"--method {method!r}: expected pawley or lebail")
    if save_instrument is not None and save_instrument.exists():
        raise MofglassError(f"{save_instrument}: exists; refusing to overwrite")
    target = out_folder(out, file, *([phase] if phase else []))
    start = start_cell(phase=phase, cell=cell, space_group=space_group)
    if save_instrument is not None and start is None:
        raise MofglassError("--save-instrument needs the standard's cell (--phase or --cell)")
    choice = choose_instrument(
        instrument, file, auto=instrument is None and save_instrument is None
    )
    pattern = prepare_pattern(
        read_pattern(file),
        radiation=radiation,
        wavelength_A=wavelength_A,
        instrument_radiation=choice.radiation,
        two_theta_range=two_theta_range,
    )
    impurities = [phase_cell(p) for p in impurity or []]
    if start is not None and pattern.radiation is None:
        raise MofglassError(
            f"{file}: no wavelength in the file; give --radiation, --wavelength or an "
            "instrument file"
        )
    res = analyse_pattern(
        pattern,
        instrument=choice.profile,
        impurities=impurities,
        phase=start,
        method=method,  # type: ignore[arg-type]
        refine_cell=not fix_cell,
        fit_profile=save_instrument is not None,
    )
    fit = res.whole_pattern
    if start is not None and fit is None and not res.amorphous:
        failed = [w for w in res.warnings if w.startswith("whole-pattern fit failed")]
        raise MofglassError(f"{file}: {failed[0] if failed else 'whole-pattern fit failed'}")
    if fit is not None and save_instrument is not None:
        _save_fitted_instrument(fit, file, save_instrument, pattern.radiation)
    if plot is not None and fit is not None:
        _plot_whole_pattern(fit, file, plot, pattern.wavelength_A)
    doc = analysis_to_json(res)
    doc["instrument"] = choice.note or None
    doc["whole_pattern_fit"] = None if fit is None else pawley_to_json(fit)
    if target is not None:
        given = {
            "wavelength_A": wavelength_A,
            "radiation": radiation,
            "two_theta_range": two_theta_range,
            "instrument": str(Path(instrument).resolve())
            if instrument and Path(instrument).is_file()
            else instrument,
            "phase": None if phase is None else str(phase.resolve()),
            "cell": None if cell is None else [float(v) for v in cell.replace(",", " ").split()],
            "space_group": space_group,
            "method": method,
        }
        write_technique_outputs(target, "pxrd", file, given, doc=doc)
    if json_out:
        print_json(doc)
        return
    if choice.note:
        typer.echo(choice.note)
    typer.echo(res.summary())
    if fit is not None:
        typer.echo(fit.report())
    if save_instrument is not None:
        typer.echo(f"instrument profile saved to {save_instrument}")


def pxrd_series_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="Patterns in refinement order.", exists=True, dir_okay=False),
    ],
    phase: Annotated[Path | None, typer.Option(help="CIF of the phase (start cell).")] = None,
    cell: Annotated[
        str | None, typer.Option(help="Start cell 'a b c alpha beta gamma' (Å, degrees).")
    ] = None,
    space_group: Annotated[str | None, typer.Option(help="Space group of --cell.")] = None,
    temperatures: Annotated[
        str | None,
        typer.Option(
            help="Temperatures in K, one per file: '100,150,200' (for the tensor). Default: "
            "each file's header/metadata, else a temperature in its name (with a warning)."
        ),
    ] = None,
    radiation: Annotated[str | None, typer.Option(help="Tube radiation, e.g. CuKa12.")] = None,
    wavelength_A: Annotated[
        float | None, typer.Option("--wavelength", "-w", help="Wavelength in Å.", min=0.01)
    ] = None,
    instrument: Annotated[
        str | None, typer.Option(help="Instrument file (.json, .prm, .instprm).")
    ] = None,
    method: Annotated[str, typer.Option(help="pawley or lebail.")] = "pawley",
    two_theta_range: Annotated[
        tuple[float, float] | None, typer.Option("--range", help="2θ range, degrees: MIN MAX.")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Write the stacked-patterns figure here.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    r"""Refine a series of patterns sequentially (Pawley / Le Bail).

    Sequential Pawley / Le Bail refinement of a series (each fit starts from the previous
    good one; failed fits are flagged and not carried forward), cell parameters with s.u.s
    and, with temperatures (--temperatures, else read from the files), the thermal-expansion
    tensor as PASCal computes it.

    Examples
    --------
      mofglass pxrd-series s100.xy s200.xy s300.xy --phase X.cif --radiation CuKa12 \
          --temperatures 100,200,300
    """
    from mofglass.diffraction.series import refine_series

    if method not in ("pawley", "lebail"):
        raise MofglassError(f"--method {method!r}: expected pawley or lebail")
    start = start_cell(phase=phase, cell=cell, space_group=space_group)
    if start is None:
        raise MofglassError("pxrd-series needs the phase: --phase FILE.cif or --cell/--space-group")
    temps = None
    if temperatures is not None:
        try:
            temps = [float(t) for t in temperatures.replace(",", " ").split()]
        except ValueError:
            raise MofglassError(f"--temperatures {temperatures!r}: expected numbers") from None
        if len(temps) != len(files):
            raise MofglassError(f"--temperatures: {len(temps)} values for {len(files)} files")
    if plot is not None and plot.exists():
        raise MofglassError(f"{plot}: exists; refusing to overwrite")
    patterns = []
    prof = None
    for f in files:
        choice = choose_instrument(instrument, f, auto=instrument is None)
        prof = choice.profile
        patterns.append(
            prepare_pattern(
                read_pattern(f),
                radiation=radiation,
                wavelength_A=wavelength_A,
                instrument_radiation=choice.radiation,
                two_theta_range=two_theta_range,
            )
        )
    if any(p.radiation is None for p in patterns):
        raise MofglassError("a file has no wavelength: give --radiation or --wavelength")
    res = refine_series(
        patterns,
        start,
        temperatures_K=temps,
        method=method,
        instrument=prof,
    )
    if plot is not None:
        from mofglass.plotting.diffraction import patterns_overview_figure

        fig = patterns_overview_figure(
            [(p.source.rsplit("/", 1)[-1], p.two_theta_deg, p.intensity) for p in patterns]
        )
        fig.savefig(plot, dpi=150)
    if json_out:
        out: dict[str, Any] = {"patterns": res.table(), "warnings": list(res.warnings)}
        e = res.expansion
        out["expansion"] = None
        if e is not None:
            out["expansion"] = {
                "alpha_per_MK": [
                    m.to_dict() for m in (e.alpha1_per_MK, e.alpha2_per_MK, e.alpha3_per_MK)
                ],
                "alpha_volume_per_MK": e.alpha_volume_per_MK.to_dict(),
                "axes_uvw": e.axes_uvw.round(4).tolist(),
                "volume_change_percent": e.volume_change_percent,
                "strain": e.strain_mode,
            }
        print_json(out)
        return
    typer.echo(res.report())
