"""Registration of every technique's readers in :data:`mofglass.io.REGISTRY`.

Imported lazily by :func:`mofglass.io.readers` (the technique packages import
:mod:`mofglass.io.text`, so the registry must not import them at module level).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mofglass.io.registry import REGISTRY, ReaderSpec, register, text_head

__all__ = ["load_builtin"]

_LOADED = False


def _text_sniff(test: Any) -> Any:
    def sniff(head: bytes) -> bool:
        text = text_head(head)
        return bool(text) and bool(test(text))

    return sniff


def _pxrd() -> None:
    from mofglass.diffraction.readers import FORMATS

    for f in FORMATS.values():
        register_pattern_format(f)


def register_pattern_format(f: Any) -> None:
    """Register one :class:`mofglass.diffraction.readers.PatternFormat`."""
    register(
        ReaderSpec(
            name=f"pxrd/{f.name}",
            technique="pxrd",
            extensions=tuple(f.extensions),
            sniff=f.sniff,
            read=f.read,
            description=f.description,
            binary=f.name in ("brml", "rasx", "bruker_raw"),
        )
    )


def _spectroscopy() -> None:
    from mofglass.spectroscopy.readers import jasco, jcamp, text

    register(
        ReaderSpec(
            "spectroscopy/jcamp",
            "spectroscopy",
            (".jdx", ".dx", ".jcamp"),
            _text_sniff(lambda t: t.lstrip().startswith("##")),
            jcamp.read_jcamp,
            jcamp.parse_jcamp,
            "JCAMP-DX 4.24/5.01",
        )
    )
    register(
        ReaderSpec(
            "spectroscopy/jasco-csv",
            "spectroscopy",
            (".csv",),
            _text_sniff(
                lambda t: (
                    "XYDATA" in t.upper() and ("XUNITS" in t.upper() or "ORIGIN,JASCO" in t.upper())
                )
            ),
            jasco.read_jasco_csv,
            jasco.parse_jasco_csv,
            "JASCO Spectra Manager CSV",
        )
    )
    register(
        ReaderSpec(
            "spectroscopy/jws",
            "spectroscopy",
            (".jws", ".jrs"),
            lambda h: h.startswith((b"\xd0\xcf\x11\xe0", b"L~S ")),
            jasco.read_jws,
            None,
            "JASCO .jws (OLE2 compound file)",
            binary=True,
        )
    )
    register(
        ReaderSpec(
            "spectroscopy/topspin-raw",
            "spectroscopy",
            (".zip",),
            lambda h: b"acqus" in h and b"fid" in h,
            text.read_topspin_raw,
            None,
            "Bruker TopSpin raw experiment (refused: export the processed spectrum)",
            binary=True,
        )
    )
    register(
        ReaderSpec(
            "spectroscopy/text",
            "spectroscopy",
            (".txt", ".csv", ".dat", ".xy", ".asc"),
            _text_sniff(lambda t: True),
            text.read_text_spectrum,
            text.parse_two_column,
            "two-column text or TopSpin totxt",
        )
    )


def _thermal() -> None:
    from mofglass.thermal.readers import FORMATS, parse_thermogram, read_thermogram

    exts = {
        "netzsch": (".txt", ".csv"),
        "ta": (".txt",),
        "mettler": (".txt",),
        "setaram": (".txt",),
        "csv": (".csv", ".txt"),
    }
    for key, (test, _parser) in FORMATS.items():

        def read(path: Path, key: str = key) -> Any:
            return read_thermogram(path, key, require_mass=False)

        def parse(text: str, source: str, key: str = key) -> Any:
            return parse_thermogram(text, source, fmt=key, require_mass=False)

        register(
            ReaderSpec(
                f"thermal/{key}",
                "thermal",
                exts.get(key, (".txt",)),
                _text_sniff(test),
                read,
                parse,
                f"{key} thermal-analysis export",
            )
        )


def _mechanics() -> None:
    from mofglass.errors import InputFormatError
    from mofglass.mechanics.readers import FORMATS, parse_text, read_indentations, sniff_text

    def is_format(key: str) -> Any:
        def test(text: str) -> bool:
            try:
                return sniff_text(text) == key
            except InputFormatError:
                return False

        return test

    for key in FORMATS:

        def read(path: Path, key: str = key) -> Any:
            return read_indentations(path, fmt=key)

        def parse(text: str, source: str, key: str = key) -> Any:
            return parse_text(text, source=source, fmt=key)

        register(
            ReaderSpec(
                f"mechanics/{key}",
                "mechanics",
                (".hld",) if key == "hysitron-hld" else (".txt",),
                _text_sniff(is_format(key)),
                read,
                parse,
                f"{key} indentation export",
            )
        )
    register(
        ReaderSpec(
            "mechanics/agilent-xls",
            "mechanics",
            (".xls",),
            lambda h: h.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
            lambda p: read_indentations(p, fmt="agilent-xls"),
            None,
            "Agilent/KLA G200 workbook",
            binary=True,
        )
    )
    register(
        ReaderSpec(
            "mechanics/nexus-hdf5",
            "mechanics",
            (".hdf5", ".h5", ".nxs"),
            lambda h: h.startswith(b"\x89HDF\r\n\x1a\n"),
            lambda p: read_indentations(p, fmt="nexus-hdf5"),
            None,
            "NeXus/HDF5 indentation tests (NXentry/NXdata)",
            binary=True,
        )
    )


def _totalscattering() -> None:
    from mofglass.totalscattering import readers as ts

    specs = [
        ("gudrun", (".int01", ".dofr"), ts.read_gudrun, "GudrunX output"),
        ("pyfai-xy", (".xy",), ts.read_pyfai_xy, "pyFAI integrated I(Q)"),
        ("chi", (".chi",), ts.read_chi, "Fit2D chi"),
        ("diffpy", (".gr", ".iq"), ts.read_diffpy, "PDFgetX / diffpy G(r), I(Q)"),
    ]
    for key, exts, reader, desc in specs:
        register(
            ReaderSpec(
                f"totalscattering/{key}",
                "totalscattering",
                exts,
                _text_sniff(lambda t: True),
                reader,
                None,
                desc,
            )
        )


def _sorption() -> None:
    from mofglass.sorption.readers import read_isotherm

    specs: list[tuple[str, tuple[str, ...], Any, bool, str]] = [
        ("aif", (".aif", ".aif_tst"), _text_sniff(_is_aif), False, "Adsorption Information File"),
        (
            "pygaps-json",
            (".json",),
            _text_sniff(lambda t: t.lstrip().startswith("{") and '"adsorbate"' in t),
            False,
            "pyGAPS isotherm JSON",
        ),
        (
            "bel-dat",
            (".dat",),
            _text_sniff(lambda t: "Adsorptive:" in t and "Meas. Temp" in t),
            False,
            "MicrotracBEL BELSORP .DAT",
        ),
        (
            "bel-csv",
            (".csv",),
            _text_sniff(lambda t: t.startswith("File Name,") and "Standard volume" in t),
            False,
            "MicrotracBEL BELMaster .csv",
        ),
        (
            "quantachrome-txt",
            (".txt",),
            _text_sniff(lambda t: "quantachrome" in t.lower()),
            False,
            "Quantachrome ASiQwin raw analysis data",
        ),
        (
            "micromeritics-xls",
            (".xls",),
            lambda h: h.startswith(_OLE2),
            True,
            "Micromeritics .xls report",
        ),
    ]
    for key, exts, test, binary, desc in specs:

        def read(path: Path, key: str = key) -> Any:
            return read_isotherm(path, key)

        register(ReaderSpec(f"sorption/{key}", "sorption", exts, test, read, None, desc, binary))


def _is_aif(text: str) -> bool:
    """AIF: a CIF data block with the adsorption items (``_exptl_adsorptive``)."""
    return text.lstrip().startswith("data_") and "_exptl_adsorptive" in text


def _microscopy() -> None:
    from mofglass.microscopy.readers import read_micrograph

    specs: list[tuple[str, tuple[str, ...], Any, str]] = [
        (
            "digitalmicrograph",
            (".dm3", ".dm4"),
            lambda h: h.startswith((b"\x00\x00\x00\x03", b"\x00\x00\x00\x04")),
            "Gatan DigitalMicrograph .dm3/.dm4",
        ),
        ("tia-ser", (".ser",), lambda h: h.startswith(b"II\x97\x01"), "FEI TIA .ser"),
        ("tia-emi", (".emi",), lambda h: h.startswith(b"JK\x00\x02"), "FEI TIA .emi (+ .ser)"),
        ("emd", (".emd",), lambda h: h.startswith(b"\x89HDF\r\n\x1a\n"), "Velox / EMD (HDF5)"),
        ("tiff", (".tif", ".tiff"), lambda h: h[:4] in (b"II*\x00", b"MM\x00*"), "TIFF image"),
    ]
    for key, exts, test, desc in specs:
        register(ReaderSpec(f"tem/{key}", "tem", exts, test, read_micrograph, None, desc, True))


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load_builtin() -> None:
    """Register every technique's readers once (idempotent)."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for load in (
        _pxrd,
        _spectroscopy,
        _thermal,
        _mechanics,
        _totalscattering,
        _sorption,
        _microscopy,
    ):
        load()
    assert REGISTRY
