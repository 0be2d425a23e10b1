"""The ``structure`` study technique: ``[[samples.structure]] file = "x.cif"``.

Per CIF: cell volume, metal-node density, framework density, volume per metal, crystal density
and the number of interpenetrated networks (its ``method`` names the topology), optionally the
(hkl) nearest a TEM fringe and the volume change against a reference cell; the figure shows the
metal nodes coloured by network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mofglass.results import Measured, ResultRow
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.structure import Crystal
    from mofglass.structure.analysis import StructureSummary
    from mofglass.structure.framework import Framework

__all__ = ["StructureOptions", "StructureTechnique"]

MODEL_NOTE = (
    "IDEALISED MODEL, not the experimental structure: RCSR dia embedding, two nets shifted by "
    "half a cell (Cu2O-type dia-c), Cd on the vertices, planar imidazolate on straight "
    "Cd-im-Cd edges of 6.4 Å (mofglass.structure.idealised.imidazolate_model)"
)

#: The demo's structure model: "built" (ZIF-4-hPT-II template, DLS) or "idealised".
DEMO_MODEL = "built"


class StructureOptions(BaseModel):
    """Options of one ``[[samples.structure]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tolerance_A: float = Field(0.4, gt=0, description="bond tolerance added to covalent radii, Å")
    metal_tolerance_A: float = Field(
        0.6, gt=0, description="bond tolerance between a metal and a donor atom (N, O, ...), Å"
    )
    disorder: Literal["major", "all", "error"] = "major"
    r_max_A: float = Field(8.0, gt=0, le=20, description="range of metal-metal distances, Å")
    tem_fringe_nm: float | None = Field(None, gt=0, description="measured lattice fringe, nm")
    reference_volume_A3: str | None = Field(
        None, description='reference cell volume, e.g. "1565.4(2)"'
    )
    pdf_partials: bool = Field(
        False, description="compute the X-ray PDF with intra/inter-network partials (Figure 4)"
    )
    compare_with_paper: bool = Field(
        False, description="set the Cd(im)2 paper's structure numbers beside this structure's"
    )


@register
class StructureTechnique(Technique):
    """Crystal structures: networks, topology, densities and metal-metal distances per CIF."""

    key: ClassVar[str] = "structure"
    title: ClassVar[str] = "Crystal structure and networks"
    Options: ClassVar[type[BaseModel]] = StructureOptions
    order: ClassVar[int] = 10

    def read(self, task: Task, opts: StructureOptions) -> Crystal:
        """Read the CIF (its disorder resolved as ``opts.disorder`` says)."""
        from mofglass.structure.cif import read_structure

        return read_structure(task.file, disorder=opts.disorder)

    def analyse(
        self, data: Crystal, task: Task, opts: StructureOptions
    ) -> tuple[StructureSummary, Framework]:
        """Find the bonds, networks and topology; the summary and the framework it came from."""
        from mofglass.structure.analysis import analyse_structure
        from mofglass.structure.framework import build_framework

        fw = build_framework(
            data, tolerance_A=opts.tolerance_A, metal_tolerance_A=opts.metal_tolerance_A
        )
        return analyse_structure(data, framework=fw, r_max_A=opts.r_max_A), fw

    def output(
        self,
        result: tuple[StructureSummary, Framework],
        data: Crystal,
        task: Task,
        opts: StructureOptions,
    ) -> TechniqueOutput:
        """Return the summary's rows (topology named), the asked comparisons and the picture."""
        from mofglass.structure.cif import parse_su
        from mofglass.structure.picture import network_picture
        from mofglass.structure.properties import fringe_reflections, volume_change_percent

        summary, fw = result
        crystal = data
        source = Path(task.file).name
        rows = summary.rows(sample_id=task.sample.id, technique=self.key, source=source)
        topo = f"topology {summary.topology_label} ({summary.topology_method})"
        rows = [
            ResultRow(**{**r.to_dict(), "method": topo})
            if r.quantity == "interpenetration_count"
            else r
            for r in rows
        ]
        details: dict[str, Any] = {"summary": summary.to_json()}
        if fw.dimension >= 1 and fw.metal_nodes:
            details["picture"] = network_picture(fw, repeat=(1, 1, 1))
        if opts.tem_fringe_nm is not None:
            best = fringe_reflections(crystal, opts.tem_fringe_nm)
            h = best[0]
            rows.append(
                ResultRow(
                    task.sample.id,
                    "tem_fringe_d_nm",
                    h.d_A / 10,
                    None,
                    "nm",
                    self.key,
                    f"nearest reflection {h.hkl} to the measured {opts.tem_fringe_nm} nm fringe",
                    source,
                )
            )
            details["tem_fringe"] = [{"hkl": list(r.hkl), "d_nm": r.d_A / 10} for r in best]
        if opts.reference_volume_A3:
            ref, su = parse_su(opts.reference_volume_A3)
            change = volume_change_percent(summary.cell_volume_A3, Measured(ref, su, "Å^3"))
            rows.append(
                ResultRow(
                    task.sample.id,
                    "cell_volume_change",
                    change.value,
                    change.stderr,
                    "%",
                    self.key,
                    f"100 (V/V_ref - 1), V_ref = {opts.reference_volume_A3} Å^3 (GUM propagation)",
                    source,
                )
            )
        if opts.pdf_partials and crystal.lattice_A is not None:
            details["pdf_partials"] = _pdf_partials(crystal, fw.network_labels)
        if opts.compare_with_paper:
            from mofglass.structure.paper import compare_with_paper

            details["paper_comparison"] = compare_with_paper(crystal, summary)
        return TechniqueOutput(
            sample_id=task.sample.id,
            source=source,
            rows=tuple(rows),
            details=details,
            warnings=tuple(summary.warnings),
        )

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Draw the network projection of each structure."""
        from mofglass.plotting.structure import network_projection_figure

        figs: dict[str, Figure] = {}
        for out in outputs:
            pic = out.details.get("picture")
            if not pic or not pic.get("xyz_A"):
                continue
            label = out.details.get("summary", {}).get("topology_label", "")
            figs[f"{out.sample_id}_{Path(out.source).stem}_networks"] = network_projection_figure(
                pic["xyz_A"],
                pic["network"],
                edges=pic["edges"],
                cell_A=pic["cell_A"],
                view_deg=(20.0, 15.0),
                title=f"{out.sample_id}: metal nodes by network ({label})",
            )
            pp = out.details.get("pdf_partials")
            if pp:
                from mofglass.plotting.structure import partials_figure

                figs[f"{out.sample_id}_{Path(out.source).stem}_pdf_partials"] = partials_figure(
                    pp["r_A"],
                    pp["D"],
                    pp["partials"],
                    pp["peaks"],
                    title=f"{out.sample_id}: computed X-ray D(r) of the structure, "
                    "partials by network (Figure 4 view)",
                )
        return figs

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """Set the paper's structure numbers beside the model's, with agreement and dependence."""
        import html

        parts = []
        for o in outputs:
            rows = o.details.get("paper_comparison")
            if not rows:
                continue
            body = "".join(
                "<tr>"
                + "".join(
                    f"<td>{html.escape(str(r[k]))}</td>" for k in ("quantity", "paper", "structure")
                )
                + f"<td>{'yes' if r['agrees'] else 'NO'}</td>"
                + f"<td>{html.escape(r['depends_on'])}</td></tr>"
                for r in rows
            )
            parts.append(
                f"<p>{html.escape(o.sample_id)} ({html.escape(o.source)}): the paper's structure "
                "numbers beside this structure's. Distances agree within 0.15 Å (a D(r) peak "
                "position at Qmax ≈ 20 Å⁻¹), d-spacings within 0.01 nm; 'depends on' says which "
                "numbers a model decides.</p><table><tr><th>quantity</th><th>paper</th>"
                "<th>structure</th><th>agrees</th><th>depends on</th></tr>" + body + "</table>"
            )
        return "".join(parts)

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Write the Cd(im)2 structure model for the crystalline Cd(im)2 sample (clearly a model).

        :data:`DEMO_MODEL` ``"built"``: Cd(im)2 from the isostructural ZIF-4-hPT-II template
        (:func:`mofglass.structure.demo_model.cdim2_model`); ``"idealised"``: the dia-c net
        embedding. Deterministic (no randomness): ``seed`` is unused.
        """
        target = next((s for s in samples if s.formula == "Cd(im)2" and s.phase == "crystal"), None)
        if target is None:
            return {}
        out = folder / "structure"
        out.mkdir(parents=True, exist_ok=True)
        if DEMO_MODEL == "idealised":
            from mofglass.structure.export import framework_cif_text
            from mofglass.structure.framework import build_framework
            from mofglass.structure.idealised import imidazolate_model

            model = imidazolate_model(
                metal="Cd", m_m_A=6.4, copies_shift=((0.5, 0.0, 0.0),), source="cdim2_dia-c_model"
            )
            text = framework_cif_text(build_framework(model), note=MODEL_NOTE)
            name = "cdim2_dia-c_model.cif"
        else:
            from mofglass.structure.demo_model import cdim2_model

            text = cdim2_model().cif_text()
            name = "cdim2_model_from_zif4_hpt_ii.cif"
        (out / name).write_text(text, encoding="utf-8")
        entry = {
            "file": f"structure/{name}",
            "tem_fringe_nm": 0.35,
            "pdf_partials": True,
            "compare_with_paper": True,
        }
        return {target.id: [entry]}


def _pdf_partials(crystal: Any, labels: np.ndarray) -> dict[str, Any]:
    """Compute the X-ray D(r) to 8 Å (Qmax 20 Å⁻¹) with its network partials.

    Cd-Cd / all intra- and inter-network partials and the seven most prominent peaks
    labelled by their main pair (mofglass.scattering).
    """
    from mofglass.scattering import crystal_pdf, label_peaks

    res = crystal_pdf(crystal, r_max_A=8.0, rstep_A=0.01, qmax_invA=20.0, labels=labels)
    f2 = res.mean_f**2
    keep = (res.r_A >= 1.0) & (res.r_A <= 8.0)
    metals = sorted({s for s in crystal.species if s not in ("H", "C", "N", "O")})
    parts: dict[str, list[float]] = {}
    for kind in ("intra", "inter"):
        if kind in res.kind_partials:
            parts[f"all pairs, {kind}"] = (f2 * res.kind_partials[kind][keep]).round(4).tolist()
        for m in metals[:1]:
            key = f"{m}-{m}/{kind}"
            if key in res.element_kind_partials:
                parts[f"{m}···{m} {kind}"] = (
                    (f2 * res.element_kind_partials[key][keep]).round(4).tolist()
                )
    peaks = []
    for p in label_peaks(res, r_max_A=8.0, n_peaks=7):
        pair = max(p.pairs, key=lambda k: p.pairs[k]) if p.pairs else ""
        inter = p.kinds.get("inter", 0.0)
        peaks.append({"r_A": p.r_A, "label": f"{pair} ({100 * inter:.0f}% inter)"})
    return {
        "r_A": res.r_A[keep].round(4).tolist(),
        "D": res.D[keep].round(4).tolist(),
        "partials": parts,
        "peaks": peaks,
    }
