"""Tidy and wide result tables, read back as DataFrames, on a study of real files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mofglass.errors import InputFormatError
from mofglass.results import ResultRow
from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import run_study, write_outputs
from mofglass.study.tables import TIDY_HEADER, read_results, tidy_records


def test_segments_split_and_roles():
    rows = [
        ResultRow("a", "seg3_tg_mid_C", 176.0, 0.5, "°C", "dsc", "m", "f.txt"),
        ResultRow("a", "tg_mid_C", 176.0, 0.5, "°C", "dsc", "m", "f.txt"),
        ResultRow("a", "n_bragg_peaks", 12.0, None, "", "pxrd", "m", "p.xy"),
    ]
    recs = tidy_records(rows)
    assert (recs[0]["quantity"], recs[0]["segment"], recs[0]["role"]) == ("tg_mid_C", 3, "detail")
    assert (recs[1]["segment"], recs[1]["role"]) == (None, "headline")
    assert recs[2]["role"] == "summary"


def test_a_study_of_real_files_pivots(shared_data: Path, tmp_path: Path):
    # real files: PMMA DSC at two rates (NETZSCH STA, MaCFP), nanoindentation on fused silica
    # (KLA G200), a MOF powder pattern (Riet7 .dat) -- several files per sample and technique
    pytest.importorskip("pandas")
    pmma = shared_data / "macfp-pmma-dsc-tga-netzsch"
    fs = shared_data / "nanoindentation-micromechanics" / "FS_Calibration.xls"
    (tmp_path / "study.toml").write_text(
        f"""[study]
title = "real files"

[[samples]]
id = "pmma"
phase = "glass"
  [[samples.dsc]]
  file = "{pmma / "FSRI_DSC_N2_10K_1.csv"}"
  mass = "5 mg"
  exo_up = false
  [[samples.dsc]]
  file = "{pmma / "FSRI_DSC_N2_20K_1.csv"}"
  mass = "5 mg"
  exo_up = false

[[samples]]
id = "silica"
phase = "glass"
  [[samples.nanoindentation]]
  file = "{fs}"
  poisson_ratio = 0.17
"""
    )
    res = run_study(load_manifest(tmp_path / "study.toml"))
    out = write_outputs([res], tmp_path / "out")
    header = next(csv.reader((out / "results.csv").open()))
    assert tuple(header) == TIDY_HEADER
    table = read_results(out)
    tidy = table.to_dataframe()
    key = ["sample_id", "quantity", "file", "segment"]
    assert not tidy.duplicated(subset=key).any()
    wide = table.to_dataframe(wide=True)
    assert list(wide["sample_id"]) == ["pmma", "silica"]
    # fused silica Er = 69.6 GPa (E 72 GPa, ν 0.17 under diamond); tolerance 3 %
    assert wide.set_index("sample_id").loc["silica", "reduced_modulus_GPa"] == pytest.approx(
        69.6, rel=0.03
    )
    wide_csv = list(csv.DictReader((out / "results_wide.csv").open()))
    assert [r["sample_id"] for r in wide_csv] == ["pmma", "silica"]
    pivot = tidy[tidy.role != "detail"].pivot_table(
        index="sample_id", columns="quantity", values="value", aggfunc="first"
    )
    assert "reduced_modulus_GPa" in pivot.columns
    pq = table.to_parquet(tmp_path / "r.parquet")
    assert pq.stat().st_size > 0


def test_read_results_errors(tmp_path: Path):
    with pytest.raises(InputFormatError, match=r"results\.json"):
        read_results(tmp_path)
    (tmp_path / "results.json").write_text("{not json")
    with pytest.raises(InputFormatError, match=r"results\.json"):
        read_results(tmp_path)
