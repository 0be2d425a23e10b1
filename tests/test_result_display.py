"""Short repr, Jupyter tables and ``.plot(ax=None)`` of results, on real files."""

from __future__ import annotations

import pytest

from mofglass.results import format_value


@pytest.fixture(scope="module")
def pmma_dsc(shared_data):
    from mofglass.thermal.analysis import analyse_dsc
    from mofglass.thermal.readers import read_thermogram

    f = shared_data / "macfp-pmma-dsc-tga-netzsch" / "FSRI_DSC_N2_10K_1.csv"
    trace = read_thermogram(f, exo_up=False)
    return trace, analyse_dsc(trace)


@pytest.fixture(scope="module")
def dsc(pmma_dsc):
    return pmma_dsc[1]


@pytest.fixture(scope="module")
def fused_silica(shared_data):
    from mofglass.mechanics.analysis import analyse_indentations
    from mofglass.mechanics.readers import read_indentations

    return analyse_indentations(
        read_indentations(shared_data / "nanoindentation-micromechanics" / "Example.xls")
    )


def test_dsc_repr_is_one_short_line_with_tg(dsc):
    text = repr(dsc)
    tg = next(s.glass for s in dsc.segments if s.glass is not None).midpoint_C
    assert "\n" not in text and len(text) <= 300
    assert text.startswith("DSCAnalysis(midpoint_C=") and str(tg) in text
    assert 105 < tg.value < 135  # PMMA: Tg about 105-125 °C (Polymer Handbook), midpoint here
    html = dsc._repr_html_()
    assert "<table>" in html and format_value(tg.value, tg.stderr) in html


def test_indentation_repr_and_plot_with_the_sd_band(fused_silica):
    import matplotlib.axes

    text = repr(fused_silica)
    er = fused_silica.reduced_modulus_GPa
    assert len(text) <= 300 and f"reduced_modulus_GPa={er}" in text
    assert abs(er.value - 69.6) / 69.6 < 0.05  # fused silica reference modulus
    ax = fused_silica.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["mean of 2 profiles", "indents", f"Er = {er}"]
    assert len(ax.collections) == 1  # the mean ± SD band of Figure 5
    mean_line = ax.lines[0]
    assert abs(float(mean_line.get_ydata()[-1]) - er.value) / er.value < 0.1


def test_plot_draws_on_a_given_axes_and_structure_and_spectrum(shared_data):
    from matplotlib.figure import Figure

    from mofglass.spectroscopy.analysis import analyse_spectrum, parse_band_spec
    from mofglass.spectroscopy.readers import read_spectrum
    from mofglass.structure.analysis import analyse_structure
    from mofglass.structure.cif import read_structure

    ax = Figure().add_subplot()
    spec = read_spectrum(shared_data / "zif62-ftir-jasco" / "ftir_test.csv")
    res = analyse_spectrum(spec, windows=[parse_band_spec("1000:950-1050")])
    assert res.plot(ax) is ax
    assert [line.get_label() for line in ax.lines][1] == "fit" and len(ax.lines) == 2
    st = analyse_structure(read_structure(shared_data / "cd-metal-cif" / "Zn.cif"))
    assert len(repr(st)) <= 300 and str(st.cell_volume_A3) in repr(st)
    ax = st.plot()
    assert ax.lines and {line.get_label() for line in ax.lines} <= {"intra", "inter"}


def test_dsc_and_tga_plot_from_their_thermogram(pmma_dsc, shared_data):
    from mofglass.thermal.analysis import analyse_tga
    from mofglass.thermal.readers import read_thermogram

    trace, dsc = pmma_dsc
    with pytest.raises(TypeError, match="pass the thermogram"):
        dsc.plot()
    ax = dsc.plot(trace=trace)
    assert ax.lines[0].get_label() == "1: heating"
    heat = ax.lines[0]
    assert len(heat.get_xdata()) == dsc.segments[0].segment.stop - dsc.segments[0].segment.start
    tg = read_thermogram(shared_data / "macfp-pmma-dsc-tga-netzsch" / "FSRI_TGA_N2_10K_1.csv")
    tga = analyse_tga(tg)
    ax = tga.plot(trace=tg)
    assert ax.lines[0].get_label() == "TG"
    assert ax.lines[1].get_xdata()[0] == tga.onset.decomposition_onset_C.value
