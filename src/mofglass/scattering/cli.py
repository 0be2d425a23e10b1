"""``mofglass simulate``: powder patterns, PDFs and S(Q) computed from structures and models.

A thin layer over :mod:`mofglass.scattering`; the lead CLI registers ``app`` as ``simulate``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from mofglass.results import to_jsonable

app = typer.Typer(
    help="Simulate diffraction and total scattering from a CIF or an atom model.",
    no_args_is_help=True,
)

FileArg = Annotated[Path, typer.Argument(help="CIF, xyz/extxyz, LAMMPS data or dump file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="Also write: .json, or columns (.gr, .sq, .fq, .xy, .dat)."),
]


def _emit(payload: dict[str, Any], as_json: bool, out: Path | None, summary: str) -> None:
    text = json.dumps(to_jsonable(payload))
    if out is not None and out.suffix.lower() in (".gr", ".sq", ".fq", ".xy", ".dat"):
        from mofglass.totalscattering.outputs import write_columns

        write_columns(out, payload)
    elif out is not None:
        out.write_text(text + "\n")
    if as_json:
        typer.echo(text)
    else:
        typer.echo(summary)


def _labels(model: Any) -> np.ndarray | None:
    try:
        from mofglass.structure import network_labels
    except ImportError:
        return None
    try:
        return np.asarray(network_labels(model), dtype=np.int64)
    except Exception:  # a model without a recognisable framework: no network split
        return None


@app.command()
def xrd(
    file: FileArg,
    wavelength: Annotated[
        float | None, typer.Option(help="Wavelength in Å (overrides --radiation).")
    ] = None,
    radiation: Annotated[str, typer.Option(help="CuKa, MoKa, CoKa or AgKa (Kα1 + Kα2).")] = "CuKa",
    two_theta_max: Annotated[float, typer.Option(help="Largest 2θ, degrees.")] = 60.0,
    two_theta_min: Annotated[float, typer.Option(help="Smallest 2θ, degrees.")] = 2.0,
    step: Annotated[float, typer.Option(help="Profile step, degrees.")] = 0.01,
    size_nm: Annotated[float | None, typer.Option(help="Crystallite size (Scherrer), nm.")] = None,
    strain: Annotated[float, typer.Option(help="Microstrain ε (FWHM 4ε tanθ).")] = 0.0,
    w: Annotated[float, typer.Option(help="Caglioti W, deg² (Gaussian FWHM² at θ = 0).")] = 0.0025,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """Powder pattern of a crystal structure: reflections and profile.

    Examples
    --------
    mofglass simulate xrd ZIF-8.cif --wavelength 1.540593 --json
    mofglass simulate xrd Cd.cif --radiation MoKa --size-nm 47 --out cd.json
    """
    from mofglass.scattering.models_io import read_model
    from mofglass.scattering.xrd import powder_pattern

    model = read_model(file)
    pat = powder_pattern(
        model,
        radiation=wavelength if wavelength is not None else radiation,
        two_theta_range_deg=(two_theta_min, two_theta_max),
        step_deg=step,
        caglioti_deg2=(0.0, 0.0, w),
        crystallite_size_nm=size_nm,
        microstrain=strain,
    )
    refl = pat.reflections
    scaled = refl.scaled()
    rows: list[dict[str, Any]] = [
        {
            "hkl": [int(v) for v in h],
            "d_A": float(d),
            "two_theta_deg": float(t),
            "multiplicity": int(m),
            "intensity": float(i),
        }
        for h, d, t, m, i in zip(
            refl.hkl, refl.d_A, refl.two_theta_deg, refl.multiplicity, scaled, strict=True
        )
    ]
    prof = pat.intensity / (pat.intensity.max() or 1.0) * 100.0
    payload = {
        "source": model.source,
        "wavelength_A": refl.wavelength_A,
        "radiation": pat.radiation,
        "reflections": rows,
        "profile": {"two_theta_deg": pat.two_theta_deg, "intensity": prof},
    }
    strongest = sorted(rows, key=lambda r: -r["intensity"])[:10]
    lines = [
        f"{model.source}: {len(rows)} reflections up to 2θ = {two_theta_max}° ({pat.radiation})",
        "  hkl          d/Å     2θ/°    m     I",
    ]
    lines += [
        f"  {tuple(r['hkl'])!s:<11} {r['d_A']:7.4f} {r['two_theta_deg']:8.3f} "
        f"{r['multiplicity']:4d} {r['intensity']:6.1f}"
        for r in strongest
    ]
    _emit(payload, as_json, out, "\n".join(lines))


@app.command()
def pdf(
    file: FileArg,
    rmax: Annotated[float, typer.Option(help="Largest r, Å.")] = 30.0,
    rstep: Annotated[float, typer.Option(help="r step, Å.")] = 0.01,
    qmax: Annotated[
        float | None, typer.Option(help="Termination Qmax, Å⁻¹ (none by default).")
    ] = None,
    qdamp: Annotated[float, typer.Option(help="Qdamp, Å⁻¹.")] = 0.0,
    uiso: Annotated[float | None, typer.Option(help="Set every Uiso to this value, Å².")] = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """X-ray PDF G(r), D(r) with partials by element pair and by network kind.

    Periodic structures and boxes use all periodic images up to rmax; finite models go through
    the Debye equation (S(Q) to Qmax = 25 Å⁻¹ unless given) and a sine transform.

    Examples
    --------
    mofglass simulate pdf ZIF-4.cif --rmax 30 --json
    mofglass simulate pdf glass.data --rmax 20 --qmax 22 --qdamp 0.03 --out glass_pdf.json
    """
    from mofglass.scattering.models_io import read_model
    from mofglass.scattering.pdf import crystal_pdf
    from mofglass.scattering.peaks import label_peaks
    from mofglass.scattering.total import pdf_from_fq, total_scattering
    from mofglass.structure import Crystal

    model = read_model(file)
    if uiso is not None:
        model = Crystal(
            model.species,
            model.positions_A,
            model.lattice_A,
            model.occupancy,
            np.full(model.n_atoms, uiso),
            model.labels,
            source=model.source,
        )
    if model.lattice_A is None:
        q = np.arange(0.5, (qmax or 25.0) + 1e-9, 0.01)
        ts = total_scattering(model, q)
        r = np.arange(0.0, rmax + rstep / 2, rstep)
        g = pdf_from_fq(q, ts.F, r, qdamp_invA=qdamp, lorch=True)
        payload: dict[str, Any] = {
            "source": model.source,
            "r_A": r,
            "G": g,
            "D": None,
            "partials": {"element": {}, "network": {}},
            "route": ts.route,
        }
        _emit(
            payload, as_json, out, f"{model.source}: finite model, G(r) to {rmax} Å via Debye S(Q)"
        )
        return
    res = crystal_pdf(
        model, rmax_A=rmax, rstep_A=rstep, qmax_invA=qmax, qdamp_invA=qdamp, labels=_labels(model)
    )
    peaks = label_peaks(res, rmax_A=min(8.0, rmax))
    payload = {
        "source": model.source,
        "r_A": res.r_A,
        "G": res.G,
        "D": res.D,
        "g": res.g,
        "number_density_invA3": res.number_density_invA3,
        "partials": {
            "element": res.element_partials,
            "network": res.kind_partials,
            "element_network": res.element_kind_partials,
        },
        "peaks": [p.to_dict() for p in peaks],
    }
    lines = [
        f"{model.source}: G(r) to {rmax} Å, ρ0 = {res.number_density_invA3:.5f} Å⁻³",
        "  peaks below 8 Å (main pairs):",
    ]
    lines += [
        f"  {p.r_A:6.2f} Å  " + ", ".join(f"{k} {v:.0%}" for k, v in p.pairs.items()) for p in peaks
    ]
    _emit(payload, as_json, out, "\n".join(lines))


@app.command()
def sq(
    file: FileArg,
    qmax: Annotated[float, typer.Option(help="Largest Q, Å⁻¹.")] = 25.0,
    qstep: Annotated[float, typer.Option(help="Q step, Å⁻¹.")] = 0.02,
    rmax: Annotated[
        float | None, typer.Option(help="Periodic boxes: real-space cut-off, Å.")
    ] = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """X-ray S(Q) and F(Q) (Faber-Ziman, IT Vol. C form factors) of a model.

    Examples
    --------
    mofglass simulate sq ZIF4_15glass01.cif --qmax 20 --json
    mofglass simulate sq nanoparticle.xyz --out sq.json
    """
    from mofglass.scattering.models_io import read_model
    from mofglass.scattering.total import total_scattering

    model = read_model(file)
    q = np.arange(qstep, qmax + qstep / 2, qstep)
    ts = total_scattering(model, q, rmax_A=rmax)
    payload = {
        "source": model.source,
        "q_invA": ts.q_invA,
        "S": ts.S,
        "F": ts.F,
        "partials": ts.partials,
        "route": ts.route,
    }
    _emit(
        payload, as_json, out, f"{model.source}: S(Q) on {q.size} points to {qmax} Å⁻¹ ({ts.route})"
    )
