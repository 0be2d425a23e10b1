from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.totalscattering import read_total_scattering

from .conftest import shared

ZIF4 = "zif4-glass-xray-FQ-Dr"


def test_gudrun_int01_and_dofr() -> None:
    fq = read_total_scattering(shared(f"{ZIF4}/ZIF4glassa_31.int01"))
    # file: 936 data rows (header '#     1   936'), Q 0.6125 ... 23.98728 Å⁻¹
    assert fq.kind == "i" and fq.x_kind == "q_invA"
    assert fq.x.size == 936
    assert fq.x[0] == pytest.approx(0.6125) and fq.x[-1] == pytest.approx(23.98728)
    assert fq.metadata["temperature_C"] == 31.0
    assert fq.sigma is not None
    dr = read_total_scattering(shared(f"{ZIF4}/ZIF4glassa_589.dofr"))
    # file: r 0 ... 40 Å step 0.02 (2001 rows)
    assert dr.kind == "D" and dr.x.size == 2001 and dr.x[-1] == pytest.approx(40.0)
    assert dr.metadata["temperature_C"] == 589.0


def test_pyfai_xy_header() -> None:
    d = read_total_scattering(shared("total-scattering-glassure/Mg2SiO4_ambient.xy"))
    # header: '# Wavelength: 1.908e-11' (m) and '# q_A^-1 I'
    assert d.x_kind == "q_invA" and d.kind == "intensity"
    assert d.wavelength_A == pytest.approx(0.1908)
    assert d.x[0] == pytest.approx(1.235171111)


def test_chi_without_header_needs_the_unit() -> None:
    # x runs 3-25 with no label: Q in Å⁻¹ (as Glassure's tests read it) or 2θ alike
    with pytest.raises(InputFormatError, match="fits both Q and 2θ"):
        read_total_scattering(shared("total-scattering-glassure/Fe81S19.chi"))
    d = read_total_scattering(shared("total-scattering-glassure/Fe81S19.chi"), x_kind="q_invA")
    assert d.x_kind == "q_invA" and "x_assumed" not in d.metadata
    assert d.x.size == 2500 and d.x[0] == pytest.approx(3.0)


def test_diffpy_gr_headers() -> None:
    d = read_total_scattering(shared("pdf-diffpy-examples/ni-q27r60-xray.gr"))
    # header line 111: 'qmax=27.000000'
    assert d.kind == "G" and d.metadata["qmax_invA"] == pytest.approx(27.0)
    n = read_total_scattering(shared("pdf-diffpy-examples/nom-mno-neutron.gr"))
    assert n.metadata["qmax_invA"] == pytest.approx(31.414)
    assert n.metadata["qdamp_invA"] == pytest.approx(0.017659)
    iq = read_total_scattering(shared("pdf-diffpy-examples/ni.iq"))
    assert iq.kind == "intensity" and iq.x_kind == "q_invA"


def test_all_shared_files_read() -> None:
    for sub in (ZIF4, "total-scattering-glassure", "pdf-diffpy-examples"):
        folder = shared(sub)
        for p in folder.iterdir():
            if p.suffix in (".int01", ".dofr", ".xy", ".chi", ".gr", ".iq"):
                # the Fe81S19 .chi files have no header: Q in Å⁻¹ as Glassure's tests read them
                kw = {"x_kind": "q_invA"} if p.name.startswith("Fe81S19") else {}
                d = read_total_scattering(p, **kw)
                assert np.all(np.diff(d.x) > 0) and np.isfinite(d.y).all()


@pytest.mark.parametrize(
    "name",
    ["ZIF4glassa_31.int01", "ZIF4glassa_31.dofr"],
)
def test_garbled_and_truncated(tmp_path: Path, name: str) -> None:
    src = shared(f"{ZIF4}/{name}").read_text().splitlines()
    bad = [*src[:30], "   0.1E+01  garbage  0.0", *src[30:]]
    p = tmp_path / name
    p.write_text("\n".join(bad))
    with pytest.raises(InputFormatError) as err:
        read_total_scattering(p)
    assert err.value.line == 31 and name in str(err.value)
    # truncated mid-row: the last line has fewer columns
    cut = "\n".join(src[:200]) + "\n   0.3E+01"
    p.write_text(cut)
    with pytest.raises(InputFormatError, match="3 numeric columns"):
        read_total_scattering(p)
    p.write_text("# only a header\n")
    with pytest.raises(InputFormatError, match="at least 3 numeric rows"):
        read_total_scattering(p)


def test_bad_extension_and_xy_without_header(tmp_path: Path) -> None:
    p = tmp_path / "a.dat"
    p.write_text("1 2\n3 4\n5 6\n")
    with pytest.raises(InputFormatError, match=r"\.int01"):
        read_total_scattering(p)
    q = tmp_path / "a.xy"
    q.write_text("1 2\n3 4\n5 6\n")
    with pytest.raises(InputFormatError, match="a range this short fits both Q and 2θ"):
        read_total_scattering(q)
    r = tmp_path / "b.gr"
    r.write_text("1 2\n0.5 4\n5 6\n")
    with pytest.raises(InputFormatError, match="increasing"):
        read_total_scattering(r)
