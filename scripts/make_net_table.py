"""Generate the bundled topology reference table from RCSR Systre ``.cgd`` files.

Usage::

    python scripts/make_net_table.py ../shared/data/rcsr-nets \
        src/mofglass/data/nets/rcsr_nets.json.gz

For every 3-periodic net: the digest of its Systre canonical key, the number of interpenetrated
copies in the embedding, its distinct coordination sequences (10 shells) and vertex symbols, all
computed by :func:`mofglass.structure.rcsr.table_entry`. Nets whose key takes longer than
``--timeout`` seconds keep their sequences only (``h`` = null, with a note).
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import signal
import sys
import time
from pathlib import Path

from mofglass.structure.rcsr import read_cgd, table_entry


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _one(args: tuple[str, int, int]) -> tuple[str, dict | None, str]:  # type: ignore[type-arg]
    path, timeout, max_key_vertices = args
    out = []
    try:
        nets = read_cgd(path)
    except Exception as exc:
        return Path(path).stem, None, f"unreadable: {exc}"
    stem = Path(path).stem  # the RCSR symbol (pry.cgd says NAME pyr, a typo in the file)
    for net in nets[:1]:
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
        try:
            entry = table_entry(net, max_key_vertices=max_key_vertices)
            signal.alarm(0)
            return stem, entry, ""
        except _Timeout:
            signal.alarm(timeout)
            try:
                entry = table_entry(net, with_symbols=False, max_key_vertices=max_key_vertices)
            except _Timeout:
                signal.alarm(timeout)
                try:  # coordination sequences only: no key, no symbols
                    entry = table_entry(net, with_symbols=False, max_key_vertices=0)
                except _Timeout:
                    return stem, None, "timeout"
            except Exception as exc:
                return stem, None, f"failed: {exc}"
            finally:
                signal.alarm(0)
            return stem, entry, ""
        except Exception as exc:
            signal.alarm(0)
            out.append(str(exc))
            return stem, None, f"failed: {exc}"
    text = Path(path).read_text(errors="replace")
    if "CELL" not in text.upper():
        return Path(path).stem, None, "not a 3-periodic net: no CELL (a lower-dimensional GROUP)"
    return Path(path).stem, None, "no 3-periodic CRYSTAL block"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--max-key-vertices", type=int, default=1000)
    ap.add_argument("--only", nargs="*", default=None, help="net names to (re)compute")
    ap.add_argument("--reverse", action="store_true", help="process files in reverse order")
    ap.add_argument("--jsonl", type=Path, default=None, help="also append each entry here")
    ap.add_argument("--merge", nargs="*", type=Path, default=(), help="JSONL files to merge in")
    args = ap.parse_args(argv)
    # largest files first: the slow nets start early and the two workers stay balanced
    files = sorted(args.folder.glob("*.cgd"), key=lambda f: (-f.stat().st_size, f.name))
    if args.only:
        files = [f for f in files if f.stem in set(args.only)]
    if args.reverse:
        files = files[::-1]
    nets: dict[str, object] = {}
    for extra in args.merge:
        for line in extra.read_text().splitlines():
            rec = json.loads(line)
            nets[rec["name"]] = rec["entry"]
    files = [f for f in files if f.stem not in nets]
    t0 = time.time()
    skipped: dict[str, str] = {}
    with mp.Pool(args.jobs) as pool:
        for k, (name, entry, why) in enumerate(
            pool.imap_unordered(
                _one, [(str(f), args.timeout, args.max_key_vertices) for f in files], chunksize=1
            )
        ):
            if entry is None:
                skipped[name] = why
            else:
                nets[name] = entry
                if args.jsonl is not None:
                    with args.jsonl.open("a") as fh:
                        fh.write(json.dumps({"name": name, "entry": entry}) + "\n")
            if k % 200 == 0:
                print(f"{k}/{len(files)} {time.time() - t0:.0f} s", file=sys.stderr)
    import mofglass

    doc = {
        "source": "RCSR nets (O'Keeffe et al., Acc. Chem. Res. 41 (2008) 1782), Systre .cgd "
        "embeddings as shipped in pormake 0.2.3 (MIT)",
        "generator": "scripts/make_net_table.py, mofglass "
        + getattr(mofglass, "__version__", "?")
        + f" (timeout {args.timeout} s per net, key up to {args.max_key_vertices} vertices)",
        "n_shells": 10,
        "nets": dict(sorted(nets.items())),
        "skipped": dict(sorted(skipped.items())),
    }
    args.out.write_bytes(gzip.compress(json.dumps(doc, separators=(",", ":")).encode(), mtime=0))
    print(f"{len(nets)} nets, {len(skipped)} skipped, {time.time() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
