"""Write thermograms as NETZSCH- and TA-style text exports (for the demo and round-trip tests).

The files follow the layouts the readers parse (:mod:`mofglass.thermal.readers.netzsch`,
:mod:`mofglass.thermal.readers.ta`), so a simulated run goes through the same reading path as a
measured one.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import numpy as np

from mofglass.thermal.thermogram import Thermogram

__all__ = ["write_netzsch", "write_ta"]


def write_netzsch(
    trace: Thermogram, path: str | PathLike[str], *, sample: str = "sample", decimals: int = 5
) -> Path:
    """Write a NETZSCH "DATA ALL" style export (ANSI, comma separated, decimal point)."""
    p = Path(path)
    exo = -1 if trace.exo_up else 1  # NETZSCH: -1 with exothermic-positive data
    mass = trace.sample_mass_mg or 0.0
    segs = trace.metadata.get("segments", [])
    lines = [
        "#EXPORTTYPE:                 ,DATA ALL",
        f"#FILE:                       ,{p.stem}.ngb-ss3",
        "#FORMAT:                     ,NETZSCH5",
        "#FTYPE:                      ,ANSI",
        "#DECIMAL:                    ,POINT",
        "#SEPARATOR:                  ,COMMA",
        "#MTYPE:                      ,DSC"
        if trace.mass_mg is None
        else "#MTYPE:                      ,STA",
        "#INSTRUMENT:                 ,mofglass synthetic (NETZSCH-style export)",
        f"#SAMPLE:                     ,{sample}",
        f"#SAMPLE MASS /mg:            ,{mass:.3f}",
        "#TYPE OF CRUCIBLE:           ,Al2O3 85 µl, with lid",
        "#PURGE 1 MFC:                ,NITROGEN,50.0 ml/min",
        f"#EXO:                        ,{exo}",
    ]
    for i, s in enumerate(segs, 1):
        if s.get("kind") == "isothermal":
            hold = float(s.get("hold_min", 0.0))
            hh, mm = int(hold // 60), int(hold % 60)
            text = f"{s['start_C']:.0f}°C/{hh:02d}:{mm:02d}/{s['end_C']:.0f}°C"
            lines.append(f"#SEG. {i}:                    ,{text}")
        else:
            rate = abs(float(s["rate_K_min"]))
            text = f"{s['start_C']:.0f}°C/{rate:.1f}(K/min)/{s['end_C']:.0f}°C"
            lines.append(f"#SEG. {i}:                    ,{text}")
    lines.append("")
    cols = ["##Temp./°C", "Time/min"]
    data = [trace.temperature_C, trace.time_s / 60.0]
    if trace.heat_flow_W_g is not None:
        cols.append("DSC/(mW/mg)")
        data.append(trace.heat_flow_W_g)
    if trace.mass_mg is not None:
        cols.append("Mass/%")
        data.append(100.0 * trace.mass_mg / mass if mass else trace.mass_mg)
    if trace.dta is not None:
        cols.append("DTA/(uV)")
        data.append(trace.dta)
    lines.append(",".join(cols))
    arr = np.column_stack(data)
    lines += [",".join(f"{v:.{decimals}f}" for v in row) for row in arr]
    p.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return p


def write_ta(trace: Thermogram, path: str | PathLike[str], *, sample: str = "sample") -> Path:
    """Write a TA Universal Analysis style export (heat flow in mW, time in min, latin-1)."""
    p = Path(path)
    mass = trace.sample_mass_mg or 1.0
    lines = [
        "CLOSED",
        "Version\t0.4",
        "Instrument\tmofglass synthetic (TA-style export)",
        f"Sample\t{sample}",
        f"Size\t{mass:.5f}\tmg",
        "Xcomment\tPan: Aluminum Hermetic  Gas1: Nitrogen  50 mL/min",
        f"Exotherm\t{'Up' if trace.exo_up else 'Down'}",
        "Nsig\t3",
        "Sig1\tTime (min)",
        "Sig2\tTemperature (°C)",
        "Sig3\tHeat Flow (mW)",
        "StartOfData",
    ]
    hf = np.asarray(trace.heat_flow_W_g) * mass
    arr = np.column_stack([trace.time_s / 60.0, trace.temperature_C, hf])
    lines += ["\t".join(f"{v:.5f}" for v in row) for row in arr]
    p.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    return p
