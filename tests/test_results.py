"""Measured values, concise uncertainty notation and result round trips."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.results import Measured, Result, format_value


@pytest.mark.parametrize(
    ("value", "stderr", "text"),
    [
        (47.3, 0.9, "47.3(9)"),  # paper: 47.3 ± 0.9 nm
        (1611.0, 2.0, "1611(2)"),  # paper: 1611(2) Å^3
        (1565.4, 0.2, "1565.4(2)"),
        (19.0, 0.6, "19.0(6)"),
        (0.16, 0.012, "0.160(12)"),  # IUCr rule of 19: leading 1 keeps two digits
        (839.0, 54.0, "840(50)"),
    ],
)
def test_concise_notation(value, stderr, text):
    assert format_value(value, stderr) == text


def test_measured_conversion_keeps_uncertainty_without_offset():
    m = Measured(175.0, 1.0, "°C").to("K")
    assert m.value == pytest.approx(448.15)
    assert m.stderr == pytest.approx(1.0)
    with pytest.raises(ValueError):
        Measured(1.0, -0.1, "K")


@dataclass(frozen=True)
class _Example(Result):
    onset_C: Measured
    peak_C: Measured
    curve: np.ndarray
    note: str = ""
    method = "synthetic example"


def test_result_json_round_trip_and_rows():
    r = _Example(Measured(450.1, 0.5, "°C"), Measured(455.0, None, "°C"), np.array([1.0, 2.0]), "x")
    text = json.dumps(r.to_dict())
    back = _Example.from_dict(json.loads(text))
    assert back.onset_C == r.onset_C and back.peak_C == r.peak_C
    np.testing.assert_array_equal(back.curve, r.curve)
    rows = r.rows(sample_id="s1", technique="dsc", source="a.txt")
    assert [(x.quantity, x.value, x.unit, x.method) for x in rows] == [
        ("onset_C", 450.1, "°C", "synthetic example"),
        ("peak_C", 455.0, "°C", "synthetic example"),
    ]


def test_input_format_error_message_and_pickle():
    import pickle

    e = InputFormatError("run.txt", line=12, expected="2 numeric columns", got="2theta;I")
    assert str(e) == "run.txt:12: expected 2 numeric columns, got '2theta;I'"
    assert str(pickle.loads(pickle.dumps(e))) == str(e)
