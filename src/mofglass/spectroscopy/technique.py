"""Study techniques ``ftir`` and ``nmr``: band position, FWHM and area per band window.

Two keys share one implementation because the manifest then says what each file is, and the
defaults differ (x unit cm⁻¹ vs ppm, the paper's band: CdN4 stretch at 252 cm⁻¹, 113Cd at
433 ppm). Manifest entries::

    [[samples.ftir]]
    file = "ftir/cdim2_farir.jdx"
    bands = [{center = 252, window = [200, 300]}]
    shape = "voigt"                  # gaussian | lorentzian | pseudo_voigt | voigt

    [[samples.nmr]]
    file = "nmr/cdim2_113cd.jdx"
    bands = [{center = 433, window = [340, 530]}]

Rows per band: ``band_<centre>_position_cm1``, ``band_<centre>_fwhm_cm1`` (``_ppm`` for NMR),
``band_<centre>_area_<unit>``, ``band_<centre>_height[_<unit>]`` (<centre> is the label if
given). Default
windows: 252 cm⁻¹ in 170-340 cm⁻¹ (wide enough for the broadened glass band), 433 ppm in
340-530 ppm. The report adds the FWHM ratio of each
sample to the crystal sample of the study (broadening, with propagated uncertainty).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mofglass.errors import InputFormatError
from mofglass.spectroscopy.analysis import BandWindow, SpectrumAnalysis, analyse_spectrum
from mofglass.spectroscopy.bands import compare_broadening
from mofglass.spectroscopy.readers import read_spectrum
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.spectroscopy.spectrum import Spectrum

__all__ = ["BandOption", "FtirTechnique", "NmrTechnique", "SpectrumOptions"]


class BandOption(BaseModel):
    """One band window: ``{center = 252, window = [200, 300], label = "CdN4"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    center: float
    window: tuple[float, float]
    label: str = ""

    @field_validator("window")
    @classmethod
    def _ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not v[0] < v[1]:
            raise ValueError("window must be [low, high] with low < high")
        return v


class SpectrumOptions(BaseModel):
    """Options of one ``[[samples.ftir]]`` / ``[[samples.nmr]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["auto", "jasco-csv", "jws", "jcamp", "text"] = "auto"
    bands: list[BandOption] | None = None
    shape: Literal["gaussian", "lorentzian", "pseudo_voigt", "voigt"] = "voigt"
    x_range: tuple[float, float] | None = Field(default=None)


class _SpectrumTechnique(Technique):
    x_unit: ClassVar[str]
    default_bands: ClassVar[tuple[BandWindow, ...]]
    Options = SpectrumOptions

    def read(self, task: Task, opts: SpectrumOptions) -> Spectrum:
        """Read the spectrum (in this technique's x unit), cropped to ``x_range`` if given."""
        x_unit = self.x_unit
        spec = read_spectrum(task.file, opts.format, x_unit=x_unit)
        if spec.x_unit != x_unit:
            raise InputFormatError(
                task.source or Path(task.file).name,
                expected=f"a spectrum in {x_unit} for technique {self.key!r}",
                got=spec.x_unit,
            )
        return spec if opts.x_range is None else spec.crop(*opts.x_range)

    def analyse(self, data: Spectrum, task: Task, opts: SpectrumOptions) -> SpectrumAnalysis:
        """Fit the entry's band windows (the technique's default band if none)."""
        windows = (
            [BandWindow(b.center, b.window, b.label) for b in opts.bands]
            if opts.bands
            else list(self.default_bands)
        )
        return analyse_spectrum(data, windows=windows, shape=opts.shape)

    def details(
        self, result: SpectrumAnalysis, data: Spectrum, task: Task, opts: SpectrumOptions
    ) -> dict[str, Any]:
        """Return the sample's phase (the report's broadening ratios are against the crystal)."""
        return {"phase": task.sample.phase}

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        from mofglass.plotting.spectroscopy import SpectrumCurve, stacked_spectra_figure

        curves = []
        for out in self.analysed(outputs):
            res = SpectrumAnalysis.from_dict(out.details["result"])
            fits = list(zip(res.fit_x, res.fit_model, strict=True))
            pos = [b.band.position.value for b in res.bands]
            curves.append(SpectrumCurve(out.sample_id, res.x, res.y, fits, pos))
        if not curves:
            return {}
        lo = min(float(f[0].min()) for c in curves for f in c.fits) if curves[0].fits else None
        hi = max(float(f[0].max()) for c in curves for f in c.fits) if curves[0].fits else None
        rng = None if lo is None or hi is None else (lo - 0.2 * (hi - lo), hi + 0.2 * (hi - lo))
        y_kind = str(outputs[0].details.get("result", {}).get("y_kind", "absorbance"))
        fig = stacked_spectra_figure(
            curves, x_unit=self.x_unit, y_kind=y_kind, x_range=rng, title=self.title
        )
        return {f"{self.key}_stacked": fig}

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """FWHM ratio of every sample to the study's crystal sample, per band."""
        ref = next((o for o in outputs if o.details.get("phase") == "crystal"), None)
        if ref is None or "result" not in ref.details:
            return ""
        ref_bands = {
            b.name: b.band
            for b in SpectrumAnalysis.from_dict(ref.details["result"]).bands
            if not b.flags
        }
        lines = []
        for o in outputs:
            if o is ref or "result" not in o.details:
                continue
            for b in SpectrumAnalysis.from_dict(o.details["result"]).bands:
                if b.name not in ref_bands or b.flags:
                    continue
                br = compare_broadening(ref_bands[b.name], b.band)
                lines.append(
                    f"<tr><td>{html.escape(o.sample_id)}</td><td>{html.escape(b.name)}</td>"
                    f"<td>{html.escape(str(br.fwhm_ratio))}</td>"
                    f"<td>{html.escape(str(br.shift))}</td></tr>"
                )
        if not lines:
            return ""
        return (
            f"<p>Broadening relative to {html.escape(ref.sample_id)} (FWHM ratio, "
            "first-order propagated 1σ).</p><table><tr><th>sample</th><th>band</th>"
            "<th>FWHM ratio</th><th>shift</th></tr>" + "".join(lines) + "</table>"
        )

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        from mofglass.spectroscopy.demo import write_demo_spectra

        return write_demo_spectra(self.key, samples, folder, seed=seed)


@register
class FtirTechnique(_SpectrumTechnique):
    """Infrared bands (far- and mid-IR) of each sample."""

    key = "ftir"
    title = "FTIR spectroscopy"
    order = 60
    x_unit = "wavenumber_cm1"
    default_bands = (BandWindow(252.0, (170.0, 340.0), "CdN4"),)


@register
class NmrTechnique(_SpectrumTechnique):
    """MAS NMR lines (1D, chemical shift in ppm) of each sample."""

    key = "nmr"
    title = "MAS NMR spectroscopy"
    order = 61
    x_unit = "shift_ppm"
    default_bands = (BandWindow(433.0, (340.0, 530.0), "113Cd"),)
