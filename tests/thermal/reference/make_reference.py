"""Record pkynetics' results on shared inputs, for the peer-comparison tests.

Run from the repository root with pkynetics installed (not a mofglass dependency):

    pip install pkynetics==0.7.0
    python tests/thermal/reference/make_reference.py

It writes ``pkynetics_reference.json`` beside this script with the package versions, the inputs
(derived here from the raw files with plain numpy, independently of mofglass) and pkynetics'
outputs: stepped heat capacity of ``cp-sapphire-setaram`` (single run and sapphire ratio with an
assumed sapphire mass, since the files do not record it), Kissinger and Ozawa-Flynn-Wall
activation energies of the Mettler PMMA TGA series, and a JMAK fit of the eicosane
crystallisation exotherm.
"""

from __future__ import annotations

import json
import platform
import re
from importlib.metadata import version
from pathlib import Path

import numpy as np
from pkynetics.data_import import dsc_importer
from pkynetics.model_fitting_methods.jmak import jmak_method
from pkynetics.model_fitting_methods.kissinger import kissinger_method
from pkynetics.model_free_methods.ofw_method import ofw_method
from pkynetics.technique_analysis.dsc import CpCalculator, CpMethod

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / ".." / "shared" / "data"
SAPPHIRE_MASS_MG = 50.0  # assumed: the Setaram headers give 0 mg for the sapphire run


def _mettler(path: Path) -> tuple[np.ndarray, np.ndarray]:
    rows = [
        ln.split("\t") for ln in path.read_text(encoding="latin-1").splitlines()[2:] if ln.strip()
    ]
    arr = np.array([[float(c) for c in r[:5]] for r in rows])
    return arr[:, 1], arr[:, 3]  # sample temperature °C, mass mg


def tga_inputs() -> dict:
    out: dict = {"rates_K_min": [], "dtg_peak_C": [], "conversion_T_C": [], "conversion_alpha": []}
    for f in sorted((DATA / "tga-mettler-pmma").glob("*_r1.txt")):
        rate = float(re.search(r"dyn(\d+)_", f.name).group(1))  # type: ignore[union-attr]
        T, m = _mettler(f)
        k = 9
        ms = np.convolve(m, np.ones(k) / k, mode="same")
        Ts = np.convolve(T, np.ones(k) / k, mode="same")
        d = np.gradient(ms, Ts)
        inner = slice(k, len(d) - k)
        p = k + int(np.argmin(d[inner]))
        sel = (T >= 250) & (T <= 460)
        a = (m[sel][0] - m[sel]) / (m[sel][0] - m[sel][-1])
        out["rates_K_min"].append(rate)
        out["dtg_peak_C"].append(float(T[p]))
        out["conversion_T_C"].append(T[sel][::4].tolist())
        out["conversion_alpha"].append(np.clip(a[::4], 0, 1).tolist())
    return out


