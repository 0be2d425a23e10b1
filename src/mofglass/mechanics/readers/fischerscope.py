"""Helmut Fischer FischerScope (WIN-HCU) text export: many indents in one file.

The file starts with the application name (``FS1.hap<TAB>Name of the application``) and block
statistics; then each test begins with ``<name>.hap   dd.mm.yyyy  hh:mm:ss``, lists vendor
results (``EIT/(1-vs^2) [GPa]``, ``HIT [N/mm²]``, ``hmax [µm]``, ``Epsilon = 0.750``) and a
``F h t`` table: load in mN, depth in µm, time in s, with decimal commas (German locale).
"""

from __future__ import annotations

import re

from mofglass.errors import InputFormatError
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.readers._text import parse_table

__all__ = ["parse_fischerscope"]

_TEST_START = re.compile(r"^(\S+\.hap)\s+(\d\d\.\d\d\.\d{4})\s+(\d\d:\d\d:\d\d)")
_VENDOR = {
    "EIT/(1-vs^2)": "vendor_plane_strain_modulus_GPa",
    "HIT": "vendor_hardness_N_mm2",
    "hmax": "vendor_hmax_um",
    "Compliance": "vendor_compliance_um_N",
}


def parse_fischerscope(text: str, *, source: str = "<string>") -> list[Indentation]:
    """Parse every test of a FischerScope text export.

    Parameters
    ----------
    text : str
        File content (Latin-1 decoded).
    source : str
        File name for metadata and error messages.

    Returns
    -------
    list of Indentation
        One per test, depth converted from µm to nm; ``metadata`` carries the vendor's
        results for comparison (``vendor_plane_strain_modulus_GPa`` is E/(1-ν²)).

    Raises
    ------
    InputFormatError
        Not a FischerScope file, a test without an ``F h t`` table, or a garbled number.
    """
    lines = text.splitlines()
    if not lines or "Name of the application" not in lines[0]:
        raise InputFormatError(
            source,
            line=1,
            expected="'<name>.hap<TAB>Name of the application'",
            got=lines[0] if lines else "",
        )
    starts = [i for i, line in enumerate(lines) if _TEST_START.match(line)]
    if not starts:
        raise InputFormatError(
            source, line=len(lines), expected="a test header '<name>.hap  dd.mm.yyyy  hh:mm:ss'"
        )
    tests = []
    for k, first in enumerate(starts):
        last = starts[k + 1] if k + 1 < len(starts) else len(lines)
        meta: dict[str, object] = {"date": " ".join(lines[first].split()[1:3])}
        table = None
        for i in range(first + 1, last):
            fields = lines[i].strip().split("\t")
            name = fields[0].strip()
            if name in _VENDOR and len(fields) >= 3:
                try:
                    meta[_VENDOR[name]] = float(fields[2].strip().replace(",", "."))
                except ValueError:
                    pass  # "------" when the instrument gave no value
            elif "Epsilon =" in lines[i]:
                meta["epsilon"] = float(lines[i].split("=")[-1])
            elif [f.strip() for f in fields] == ["F", "h", "t"]:
                table = i + 1
                break
        if table is None:
            raise InputFormatError(
                source, line=first + 1, expected="an 'F h t' table in this test", got=lines[first]
            )
        n_rows = last - table
        while n_rows > 0 and not lines[table + n_rows - 1].strip():
            n_rows -= 1
        data = parse_table(
            lines, start=table, n_rows=n_rows, n_cols=3, source=source, decimal_comma=True
        )
        tests.append(
            Indentation(
                depth_nm=data[:, 1] * 1e3,
                load_mN=data[:, 0],
                time_s=data[:, 2],
                name=f"test {k + 1} ({meta['date']})",
                source=source,
                instrument="fischerscope-txt",
                metadata=meta,
            )
        )
    return tests
