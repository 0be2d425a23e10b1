"""``mofglass simulate``: powder patterns, PDFs and S(Q) computed from structures and models.

A thin layer over :mod:`mofglass.scattering`; the lead CLI registers ``app`` as ``simulate``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from mofglass.cli_out import print_json
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
ParticleOpt = Annotated[
    str | None,
    typer.Option(
        "--particle",
        help="Cut a crystallite from the CIF: sphere:DIAMETER or spheroid:EQUATORIAL,POLAR "
        "(Å); scattering by lattice sums (Debye route).",
    ),
]


def _read(file: Path, particle: str | None) -> Any:
    """Read the model of FILE, or cut the crystallite ``--particle`` asks for from it."""
    from mofglass.scattering.models_io import read_model

    model = read_model(file)
    _reader_warnings(model)
    if particle is None:
        return model
    from mofglass.scattering.crystallites import crystallite
    from mofglass.scattering.shapes import parse_shape

    return crystallite(model, parse_shape(particle))


def _emit(payload: dict[str, Any], as_json: bool, out: Path | None, summary: str) -> None:
    doc = to_jsonable(payload)
    text = json.dumps(doc)
    if out is not None and out.suffix.lower() in (".gr", ".sq", ".fq", ".xy", ".dat"):
        from mofglass.totalscattering.outputs import write_columns

        write_columns(out, payload)
    elif out is not None:
        out.write_text(text + "\n")
    if as_json:
        print_json(doc)
    else:
        typer.echo(summary)


def _reader_warnings(model: Any) -> None:
    """Print the structure reader's warnings (atoms on top of each other, missing H, ...)."""
    for w in (getattr(model, "metadata", None) or {}).get("warnings", []):
        typer.echo(f"warning: {w}", err=True)


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
    particle: ParticleOpt = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """Powder pattern of a crystal structure: reflections and profile.

    With ``--particle`` the pattern of that crystallite by the Debye equation instead (one
    wavelength: ``--wavelength`` or the radiation's Kα1; no instrument profile): sizes,
    shapes and the diffuse scattering of small crystallites, where Scherrer's law fails.

    Examples
    --------
    mofglass simulate xrd ZIF-8.cif --wavelength 1.540593 --json
    mofglass simulate xrd Cd.cif --radiation MoKa --size-nm 47 --out cd.json
    mofglass simulate xrd ni.cif --particle sphere:50 --wavelength 1.540593 --json
    """
    from mofglass.scattering.models_io import read_model
    from mofglass.scattering.xrd import powder_pattern

    if particle is not None:
        _xrd_particle(
            file,
            particle,
            wavelength,
            radiation,
            (two_theta_min, two_theta_max, step),
            as_json,
            out,
        )
        return
    model = read_model(file)
    _reader_warnings(model)
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


def _xrd_particle(
    file: Path,
    particle: str,
    wavelength: float | None,
    radiation: str,
    grid: tuple[float, float, float],
    as_json: bool,
    out: Path | None,
) -> None:
    """``simulate xrd --particle``: the Debye powder pattern of a crystallite cut from FILE."""
    from mofglass.crystallography.radiation import radiation as radiation_by_name
    from mofglass.errors import MofglassError
    from mofglass.scattering.debye_pattern import debye_pattern

    if wavelength is None:
        try:
            wavelength = radiation_by_name(radiation).ka1_A
        except ValueError as exc:
            raise MofglassError(f"--radiation {radiation!r}: {exc}") from None
    lo, hi, step = grid
    if not 0 < lo < hi <= 180 or step <= 0:
        raise MofglassError("--two-theta-min/--two-theta-max/--step: expected 0 < min < max ≤ 180")
    model = _read(file, particle)
    tt = np.arange(lo, hi + step / 2, step)
    pat = debye_pattern(model, wavelength_A=wavelength, two_theta_deg=tt)
    name = getattr(model, "describe", lambda: model.source)()
    prof = pat.intensity / (pat.intensity.max() or 1.0) * 100.0
    payload = {
        "source": name,
        "wavelength_A": wavelength,
        "radiation": f"{wavelength:g} Å (one line)",
        "particle": particle,
        "route": pat.debye.route,
        "reflections": [],
        "profile": {"two_theta_deg": pat.two_theta_deg, "intensity": prof},
    }
    summary = (
        f"{name}: Debye powder pattern, {tt.size} points 2θ {lo:g}-{hi:g}° at λ = "
        f"{wavelength:g} Å ({pat.debye.n_atoms:.0f} atoms, {pat.debye.route} route)"
    )
    _emit(payload, as_json, out, summary)


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
    particle: ParticleOpt = None,
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
    from mofglass.scattering.total import pdf_from_fq

    model: Any = read_model(file)
    _reader_warnings(model)
    if uiso is not None:
        model = model.with_uiso(uiso)
    labels = None
    if particle is not None:
        from mofglass.scattering.crystallites import crystallite
        from mofglass.scattering.shapes import parse_shape

        labels = _labels(model)  # networks of the periodic structure, per basis atom
        model = crystallite(model, parse_shape(particle))
    if particle is not None or model.lattice_A is None:
        from mofglass.scattering.debye import debye_intensity

        q = np.arange(0.5, (qmax or 25.0) + 1e-9, 0.01)
        res_q = debye_intensity(model, q, labels=labels)
        norm = res_q.n_atoms * res_q.mean_f2
        r = np.arange(0.0, rmax + rstep / 2, rstep)

        def gr(part: np.ndarray) -> np.ndarray:  # G(r) of a part of I(Q) - Σ f²
            return pdf_from_fq(q, q * part / norm, r, q_damp_invA=qdamp, lorch=True)

        name = getattr(model, "describe", lambda: model.source)()
        payload: dict[str, Any] = {
            "source": name,
            "r_A": r,
            "G": gr(res_q.intensity - res_q.self_intensity),
            "D": None,
            "partials": {
                "element": {k: gr(v) for k, v in res_q.partials.items()},
                "network": {k: gr(v) for k, v in res_q.kind_partials.items()},
            },
            "route": f"debye-{res_q.route}",
        }
        _emit(payload, as_json, out, f"{name}: finite model, G(r) to {rmax} Å via Debye S(Q)")
        return
    res = crystal_pdf(
        model, r_max_A=rmax, rstep_A=rstep, qmax_invA=qmax, q_damp_invA=qdamp, labels=_labels(model)
    )
    peaks = label_peaks(res, r_max_A=min(8.0, rmax))
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
    particle: ParticleOpt = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """X-ray S(Q) and F(Q) (Faber-Ziman, IT Vol. C form factors) of a model.

    Examples
    --------
    mofglass simulate sq ZIF4_15glass01.cif --qmax 20 --json
    mofglass simulate sq nanoparticle.xyz --out sq.json
    mofglass simulate sq CdSe.cif --particle spheroid:30,50 --json
    """
    from mofglass.scattering.total import total_scattering

    model = _read(file, particle)
    q = np.arange(qstep, qmax + qstep / 2, qstep)
    ts = total_scattering(model, q, r_max_A=rmax)
    name = getattr(model, "describe", lambda: model.source)()
    payload = {
        "source": name,
        "q_invA": ts.q_invA,
        "S": ts.S,
        "F": ts.F,
        "partials": ts.partials,
        "route": ts.route,
    }
    _emit(payload, as_json, out, f"{name}: S(Q) on {q.size} points to {qmax} Å⁻¹ ({ts.route})")