def main() -> None:
    ref: dict = {
        "generated_by": "tests/thermal/reference/make_reference.py",
        "versions": {
            "pkynetics": version("pkynetics"),
            "numpy": version("numpy"),
            "scipy": version("scipy"),
            "python": platform.python_version(),
        },
    }
    # --- heat capacity, stepped programme (Setaram)
    runs = {
        k: dsc_importer(str(DATA / "cp-sapphire-setaram" / f"{k}.txt"), manufacturer="Setaram")
        for k in ("zero", "sapphire", "sample")
    }
    load = {
        k: (v["time"], v["sample_temperature"] + 273.15, v["heat_flow"]) for k, v in runs.items()
    }
    calc = CpCalculator(exo_up=True)
    t, T, hf = load["sample"]
    single = calc.calculate_cp(
        T,
        hf,
        58.30,
        5.0,
        method=CpMethod.SINGLE_STEP,
        operation_mode="stepped",
        time=t,
        blank_heat_flow=load["zero"][2],
    )
    three = calc.calculate_cp(
        T,
        hf,
        58.30,
        5.0,
        method=CpMethod.THREE_STEP,
        operation_mode="stepped",
        time=t,
        blank_heat_flow=load["zero"][2],
        reference_data={
            "heat_flow": load["sapphire"][2],
            "mass": SAPPHIRE_MASS_MG,
            "temperature": load["sapphire"][1],
        },
    )
    ref["cp_stepped"] = {
        "sample_mass_mg": 58.30,
        "sapphire_mass_mg_assumed": SAPPHIRE_MASS_MG,
        "single_T_C": (single.temperature - 273.15).tolist(),
        "single_cp_J_gK": single.specific_heat.tolist(),
        "three_T_C": (three.temperature - 273.15).tolist(),
        "three_cp_J_gK": three.specific_heat.tolist(),
    }
    # --- Kissinger and OFW on the Mettler PMMA TGA series
    tga = tga_inputs()
    ea, _a, se, _se_ln_a, r2 = kissinger_method(
        np.array(tga["dtg_peak_C"]) + 273.15, np.array(tga["rates_K_min"])
    )
    ref["kissinger"] = {
        "inputs": {"peak_C": tga["dtg_peak_C"], "rates_K_min": tga["rates_K_min"]},
        "activation_energy_kJ_mol": ea / 1000,
        "stderr_kJ_mol": se / 1000,
        "r_squared": r2,
    }
    e_ofw, _, levels, _r2_ofw = ofw_method(
        [np.array(x) + 273.15 for x in tga["conversion_T_C"]],
        [np.array(x) for x in tga["conversion_alpha"]],
        tga["rates_K_min"],
    )
    ref["ofw"] = {
        "inputs": {
            "T_C": tga["conversion_T_C"],
            "alpha": tga["conversion_alpha"],
            "rates_K_min": tga["rates_K_min"],
        },
        "alpha": levels.tolist(),
        "activation_energy_kJ_mol": (e_ofw / 1000).tolist(),
    }
    # --- JMAK on the eicosane crystallisation exotherm (cooling, 35.5 -> 29.9 °C)
    eic = dsc_importer(str(DATA / "dsc-tainstruments-eicosane" / "sample_dsc_tainstruments.txt"))
    time_s = eic["time"] * 60
    Tc = eic["temperature"]
    h = eic["heat_flow"]
    ok = time_s > 0
    time_s, Tc, h = time_s[ok], Tc[ok], h[ok]
    turn = int(np.argmax(Tc))
    idx = np.flatnonzero((np.arange(len(Tc)) > turn) & (Tc <= 35.5) & (Tc >= 29.9))
    i0, i1 = idx[0], idx[-1]
    ts, ys = time_s[i0 : i1 + 1], h[i0 : i1 + 1]
    base = ys[0] + (ys[-1] - ys[0]) * (ts - ts[0]) / (ts[-1] - ts[0])
    net = ys - base
    area = np.concatenate([[0.0], np.cumsum(0.5 * (net[1:] + net[:-1]) * np.diff(ts))])
    alpha = np.clip(area / area[-1], 0, 1)
    tt = ts - ts[0]
    sel = (alpha >= 0.02) & (alpha <= 0.98) & (tt > 0)
    n, k, r2j = jmak_method(tt[sel], alpha[sel])
    ref["jmak"] = {
        "inputs": {"time_s": tt[sel][::3].tolist(), "alpha": alpha[sel][::3].tolist()},
        "fit_on": "every point of inputs (stored at every 3rd point)",
        "n": n,
        "k_per_s": k,
        "r_squared": r2j,
    }
    n3, k3, _ = jmak_method(
        np.array(ref["jmak"]["inputs"]["time_s"]), np.array(ref["jmak"]["inputs"]["alpha"])
    )
    ref["jmak"]["n_stored"] = n3
    ref["jmak"]["k_per_s_stored"] = k3
    (HERE / "pkynetics_reference.json").write_text(json.dumps(ref, indent=1))
    print(json.dumps({k: v for k, v in ref.items() if k in ("versions",)}, indent=1))
    print(
        "kissinger",
        ref["kissinger"]["activation_energy_kJ_mol"],
        "jmak",
        n,
        k,
        "cp",
        ref["cp_stepped"]["single_cp_J_gK"],
    )


if __name__ == "__main__":
    main()
