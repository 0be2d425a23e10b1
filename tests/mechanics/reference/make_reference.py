"""Record the peer program `micromechanics` on the shared indentation files.

Run from the repository root with micromechanics installed (``pip install micromechanics``)::

    python tests/mechanics/reference/make_reference.py

It writes ``micromechanics_reference.json`` beside this script: per test, micromechanics's
reduced modulus (GPa), hardness (GPa), unloading stiffness (mN/nm), contact depth (nm), with the
versions used. Options: ideal Berkovich tip (Ac = 24.5 hc², micromechanics ``Tip()``),
micromechanics's own defaults otherwise (surface find, drift correction, vendor-specific
unloading fit window, ε = 0.75, no β). The G200 ``.xls`` files are CSM tests, which
micromechanics analyses only along the loading; they are not recorded here. The FischerScope
file holds 8-cycle tests: the last (highest-load) cycle is recorded as the test's value and
every cycle under ``cycles``. The ``.hld`` entry is recorded but not compared in the tests:
micromechanics keeps the file's Hysitron tip with µm units (Er ≈ 2400 GPa, not physical).
"""

from __future__ import annotations

import contextlib
import io
import json
import platform
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[3] / "shared" / "data" / "nanoindentation-micromechanics"
FILES = ["RobinSteel0000LC.txt", "Exp-50mN_0000.hld", "multipleIndentations.zip", "FS1.txt"]


def _all(x: object) -> list[float]:
    return [float(v) for v in np.atleast_1d(np.asarray(x, dtype=float))]


def _last(x: object) -> float:
    arr = np.atleast_1d(np.asarray(x, dtype=float))
    return float(arr[-1]) if arr.size else float("nan")


def main() -> None:
    warnings.filterwarnings("ignore")
    from micromechanics import indentation
    from micromechanics.indentation import Tip

    tests = []
    for name in FILES:
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet):
            ind = indentation.Indentation(str(DATA / name), nuMat=0.3, tip=Tip())
        while True:
            with contextlib.redirect_stdout(quiet):
                ind.tip.areaPrefactors = [24.5]  # the .hld reader installs the file's own tip
                ind.analyse()
            tests.append(
                {
                    "file": name,
                    "test": ind.testName,
                    "reduced_modulus_GPa": _last(ind.modulusRed),
                    "hardness_GPa": _last(ind.hardness),
                    "stiffness_mN_nm": _last(ind.slope) * 1e-3,
                    "contact_depth_nm": _last(ind.hc) * 1e3,
                    "cycles": {
                        "reduced_modulus_GPa": _all(ind.modulusRed),
                        "hardness_GPa": _all(ind.hardness),
                        "contact_depth_nm": [v * 1e3 for v in _all(ind.hc)],
                    },
                }
            )
            with contextlib.redirect_stdout(quiet):
                try:
                    more = ind.nextTest()
                except IndexError:  # the FischerScope reader pops past its last test
                    more = False
            if not more:
                break
    out = {
        "peer": "micromechanics",
        "versions": {
            "micromechanics": version("micromechanics"),
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "command": "python tests/mechanics/reference/make_reference.py",
        "options": "Tip() ideal Berkovich (24.5), nuMat=0.3 (irrelevant for Er/H), defaults",
        "tests": tests,
    }
    (HERE / "micromechanics_reference.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {len(tests)} tests")


if __name__ == "__main__":
    main()
