"""Label the reflection families of the real CIFs with pymatgen (the peer) and store them.

Run from the repository root (needs pymatgen, the ``peers`` extra, and ../shared/data)::

    python tests/diffraction/reference/make_pymatgen_hkl.py

For every CIF of the folders below, pymatgen's ``XRDCalculator("MoKa1")`` lists the peaks
with d >= d_min (d_min = max(1 Å, longest cell edge / 6)); each peak keeps its d (Å), 2θ bin and
pymatgen's families: the lexicographically largest member and the multiplicity
(``get_unique_families``; hexagonal Miller-Bravais (h k i l) written back as (h k l)). It
writes ``pymatgen_hkl.json`` next to this script, compared in ``test_reflection_labels.py``.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2].parent / "shared" / "data"
FOLDERS = (
    "raspa2-zif-cifs",
    "zif8-zif67-ccdc-cifs",
    "zif-structures-lewis2009",
    "crystalnets-test-cifs",
    "cd-metal-cif",
)


def d_min_for(lattice_abc: tuple[float, float, float]) -> float:
    """Smallest d (Å) compared for a cell: 1 Å or a sixth of its longest edge."""
    return max(1.0, max(lattice_abc) / 6)


def main() -> None:
    """Write the peer's labels and multiplicities of every CIF."""
    import pymatgen.core
    from pymatgen.analysis.diffraction.xrd import XRDCalculator

    warnings.simplefilter("ignore")
    calc = XRDCalculator("MoKa1")
    step = XRDCalculator.TWO_THETA_TOL  # the peer's 2θ bin: a peak is round(2θ / step)
    files: dict[str, object] = {}
    for folder in FOLDERS:
        for cif in sorted((DATA / folder).glob("*.cif")):
            key = f"{folder}/{cif.name}"
            try:
                s = pymatgen.core.Structure.from_file(str(cif))
            except Exception as exc:  # recorded; the test skips the file
                files[key] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
                continue
            d_min = d_min_for(s.lattice.abc)
            tt_max = 2 * math.degrees(math.asin(calc.wavelength / (2 * d_min)))
            pat = calc.get_pattern(s, scaled=False, two_theta_range=(0, tt_max))
            peaks = [
                [
                    round(d, 7),
                    round(tt / step),
                    [[[*f["hkl"][:2], f["hkl"][-1]], f["multiplicity"]] for f in fams],
                ]
                for d, tt, fams in zip(pat.d_hkls, pat.x, pat.hkls, strict=True)
            ]
            hexagonal = bool(s.lattice.is_hexagonal())  # pymatgen's Miller-Bravais switch
            files[key] = {"d_min_A": d_min, "hexagonal": hexagonal, "peaks": peaks}
            print(key, len(peaks), file=sys.stderr)
    out = {
        "peer": f"pymatgen {pymatgen.core.__version__}",
        "command": "python tests/diffraction/reference/make_pymatgen_hkl.py",
        "calculator": 'XRDCalculator("MoKa1").get_pattern(scaled=False)',
        "wavelength_A": calc.wavelength,
        "two_theta_bin_deg": XRDCalculator.TWO_THETA_TOL,
        "files": files,
    }
    (HERE / "pymatgen_hkl.json").write_text(json.dumps(out, separators=(",", ":")))


if __name__ == "__main__":
    main()
