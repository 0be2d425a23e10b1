"""Curve files a user takes to other programs: PDFgetX3-style .gr/.sq/.fq, CSV and a figure.

:func:`write_reduction` writes, for one reduced file, ``<stem>.gr`` (the real-space function,
its ``#L`` label naming the convention: G(r) or Keen's D(r)), ``<stem>.fq`` (F(Q) = Q[S - 1])
and ``<stem>.sq`` (S(Q)) when the input was reciprocal-space, ``<stem>.csv`` (every curve, r
and Q columns) and ``<stem>.png`` (the stacked figure). Nothing existing is overwritten.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.totalscattering.analysis import PDFSummary
from mofglass.totalscattering.pdf_files import write_pdfgetx3

__all__ = ["write_columns", "write_reduction"]


def write_reduction(
    summary: PDFSummary,
    out_dir: str | Path,
    stem: str,
    *,
    metadata: dict[str, Any] | None = None,
    figure: bool = True,
) -> list[Path]:
    """Write the curves of one :class:`PDFSummary` into ``out_dir``; return the paths.

    Parameters
    ----------
    summary : PDFSummary
        The reduced file.
    out_dir : str or Path
        Folder (created if missing); no existing file is overwritten.
    stem : str
        File name stem of ``<stem>.gr``, ``.fq``, ``.sq``, ``.csv``, ``.png``.
    metadata : dict, optional
        Header entries (source, temperature, composition); non-scalars are dropped.
    figure : bool
        Also draw ``<stem>.png`` (the study draws its own figures and passes False).

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = {k: v for k, v in (metadata or {}).items() if isinstance(v, str | int | float)}
    if summary.qmax_invA:
        meta["qmax"] = summary.qmax_invA
    meta["lorch"] = str(summary.lorch)
    exts = (".gr", ".fq", ".sq", ".csv", ".png") if figure else (".gr", ".fq", ".sq", ".csv")
    targets = [out / f"{stem}{ext}" for ext in exts]
    clash = [p for p in targets if p.exists()]
    if clash:
        raise InputFormatError(
            clash[0], expected="a new file (mofglass never overwrites)", got="exists"
        )
    written = [
        write_pdfgetx3(targets[0], summary.r_A, summary.pdf, kind=summary.pdf_kind, metadata=meta)
    ]
    rows: dict[str, np.ndarray] = {
        "r_A": np.asarray(summary.r_A),
        f"{summary.pdf_kind}_r": np.asarray(summary.pdf),
    }
    if summary.q_invA is not None and summary.fq is not None:
        q, fq = np.asarray(summary.q_invA), np.asarray(summary.fq)
        keep = q > 0
        written.append(write_pdfgetx3(targets[1], q, fq, kind="F", metadata=meta))
        written.append(
            write_pdfgetx3(targets[2], q[keep], 1.0 + fq[keep] / q[keep], kind="S", metadata=meta)
        )
        rows.update({"Q_invA": q, "F_Q_invA": fq})
    n = max(v.size for v in rows.values())
    with targets[3].open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(rows))
        for i in range(n):
            w.writerow(["" if i >= v.size else f"{v[i]:.8g}" for v in rows.values()])
    written.append(targets[3])
    if not figure:
        return written
    from mofglass.plotting.totalscattering import stacked_figure

    curve = {"label": stem, "r_A": summary.r_A, "pdf": summary.pdf, "pdf_kind": summary.pdf_kind}
    if summary.q_invA is not None:
        curve.update(q_invA=list(summary.q_invA), fq=list(summary.fq))  # type: ignore[arg-type]
    fig = stacked_figure([curve], title=stem)
    fig.savefig(targets[4], dpi=150)
    written.append(targets[4])
    return written


def write_columns(path: str | Path, payload: dict[str, Any]) -> Path:
    """Write a simulated curve as columns, the kind chosen by the file extension.

    ``.gr`` G(r), ``.sq`` S(Q), ``.fq`` F(Q) (PDFgetX3 headers); ``.xy`` / ``.dat`` the powder
    profile (2θ, intensity) or, without one, the first curve present.
    """
    p = Path(path)
    ext = p.suffix.lower()
    meta = {"source": str(payload.get("source", ""))}
    if ext == ".gr" and "r_A" in payload:
        return write_pdfgetx3(p, payload["r_A"], payload["G"], kind="G", metadata=meta)
    if ext in (".sq", ".fq") and "q_invA" in payload:
        kind = "S" if ext == ".sq" else "F"
        return write_pdfgetx3(p, payload["q_invA"], payload[kind], kind=kind, metadata=meta)
    if ext in (".xy", ".dat"):
        if p.exists():
            raise InputFormatError(
                p, expected="a new file (mofglass never overwrites)", got="exists"
            )
        if "profile" in payload:
            x, y, head = (
                payload["profile"]["two_theta_deg"],
                payload["profile"]["intensity"],
                "2theta_deg intensity",
            )
        elif "r_A" in payload:
            x, y, head = payload["r_A"], payload["G"], "r_A G_invA2"
        else:
            x, y, head = payload["q_invA"], payload["S"], "Q_invA S"
        np.savetxt(p, np.column_stack([x, y]), header=f"{meta['source']}\n{head}", fmt="%.8g")
        return p
    raise InputFormatError(p, expected="a .gr for pdf, .sq/.fq for sq, .xy/.dat for any", got=ext)
