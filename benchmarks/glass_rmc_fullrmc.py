"""Time fullrmc's moves on a given box: run with fullrmc's own interpreter, not mofglass's.

fullrmc (Aoun 2016) is the peer of `mofglass model rmc`; it builds only with Cython and, in
version 4.1.0 on Python >= 3.10, imports the removed ``parser`` module through pdbparser
0.1.8 (used only by an expression helper: an empty stub module lets it import). Called by
``glass_rmc.py speed`` when MOFGLASS_FULLRMC_PYTHON names that interpreter.

Run: python glass_rmc_fullrmc.py BOX.pdb DATA.txt A B C GROUPS.json|- N_MOVES
Prints one JSON line: version, atoms, setup seconds, moves per CPU second.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def main() -> None:
    pdb, data, a, b, c, groups, n = sys.argv[1:8]
    import fullrmc
    from fullrmc.Constraints.PairDistributionConstraints import PairDistributionConstraint
    from fullrmc.Engine import Engine

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), tempfile.TemporaryDirectory() as tmp:
        eng = Engine(path=str(Path(tmp) / "engine.rmc"), freshStart=True)
        eng.set_pdb(pdb, boundaryConditions=np.array([float(a), float(b), float(c)]))
        eng.add_constraints([PairDistributionConstraint(experimentalData=np.loadtxt(data))])
        if groups == "-":
            eng.set_groups_as_atoms()
        else:
            eng.set_groups(
                [np.array(g, dtype=np.int32) for g in json.loads(Path(groups).read_text())]
            )
        eng.save()
        eng.run(numberOfSteps=10, saveFrequency=10**9)  # builds the histograms
        setup = time.perf_counter() - t0
        c0 = time.process_time()
        eng.run(numberOfSteps=int(n), saveFrequency=10**9)
        cpu = time.process_time() - c0
    print(
        json.dumps(
            {
                "fullrmc": fullrmc.__version__,
                "atoms": int(eng.numberOfAtoms),
                "setup_s": round(setup, 1),
                "moves_per_cpu_s": round(int(n) / cpu),
            }
        )
    )


if __name__ == "__main__":
    main()
