"""Scattering benchmarks: time, peak memory and ratios against the peers that are installed.

    python benchmarks/run_scattering.py [--quick] [--save=results.json] [CASE ...]

Cases: a ZIF unit cell PDF to 50 Å (vs diffpy.pdffit2); clusters of 10^4, 3·10^4 and 10^5 atoms,
I(Q) over all pairs by the Debye route and G(r) (vs DebyeCalculator on CPU); periodic boxes of
10^5 and 10^6 atoms, G(r) to 30 Å and S(Q) from it (no peer handles these); a powder pattern to
2θ = 60° of a 276-atom cell (vs pymatgen); spherical crystallites of 10^4, 10^5 and 10^6 atoms
of fcc Ni (4-atom cell) and of ZIF-8 (276-atom cell), I(Q) by lattice sums (vs DebyeCalculator
on the same atoms and Q grid; "pairs" counts all N(N-1)/2 pairs that the sum stands for). Each case runs in its own process so that the peak
memory is its own. Pair distances per second per core = pairs / (seconds · cores); per CPU
second = pairs / CPU seconds of the timed part (all threads), which a machine shared with other
jobs distorts much less than wall time.

The machine's limit is measured first (case ``ceiling``, one thread): ``bare`` computes and
sums every pair distance of a 10^4-atom cluster (the limit of any exact pair method), ``scatter``
adds the linear spread into an L1-resident 1024-bin histogram (the limit of any histogram
method). Each row gives its pairs per CPU second as a fraction of the bare limit.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = {
    "ceiling": ["mofglass"],
    "zif_cell_pdf50": ["mofglass", "pdffit2"],
    "cluster_10000": ["mofglass", "debyecalculator"],
    "cluster_30000": ["mofglass", "debyecalculator"],
    "cluster_100000": ["mofglass", "debyecalculator"],
    "box_100000": ["mofglass"],
    "box_1000000": ["mofglass"],
    "xrd300": ["mofglass", "pymatgen"],
    # crystallites cut from a cell: lattice sums vs DebyeCalculator on the same atoms (the
    # 10^6-atom DebyeCalculator runs would take hours on this machine and are not made)
    "crystallite_fcc_10000": ["mofglass", "debyecalculator"],
    "crystallite_fcc_100000": ["mofglass", "debyecalculator"],
    "crystallite_fcc_1000000": ["mofglass"],
    "crystallite_zif8_10000": ["mofglass", "debyecalculator"],
    "crystallite_zif8_100000": ["mofglass", "debyecalculator"],
    "crystallite_zif8_1000000": ["mofglass"],
    "crystallite_zif8sym_1000000": ["mofglass"],
    "crystallite_zif8gen_1000000": ["mofglass"],
}
MODULES = {
    "pdffit2": "diffpy.pdffit2",
    "debyecalculator": "debyecalculator",
    "pymatgen": "pymatgen",
}


def _one(case: str, tool: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, str(HERE / "scattering_cases.py"), case, tool],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        return {"case": case, "tool": tool, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(lines[-1])


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    chosen = [a for a in argv if not a.startswith("--")] or list(CASES)
    if quick:
        chosen = [
            c
            for c in chosen
            if c not in ("box_1000000", "cluster_100000", "cluster_30000")
            and not c.endswith(("_100000", "_1000000"))
        ]
    if "ceiling" not in chosen:
        chosen.insert(0, "ceiling")
    cores = os.cpu_count() or 1
    print(
        f"{'case':<16}{'tool':<17}{'N':>9}{'time/s':>9}{'cpu/s':>9}{'peak/MB':>8}"
        f"{'Mp/s/core':>10}{'Mp/cpu-s':>9}{'%bare':>7}{'ratio':>7}{'cpu-ratio':>10}"
    )
    results = []
    ceiling = float("nan")
    for case in chosen:
        rows = {}
        for tool in CASES[case]:
            if tool != "mofglass" and importlib.util.find_spec(MODULES[tool]) is None:
                print(f"{case:<16}{tool:<17}  (not installed)")
                continue
            r = _one(case, tool)
            rows[tool] = r
            results.append(r)
        ours = rows.get("mofglass", {})
        if case == "ceiling" and "error" not in ours:
            ceiling = float(ours["mpairs_per_cpu_s_bare"])  # type: ignore[arg-type]
            print(
                f"{'ceiling':<16}{'1 thread':<17}{ours['n_atoms']:>9}  bare distance loop "
                f"{ceiling:.0f} Mpairs/CPU-s; + L1-resident histogram scatter "
                f"{float(ours['mpairs_per_cpu_s_scatter']):.0f} Mpairs/CPU-s"  # type: ignore[arg-type]
            )
            continue
        for tool, r in rows.items():
            if "error" in r:
                print(f"{case:<16}{tool:<17}  error: {r['error']}")
                continue
            sec = float(r["seconds"])  # type: ignore[arg-type]
            cpu = float(r.get("seconds_cpu", float("nan")))  # type: ignore[arg-type]
            pairs = float(r["pairs"]) if r.get("pairs") else float("nan")  # type: ignore[arg-type]
            rate = pairs / sec / cores / 1e6
            rate_cpu = pairs / cpu / 1e6
            ratio = sec / float(ours["seconds"]) if "seconds" in ours else float("nan")  # type: ignore[arg-type]
            ratio_cpu = cpu / float(ours.get("seconds_cpu", float("nan")))  # type: ignore[arg-type]
            print(
                f"{case:<16}{tool:<17}{r.get('n_atoms', 0):>9}{sec:>9.3f}{cpu:>9.3f}"
                f"{float(r.get('peak_mb', 0.0)):>8.0f}{rate:>10.1f}{rate_cpu:>9.1f}"  # type: ignore[arg-type]
                f"{100 * rate_cpu / ceiling:>6.0f}%{ratio:>7.1f}{ratio_cpu:>10.1f}"
            )
            extra = {k: v for k, v in r.items() if k.startswith("seconds_") or k == "bin_error"}
            extra.pop("seconds_cpu", None)
            if extra:
                print(" " * 33 + ", ".join(f"{k}={v:.3g}" for k, v in extra.items()))  # type: ignore[str-format]
    save = next((a.split("=", 1)[1] for a in argv if a.startswith("--save=")), None)
    if save:
        Path(save).write_text(json.dumps(results, indent=1) + "\n")
    print(
        "ratio = peer time / mofglass time, cpu-ratio = peer CPU s / mofglass CPU s (>1: mofglass"
        " faster); %bare = Mpairs per CPU s / the bare-loop ceiling; --save=FILE keeps the JSON"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
