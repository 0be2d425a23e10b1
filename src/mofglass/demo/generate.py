"""Write the bundled demo study: simulated instrument files plus a ``study.toml``.

Every registered technique may contribute simulated files through its
:meth:`~mofglass.study.technique.Technique.demo_inputs` (its own forward model, fixed seed);
samples come from :data:`mofglass.demo.samples.DEMO_SAMPLES`. The manifest marks every sample as
simulated, and the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mofglass.demo.samples import DEMO_SAMPLES, DEMO_SEED
from mofglass.study.technique import registered_techniques

__all__ = ["write_demo_study"]


def write_demo_study(folder: str | Path, *, seed: int = DEMO_SEED) -> Path:
    """Generate the demo's input files in ``folder`` and return the path of its manifest."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict[str, list[dict[str, Any]]]] = {s.id: {} for s in DEMO_SAMPLES}
    for key, technique in registered_techniques().items():
        produced = technique.demo_inputs(DEMO_SAMPLES, root, seed=seed)
        for sample_id, items in produced.items():
            if items:
                entries[sample_id][key] = list(items)
    if "pdf" in registered_techniques():
        # simulated total scattering of the structure model (mofglass.demo.total_scattering)
        from mofglass.demo.total_scattering import write_demo_total_scattering

        for sample_id, items in write_demo_total_scattering(DEMO_SAMPLES, root).items():
            entries[sample_id].setdefault("pdf", []).extend(items)
    if "simulate" in registered_techniques():
        # the powder pattern and PDF computed from the demo's structure model, if it has none
        for by_key in entries.values():
            for item in by_key.get("structure", []):
                if "simulate" not in by_key:
                    by_key["simulate"] = [{"file": item["file"], "q_max_invA": 20.0}]
    lines = [
        "# mofglass demo study: Cd(im)2 melting, glass formation and glass-ceramic conversion.",
        "# Every instrument file here is SIMULATED by mofglass's forward models with the values of",
        "# the Cd(im)2 paper as parameters (see mofglass.demo.samples); none is a measurement.",
        "",
        "[study]",
        'title = "Cd(im)2 demo study (simulated data)"',
        'description = "Simulated inputs generated from the published Cd(im)2 values; '
        'see the banner below."',
        "",
    ]
    for s in DEMO_SAMPLES:
        lines += [
            "[[samples]]",
            f"id = {_toml(s.id)}",
            f"label = {_toml(s.label)}",
            f"phase = {_toml(s.phase)}",
            f"formula = {_toml(s.formula)}",
            "simulated = true",
        ]
        for key, items in entries[s.id].items():
            for item in items:
                lines.append(f"  [[samples.{key}]]")
                lines += [f"  {k} = {_toml(v)}" for k, v in item.items()]
        lines.append("")
    manifest = root / "study.toml"
    manifest.write_text("\n".join(lines), encoding="utf-8")
    return manifest


def _toml(v: Any) -> str:
    """Return the TOML literal of a simple value (str, bool, number, list, table)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")
