"""Study technique ``composition``: formula, molar mass and linker content of every sample.

It needs no file: it runs once per sample from the manifest's ``formula`` or ``composition``.
Optionally ``[[samples.composition]] nmr_integrals = {linker = 1.0, colinker = 0.14}`` gives the
co-linker content x from 1H NMR integrals of a digested sample (see
:func:`mofglass.composition.bim_fraction_from_nmr`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from mofglass.composition import Composition, bim_fraction_from_nmr
from mofglass.results import ResultRow
from mofglass.study.technique import Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CompositionTechnique"]


class NmrIntegrals(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    linker: float = Field(gt=0)
    colinker: float = Field(ge=0)
    protons_linker: int = Field(default=1, ge=1)
    protons_colinker: int = Field(default=1, ge=1)


class CompositionOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    nmr_integrals: NmrIntegrals | None = None


@register
class CompositionTechnique(Technique):
    """Formula unit and molar mass (IUPAC 2016 atomic weights) of each sample."""

    key = "composition"
    title = "Composition"
    Options = CompositionOptions
    needs_file = False
    order = 0

    def run(self, task: Task) -> TechniqueOutput:
        """Return the sample's molar mass and composition rows (no file is read)."""
        s = task.sample
        rows: list[ResultRow] = []
        details: dict[str, object] = {}
        if s.formula is not None:
            comp = Composition.from_formula(s.formula)
            method = "formula unit; IUPAC 2016 standard atomic weights"
            rows.append(
                ResultRow(
                    s.id,
                    "molar_mass_g_mol",
                    comp.molar_mass_g_mol,
                    None,
                    "g/mol",
                    self.key,
                    method,
                    "",
                )
            )
            details.update(
                formula=comp.formula, hill_formula=comp.hill_formula, counts=dict(comp.counts)
            )
        nmr = task.options.get("nmr_integrals")
        if nmr:
            x = bim_fraction_from_nmr(
                nmr["linker"],
                nmr["colinker"],
                protons_linker=nmr["protons_linker"],
                protons_colinker=nmr["protons_colinker"],
            )
            rows.append(
                ResultRow(
                    s.id,
                    "colinker_x",
                    x,
                    None,
                    "",
                    self.key,
                    "1H NMR integrals of digested sample",
                    "",
                )
            )
        return TechniqueOutput(sample_id=s.id, source="", rows=tuple(rows), details=details)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Return the molar-mass bar chart of the study's samples."""
        from mofglass.plotting.composition import molar_mass_bars

        pairs = [
            (o.sample_id, r.value)
            for o in outputs
            for r in o.rows
            if r.quantity == "molar_mass_g_mol"
        ]
        if not pairs:
            return {}
        return {
            "composition_molar_mass": molar_mass_bars([p[0] for p in pairs], [p[1] for p in pairs])
        }
