"""Bad manifests give one-line errors naming the problem (and good ones validate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mofglass.errors import ManifestError
from mofglass.study.manifest import load_manifest, parse_manifest

GOOD = """
[study]
title = "t"

[[samples]]
id = "a"
label = "A"
formula = "Cd(im)2"
phase = "glass"

[[samples]]
id = "b"
phase = "crystal"
mixed_linker = {metal = "Cd", x = 0.25}
"""


def test_good_manifest(tmp_path: Path):
    p = tmp_path / "study.toml"
    p.write_text(GOOD)
    m = load_manifest(p)
    assert [s.id for s in m.samples] == ["a", "b"]
    info = m.samples[1].info()
    # Cd(im)1.75(bim)0.25 by hand: 112.414 + 1.75*67.071 + 0.25*117.131 = 259.071
    assert info.molar_mass_g_mol == pytest.approx(259.071, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "match", "line"),
    [
        (
            GOOD.replace('title = "t"', 'titel = "t"'),
            r"unknown key 'titel' in \[study\]; did you mean 'title'\?",
            3,
        ),
        (
            GOOD.replace('phase = "glass"', 'phase = "glass"\nformla = "x"'),
            "did you mean 'formula'",
            10,
        ),
        (GOOD.replace('id = "b"', 'id = "a"'), "duplicate sample id 'a'", 12),
        (GOOD.replace('phase = "glass"', 'phase = "glas"'), "phase", None),
        (GOOD.replace('formula = "Cd(im)2"', 'formula = "Cd(qq)2"'), "named linker", None),
        (GOOD.replace("[study]", "[study"), "TOML syntax error", 2),
        ("", "empty", None),
        ('[study]\ntitle = "t"\n', "no samples", None),
        (GOOD.replace('phase = "crystal"\n', ""), "missing required key 'phase'", None),
    ],
)
def test_bad_manifests(text: str, match: str, line: int | None):
    with pytest.raises(ManifestError, match=match) as info:
        parse_manifest(text, path="study.toml")
    assert "\n" not in str(info.value)
    if line is not None:
        assert info.value.line == line


def test_missing_and_empty_files_and_bad_units(tmp_path: Path):
    from tests.study.technique_for_tests import register_line_count

    register_line_count()
    base = GOOD + '\n  [[samples.linecount]]\n  file = "FILE"\n  mass = "MASS"\n'
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text("1\n2\n")
    p = tmp_path / "study.toml"
    p.write_text(base.replace("FILE", "nope.txt").replace("MASS", "1 mg"))
    with pytest.raises(ManifestError, match=r"'nope\.txt' does not exist"):
        load_manifest(p)
    p.write_text(base.replace("FILE", "empty.txt").replace("MASS", "1 mg"))
    with pytest.raises(ManifestError, match=r"'empty\.txt' is empty"):
        load_manifest(p)
    p.write_text(base.replace("FILE", "ok.txt").replace("MASS", "1 K"))
    with pytest.raises(ManifestError, match="expected a mass"):
        load_manifest(p)
    p.write_text(base.replace("FILE", "ok.txt").replace("MASS", "0.002 g"))
    m = load_manifest(p)
    (entry,) = m.entries["b"]
    assert entry.options["mass_mg"] == pytest.approx(2.0)
    assert entry.file == (tmp_path / "ok.txt").resolve()  # relative to the manifest
