"""Benchmark: read + Oliver-Pharr on the shared indentation files, mofglass vs micromechanics.

Run from the repository root::

    python benchmarks/mechanics_oliver_pharr.py

Prints wall time (best of 3) and peak Python memory (tracemalloc) per file for mofglass and, if
installed, the peer micromechanics (same files, ideal Berkovich tip, each program's defaults),
and their ratio. Also times the synthetic-curve generator.
"""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

DATA = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "nanoindentation-micromechanics"
)
FILES = ["multipleIndentations.zip", "FS1.txt", "RobinSteel0000LC.txt", "FS_Calibration.xls"]


def measure(func: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Best wall time (s) and peak traced memory (MB) of ``func``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak


def ours(path: Path) -> Callable[[], object]:
    from mofglass.mechanics import read_indentations
    from mofglass.mechanics.analysis import analyse_indentations

    return lambda: analyse_indentations(read_indentations(path))


def peer(path: Path) -> Callable[[], object] | None:
    try:
        from micromechanics import indentation
        from micromechanics.indentation import Tip
    except ImportError:
        return None

    def run() -> int:
        n = 0
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ind = indentation.Indentation(str(path), nuMat=0.3, tip=Tip())
            while True:
                ind.analyse()
                n += 1
                try:
                    if not ind.nextTest():
                        break
                except IndexError:
                    break
        return n

    return run


def main() -> None:
    from mofglass.mechanics import synthetic_indentation

    print(
        f"{'file':28s} {'mofglass s':>10s} {'MB':>6s} {'peer s':>8s} {'MB':>6s} {'time ratio':>10s}"
    )
    for name in FILES:
        path = DATA / name
        if not path.is_file():
            print(f"{name:28s} missing")
            continue
        t_ours, m_ours = measure(ours(path))
        p = peer(path)
        if p is None:
            print(f"{name:28s} {t_ours:10.3f} {m_ours:6.1f} {'n/a':>8s}")
            continue
        t_peer, m_peer = measure(p, repeat=1)
        print(
            f"{name:28s} {t_ours:10.3f} {m_ours:6.1f} {t_peer:8.3f} {m_peer:6.1f}"
            f" {t_peer / t_ours:9.1f}x"
        )
    t_syn, m_syn = measure(
        lambda: [
            synthetic_indentation(reduced_modulus_GPa=7.5, hardness_GPa=0.84, max_load_mN=5.0)
            for _ in range(100)
        ]
    )
    print(f"100 synthetic indents: {t_syn:.3f} s, peak {m_syn:.1f} MB")


if __name__ == "__main__":
    main()