@app.command()
def iq(
    file: FileArg,
    qmin: Annotated[float, typer.Option(help="Smallest Q, Å⁻¹.")] = 0.5,
    qmax: Annotated[float, typer.Option(help="Largest Q, Å⁻¹.")] = 25.0,
    qstep: Annotated[float, typer.Option(help="Q step, Å⁻¹.")] = 0.02,
    wavelength: Annotated[
        float | None,
        typer.Option(help="Also give the powder pattern I(2θ) at this wavelength, Å."),
    ] = None,
    particle: ParticleOpt = None,
    as_json: JsonOpt = False,
    out: OutOpt = None,
) -> None:
    """X-ray Debye intensity I(Q) of a finite model or a crystallite, with element partials.

    With ``--wavelength`` the powder pattern of the crystallite (the Debye route, valid for
    small sizes where Scherrer broadening fails) is also given on 2θ: I(Q(2θ)) times the
    polarisation factor (1 + cos² 2θ)/2 of an unpolarised beam; the Debye sum already holds the
    Lorentz (powder-averaging) factor (Warren, X-Ray Diffraction (1969), §§4.2, 13.6).

    Examples
    --------
    mofglass simulate iq ni.cif --particle sphere:50 --json
    mofglass simulate iq ZIF-8.cif --particle sphere:100 --wavelength 1.5406 --out zif8.json
    """
    from mofglass.scattering.debye import debye_intensity

    model = _read(file, particle)
    if getattr(model, "lattice_A", None) is not None:
        from mofglass.errors import MofglassError

        raise MofglassError(f"{file}: a periodic structure needs --particle (a finite crystallite)")
    q = np.arange(qmin, qmax + qstep / 2, qstep)
    res = debye_intensity(model, q)
    name = getattr(model, "describe", lambda: model.source)()
    payload: dict[str, Any] = {
        "source": name,
        "q_invA": res.q_invA,
        "I": res.intensity,
        "self": res.self_intensity,
        "S": res.structure_factor,
        "F": res.reduced_structure_factor,
        "partials": res.partials,
        "n_atoms": res.n_atoms,
        "route": res.route,
        "bin_error": res.bin_error,
    }
    if wavelength is not None:
        from mofglass.scattering.debye_pattern import polarisation_factor

        ok = q * wavelength / (4 * np.pi) < 1.0
        tt = np.degrees(2 * np.arcsin(q[ok] * wavelength / (4 * np.pi)))
        payload["profile"] = {
            "wavelength_A": wavelength,
            "two_theta_deg": tt,
            "intensity": res.intensity[ok] * polarisation_factor(tt),
        }
    _emit(
        payload,
        as_json,
        out,
        f"{name}: I(Q) of {res.n_atoms:.0f} atoms on {q.size} points ({res.route} route)",
    )
