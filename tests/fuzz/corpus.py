"""Real files of every kind, the command that reads each, and mutations that damage them.

The mutations are what users actually do to files (truncate, save as another encoding, paste
NaN, lose a column) plus blunt damage (random bytes). Each is a pure function of the bytes and a
seeded random generator, so a failing case is reproduced by its id alone.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@dataclass(frozen=True)
class Case:
    """One real file read by one command (``{file}`` marks where the file goes)."""

    command: tuple[str, ...]
    relpath: str

    @property
    def id(self) -> str:
        return f"{'-'.join(c for c in self.command if not c.startswith('{'))}:{Path(self.relpath).name}"


def _c(command: str, relpath: str) -> Case:
    return Case(tuple(command.split()), relpath)


# one or more real files per reader, reached through the command a user would type
CASES: list[Case] = [
    _c("structure {file}", "cd-metal-cif/Cd.cif"),
    _c("structure {file}", "zif8-zif67-ccdc-cifs/ZIF-67.cif"),
    _c("structure {file}", "pxrd-henke-group-examples/H2bdc.cif"),
    _c("structure {file}", "pdf-diffpy-examples/ni.cif"),
    _c("simulate xrd {file} --two-theta-max 40", "cd-metal-cif/Zn.cif"),
    _c("simulate pdf {file} --rmax 8", "cd-metal-cif/Cd.cif"),
    _c("simulate sq {file} --qmax 8", "cd-metal-cif/Co.cif"),
    _c("simulate pdf {file} --rmax 6", "zif62-widmer2019/ZIF-62-optimized.xyz"),
    _c("simulate pdf {file} --rmax 6", "zif4-reaxff-castel2022/ZIF-4_crystal_singlecell.data"),
    _c("dsc {file}", "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt"),
    _c("dsc {file} --exo-down", "macfp-pmma-sandia-sta/Sandia_DSC_Ar_10K_1.csv"),
    _c("dsc {file} --exo-down", "macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_10K_1.csv"),
    _c("dsc {file}", "tgdsc-setaram/sample_dsc_setaram.txt"),
    _c("dsc {file}", "sta-netzsch-ulfsri/DF_FILED_DES_STA_N2_10K_231028_R1.csv"),
    _c("dsc {file}", "cp-sapphire-setaram/sample.txt"),
    _c("tga {file}", "tga-mettler-pmma/tga_dynamic_n2_dyn10_powder_1mg_r1.txt"),
    _c("tga {file}", "tga-multivendor-pytga/TAInstruments_example_file.txt"),
    _c("tga {file}", "tga-mettler-pmma/tga_dynamic_n2_dyn20_powder_1mg_r1.txt"),
    _c("tga {file}", "macfp-pmma-dsc-tga-netzsch/FSRI_TGA_N2_10K_1.csv"),
    _c("tga {file}", "tga-multivendor-pytga/netzsch2_example_file.txt"),
    _c(
        "fragility {file} {data}/macfp-pmma-sandia-sta/Sandia_DSC_Ar_50K_1.csv --exo-down",
        "macfp-pmma-sandia-sta/Sandia_DSC_Ar_1K_1.csv",
    ),
    _c("pxrd {file}", "pxrd-henke-group-examples/sample-C_300_001_00000.xy"),
    _c("pxrd {file}", "pxrd-henke-group-examples/sample-B-F-0.20-dry.dat"),
    _c("pxrd {file}", "pxrd-henke-group-examples/sample-A-P4-cryst.brml"),
    _c("pxrd {file}", "xrd-bruker-raw-uxd-xylib/format1.raw"),
    _c("pxrd {file}", "xrd-bruker-raw-uxd-xylib/Cu3Au-1.raw"),
    _c("pxrd {file}", "pxrd-formats-nomad/XRD-918-16_10.xrdml"),
    _c("pxrd {file}", "pxrd-formats-nomad/TwoTheta_scan_powder.rasx"),
    _c("pxrd {file}", "pxrd-11bm-gsas-fxye/11bmb_8716.fxye"),
    _c("pxrd {file}", "xrd-multiformat-datalab/TiO2.raw"),
    _c("pdf {file}", "pdf-diffpy-examples/ni-q27r60-xray.gr"),
    _c("pdf {file} --formula Ni", "pdf-diffpy-examples/ni.iq"),
    _c("pdf {file}", "zif4-glass-xray-FQ-Dr/ZIF4glassa_31.int01"),
    _c("pdf {file}", "zif4-glass-xray-FQ-Dr/ZIF4glassa_31.dofr"),
    _c("pdf {file} --formula Mg2SiO4", "total-scattering-glassure/Mg2SiO4_ambient.xy"),
    _c("indent {file}", "nanoindentation-micromechanics/FS1.txt"),
    _c("indent {file}", "nanoindentation-micromechanics/RobinSteel0000LC.txt"),
    _c("indent {file}", "nanoindentation-micromechanics/Exp-50mN_0000.hld"),
    _c("bands {file} -b 1500:1400-1600", "zif62-ftir-jasco/ftir_test.csv"),
    _c("bands {file} -b 1500:1400-1600", "zif62-ftir-jasco/ftir_test.jws"),
    _c("bands {file} -b 1600:1550-1650", "ftir-nmr-raman-jcamp-topspin/jtpolys.jdx"),
    _c("bands {file} -b 1000:900-1100", "ftir-nmr-raman-jcamp-topspin/raman_example.txt"),
    _c("sorption {file}", "isotherm-pygaps-json-aif/UiO-66_Zr__N2_77K.json"),
    _c("sorption {file}", "isotherm-pygaps-json-aif/AC_Ar_77K.aif"),
    _c("sorption {file}", "isotherm-instrument-raw-aif-dut/DUT-67-N2_77K.DAT"),
    _c("tem {file}", "tem-sto-ser-eels-dm3/16_STOimage_1.ser"),
]

# more real files, run by ``python -m tests.fuzz.harness --all`` (not by the test suite, which
# must stay about a minute): other vendors, encodings and variants of the same readers
EXTRA_CASES: list[Case] = [
    _c("structure {file}", "raspa2-zif-cifs/ZIF-4.cif"),
    _c("structure {file}", "zif-structures-lewis2009/ABW_model.cif"),
    _c("structure {file}", "crystalnets-test-cifs/MOF-5.cif"),
    _c("structure {file}", "zif4-zni-widmer2019/ZIF-4-cp-II.cif"),
    _c("simulate xrd {file} --two-theta-max 30", "zif8-zif67-ccdc-cifs/ZIF-8.cif"),
    _c("simulate pdf {file} --rmax 6", "zif-glass-models-gaillac2020/ZIF4_15glass01.cif"),
    _c("dsc {file}", "netzsch-ngb-native-sta/Douglas_Fir_STA_10K_250730_R13.ngb-ss3"),
    _c("dsc {file}", "sta-netzsch-ulfsri/DF_FILED_VAL_STA_N2_10K_240211_R1.csv"),
    _c("pxrd {file}", "xrd-bruker-raw-uxd-xylib/BT86_.UXD"),
    _c("pxrd {file}", "xrd-bruker-raw-uxd-xylib/empyrean.xrdml"),
    _c("pxrd {file}", "xrd-pbso4-gsas-std-prm/PBSO4.XRA"),
    _c("pxrd {file}", "pxrd-formats-nomad/23-012-AG_2thomegascan_long.brml"),
    _c("pxrd {file}", "xrd-insitu-series-xrdml/Scan_C1.xrdml"),
    _c("pxrd {file}", "xrd-multiformat-datalab/TiOF.brml"),
    _c("pdf {file}", "pdf-diffpy-examples/C60.gr"),
    _c("pdf {file} --formula Ar", "total-scattering-glassure-more/Argon_1GPa.chi"),
    _c("indent {file}", "nanoindentation-micromechanics/multipleIndentations.zip"),
    _c("indent {file}", "nanoindentation-micromechanics/Example.xls"),
    _c("sorption {file}", "isotherm-pygaps-json-aif/MCM-41_N2_77K.json"),
    _c("sorption {file}", "isotherm-pygaps-json-aif/DMOF_C2H6_298K.aif"),
    _c(
        "sorption {file}",
        "isotherm-instrument-raw-aif-dut/NK_DUT-6_LP_N2_114PKT__Raw_Analysis_Data_.txt",
    ),
    _c(
        "sorption {file}",
        "isotherm-instrument-raw-aif-dut/RGE-343-DUT32-7dCO2_Nitrogen_BelMax_.csv",
    ),
    _c(
        "sorption {file}",
        "isotherm-instrument-raw-aif-dut/DUT-49-SKDM019_SCDEtOH_Act.150C_Ar_87K.DAT",
    ),
]

_NUM = re.compile(rb"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def _sub_numbers(
    data: bytes, rng: random.Random, fraction: float, repl: Callable[[bytes], bytes]
) -> bytes:
    def f(m: re.Match[bytes]) -> bytes:
        return repl(m.group(0)) if rng.random() < fraction else m.group(0)

    return _NUM.sub(f, data)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _data_lines(lines: list[bytes]) -> list[int]:
    return [i for i, ln in enumerate(lines) if len(_NUM.findall(ln)) >= 2]


def _swap_columns(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    for i in _data_lines(lines):
        nums = _NUM.findall(lines[i])
        a, b = nums[0], nums[1]
        lines[i] = lines[i].replace(a, b"\x00", 1).replace(b, a, 1).replace(b"\x00", b, 1)
    return b"".join(lines)


def _drop_last_column(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    for i in _data_lines(lines):
        m = list(_NUM.finditer(lines[i]))[-1]
        lines[i] = lines[i][: m.start()].rstrip(b" \t,;") + lines[i][m.end() :]
    return b"".join(lines)


def _shuffle(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    idx = _data_lines(lines)
    moved = [lines[i] for i in idx]
    rng.shuffle(moved)
    for i, ln in zip(idx, moved, strict=True):
        lines[i] = ln
    return b"".join(lines)


def _first_column_x10(data: bytes, rng: random.Random) -> bytes:
    """The x column in another unit (nm for Å, centidegrees, ms for s): every value x10."""
    lines = _lines(data)
    for i in _data_lines(lines):
        m = _NUM.search(lines[i])
        if m is not None:
            scaled = repr(float(m.group(0)) * 10).encode()
            lines[i] = lines[i][: m.start()] + scaled + lines[i][m.end() :]
    return b"".join(lines)


def _utf16(data: bytes, rng: random.Random) -> bytes:
    """Saved again as UTF-16 with a BOM (Windows 'Unicode' text)."""
    try:
        return data.decode("utf-8").encode("utf-16")
    except UnicodeDecodeError:
        return data  # binary or another encoding: left as it is


def _garbage(data: bytes, rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(min(len(data), 3000) or 100))


def _bad_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(max(1, len(b) // 500)):
        b[rng.randrange(len(b))] = rng.choice([0x00, 0xE9, 0xFF, 0x80])
    return bytes(b)


# name -> (mutation, damaging): a damaging mutation makes the file unusable or its numbers
# wrong, so it must be refused (exit 2) or flagged (exit 0 with a warning)
MUTATIONS: dict[str, tuple[Callable[[bytes, random.Random], bytes], bool]] = {
    "empty": (lambda d, r: b"", True),
    "garbage": (_garbage, True),
    "header_only": (lambda d, r: b"".join(_lines(d)[:12]), True),
    "nan": (lambda d, r: _sub_numbers(d, r, 0.1, lambda m: b"nan"), True),
    "qmark": (lambda d, r: _sub_numbers(d, r, 0.1, lambda m: b"?"), True),
    "inf": (lambda d, r: _sub_numbers(d, r, 0.05, lambda m: b"inf"), True),
    "huge": (lambda d, r: _sub_numbers(d, r, 0.05, lambda m: b"1e308"), True),
    "constant": (lambda d, r: _sub_numbers(d, r, 1.0, lambda m: b"1.0"), True),
    "drop_column": (_drop_last_column, True),
    "bad_bytes": (_bad_bytes, False),
    "truncate": (lambda d, r: d[: len(d) // 2], False),
    "negate": (lambda d, r: _sub_numbers(d, r, 1.0, lambda m: b"-" + m.lstrip(b"+-")), False),
    "scale": (
        lambda d, r: _sub_numbers(d, r, 1.0, lambda m: m + b"e3" if b"e" not in m.lower() else m),
        False,
    ),
    "swap_columns": (_swap_columns, False),
    "shuffle": (_shuffle, False),
    "duplicate": (lambda d, r: b"".join(ln + ln for ln in _lines(d)), False),
    "x10_first": (_first_column_x10, True),
    "utf16": (_utf16, False),
}


def mutate(data: bytes, mutation: str, seed: int) -> bytes:
    func, _ = MUTATIONS[mutation]
    return func(data, random.Random(seed))
