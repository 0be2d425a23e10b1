"""Generate the bundled IZA framework-type table from Zn(im)2 models of zeolite nets.

Usage::

    python scripts/make_iza_table.py ../shared/data/zif-structures-lewis2009 \
        src/mofglass/data/nets/iza_nets.json

The IZA Structure Commission's framework definitions (T-atom coordinates per three-letter
code, https://europe.iza-structure.org/IZA-SC/) cannot be downloaded here (no network). What
is available offline are CIFs whose file names carry the code: the DFT-optimised Zn(im)2
models of zeolite nets of Lewis et al. (CrystEngComm 11 (2009) 2272), ``<CODE>_model.cif``.
For each, the metal-node net is computed with mofglass's own analysis and its Systre key
digest and coordination sequences are stored under the code. Any folder of
``<CODE>[_anything].cif`` files with a T (metal or Si/Al/P) node net can be used the same way.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from mofglass.structure import build_framework, read_structure
from mofglass.structure.systre import key_hash
from mofglass.structure.topology import net_invariants


def entry(path: Path) -> dict[str, object]:
    fw = build_framework(read_structure(path))
    comps = [c for c in fw.net.components() if c.dimension == 3]
    if not comps:
        raise ValueError(f"{path.name}: no 3-periodic net")
    inv = net_invariants(fw.net.to_component_basis(comps[0]))
    return {
        "h": key_hash(inv.key) if inv.key else None,
        "cs": [list(c) for c in inv.coordination_sequences],
        "source": path.name,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    nets = {}
    for path in sorted(args.folder.glob("*.cif")):
        m = re.fullmatch(r"([A-Z]{3})(?:_.*)?", path.stem)
        if not m:
            continue
        nets[m.group(1)] = entry(path)
        print(m.group(1), nets[m.group(1)]["cs"][0][:5])
    doc = {
        "source": (
            "IZA framework-type codes from the file names of the Zn(im)2 zeolite-net models of "
            "Lewis et al., CrystEngComm 11 (2009) 2272 (fxcoudert/citable-data); nets "
            "computed by mofglass (scripts/make_iza_table.py)"
        ),
        "nets": nets,
    }
    args.out.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
