"""The report renders in a real headless browser (Debian's Chromium).

Install it with ``apt-get install --no-install-recommends chromium`` (``.ci/run`` does); without
it this test skips and says why. Chromium's ``--dump-dom`` gives the DOM after scripts and layout;
a screenshot proves the page paints.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import run_study, write_outputs
from tests.study.test_pipeline import _write_study

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no headless Chromium: apt-get install --no-install-recommends chromium",
    ),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows = 0
        self.images: list[str] = []
        self.in_summary = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "table" and a.get("id") == "summary-table":
            self.in_summary = True
        if tag == "tr" and "result-row" in (a.get("class") or "") and self.in_summary:
            self.rows += 1
        if tag == "img":
            self.images.append(a.get("src") or "")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "table":
            self.in_summary = False


def _chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_with_table_and_figures(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 3)
    out = write_outputs([run_study(load_manifest(manifest))], tmp_path / "out")
    url = (out / "report.html").as_uri()
    # a script in the page checks that every image decoded (naturalWidth > 0) once loaded
    probe = tmp_path / "probe.html"
    probe.write_text(
        (out / "report.html")
        .read_text()
        .replace(
            "</body>",
            "<script>window.addEventListener('load',()=>{const i=[...document.images];"
            "document.body.setAttribute('data-images-ok',"
            "String(i.length>0&&i.every(x=>x.complete&&x.naturalWidth>0)));"
            "document.body.setAttribute('data-rows',"
            "String(document.querySelectorAll('#summary-table tr.result-row').length));});</script></body>",
        )
    )
    dom = _chromium(["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = _Collect()
    parsed.feed(dom.stdout)
    # truth: 3 samples x (molar mass + n_lines + sum_per_mg) = 9 summary rows
    assert parsed.rows == 9
    assert parsed.images and all(src.startswith("data:image/png;base64,") for src in parsed.images)
    assert re.search(r'data-images-ok="true"', dom.stdout), "an embedded figure did not decode"
    assert 'data-rows="9"' in dom.stdout
    shot = tmp_path / "shot.png"
    r = _chromium(["--window-size=1200,1600", f"--screenshot={shot}", url], tmp_path)
    assert r.returncode == 0 and shot.stat().st_size > 10_000
