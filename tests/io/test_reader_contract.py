"""One contract for every registered reader (pybaselines style: one test, every method).

Empty, binary and truncated files must raise InputFormatError naming the file and a line, and
the file must be left untouched. A file cut at a line end between complete rows is a valid
shorter file; the truncated case therefore ends the file inside a row (text) or halves it
(binary). Real files of each format (../shared/data, see the folders'
SOURCE.txt) are the starting point of the truncated case and must read back through the registry.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

import mofglass.io as mio
from mofglass.errors import InputFormatError

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

#: a real file of each registered format (relative to the shared data folder)
EXAMPLES = {
    "pxrd/xrdml": "xrd-multiformat-datalab/CG20396_jdb12-1.xrdml",
    "pxrd/brml": "xrd-multiformat-datalab/TiOF.brml",
    "pxrd/rasx": "xrd-multiformat-datalab/JO_KL_16_ZF_3_60deg_0.02step_12degpermin_001.rasx",
    "pxrd/bruker_raw": "xrd-multiformat-datalab/TiO2.raw",
    "pxrd/gsas": "pxrd-11bm-gsas-fxye/11bmb_8716.fxye",
    "pxrd/riet7": "xrd-bruker-raw-uxd-xylib/PSI_DMC.dat",
    "pxrd/chi": "total-scattering-glassure/Fe81S19.chi",
    "pxrd/xy": "pxrd-henke-group-examples/sample-C_300_001_00000.xy",
    "spectroscopy/jcamp": "ftir-nmr-raman-jcamp-topspin/jtpolys.jdx",
    "spectroscopy/jasco-csv": "zif62-ftir-jasco/ftir_test.csv",
    "spectroscopy/text": "ftir-nmr-raman-jcamp-topspin/raman_example.txt",
    "thermal/netzsch": "sta-netzsch-ulfsri/DF_FILED_DES_STA_N2_10K_231028_R1.csv",
    "thermal/ta": "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt",
    "thermal/mettler": "tga-mettler-pmma/tga_dynamic_n2_dyn10_powder_1mg_r1.txt",
    "thermal/setaram": "tgdsc-setaram/sample_dsc_setaram.txt",
    "thermal/perkinelmer": "tga-multivendor-pytga/plastic_cracking_example.txt",
    "thermal/csv": "macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_10K_1.csv",
    "mechanics/hysitron-txt": "nanoindentation-micromechanics/RobinSteel0000LC.txt",
    "mechanics/hysitron-hld": "nanoindentation-micromechanics/Exp-50mN_0000.hld",
    "mechanics/fischerscope-txt": "nanoindentation-micromechanics/FS1.txt",
    "mechanics/agilent-xls": "nanoindentation-micromechanics/Example.xls",
    "mechanics/nexus-hdf5": "nanoindent-multivendor-micromechanics/N1_1.hdf5",
    "totalscattering/gudrun": "zif4-glass-xray-FQ-Dr/ZIF4glassa_103.int01",
    "totalscattering/pyfai-xy": "total-scattering-glassure/Mg2SiO4_ambient.xy",
    "totalscattering/chi": "total-scattering-glassure-more/Argon_1GPa.chi",
    "totalscattering/diffpy": "pdf-diffpy-examples/ni.iq",
    "sorption/aif": "isotherm-pygaps-json-aif/AC_Ar_77K.aif",
    "sorption/pygaps-json": "isotherm-pygaps-json-aif/NaY_N2_77K.json",
    "sorption/bel-dat": "isotherm-instrument-raw-aif-dut/DUT-67-N2_77K.DAT",
    "sorption/bel-csv": "isotherm-instrument-raw-aif-dut/RGE-343-DUT32-7dCO2_Nitrogen_BelMax_.csv",
    "sorption/quantachrome-txt": (
        "isotherm-instrument-raw-aif-dut/NK_DUT-6_LP_N2_114PKT__Raw_Analysis_Data_.txt"
    ),
    "sorption/micromeritics-xls": "isotherm-instrument-raw-aif-dut/Sample_C.xls",
    "tem/tia-ser": "tem-sto-ser-eels-dm3/16_STOimage_1.ser",
    "tem/tia-emi": "tem-sto-ser-eels-dm3/16_STOimage.emi",
}

SPECS = mio.readers()
IDS = [s.name for s in SPECS]


def _check(spec: mio.ReaderSpec, path: Path) -> InputFormatError:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InputFormatError) as info:
        spec.load(path)
    err = info.value
    assert path.name in str(err)
    assert err.line is not None, str(err)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return err


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_empty_file(spec: mio.ReaderSpec, tmp_path: Path) -> None:
    path = tmp_path / f"empty{spec.extensions[0]}"
    path.write_bytes(b"")
    _check(spec, path)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_binary_file(spec: mio.ReaderSpec, tmp_path: Path) -> None:
    path = tmp_path / f"noise{spec.extensions[0]}"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 3000, dtype=np.uint8).tobytes())
    _check(spec, path)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_truncated_real_file(spec: mio.ReaderSpec, tmp_path: Path) -> None:
    if spec.name not in EXAMPLES:
        pytest.skip(f"no real example file of {spec.name} in the shared data")
    real = DATA / EXAMPLES[spec.name]
    assert mio.sniff(real, technique=spec.technique).technique == spec.technique
    spec.load(real)  # the whole file reads
    path = tmp_path / real.name
    path.write_bytes(_truncate(real.read_bytes(), binary=spec.binary))
    _check(spec, path)


def _truncate(data: bytes, *, binary: bool) -> bytes:
    """A file cut short: binary formats lose their second half; text files end inside the
    middle line, right after its first field (a truncated row, or a header without data)."""
    if binary:
        return data[: len(data) // 2]
    starts = [0, *[i + 1 for i, b in enumerate(data) if b == 10][:-1]]
    mid = starts[len(starts) // 2]
    first_field = re.match(rb"\s*[^\s,;]+", data[mid:])
    assert first_field is not None
    return data[: mid + first_field.end()]
