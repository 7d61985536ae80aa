"""Cologne phonetics: published examples, per-letter codes, and invariants."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.match.phonetic import cologne, cologne_raw, cologne_series


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Müller-Lüdenscheidt", "65752682"),  # Wikipedia's worked example
        ("Wikipedia", "3412"),
        ("Breschnew", "17863"),
        ("Meier", "67"),
        ("Mayer", "67"),
        ("Maier", "67"),
        ("Schmidt", "862"),
        ("Schmitt", "862"),
        ("Müller", "657"),
        ("Mueller", "657"),
        ("Christoph", "47823"),  # initial C before H is 4; PH is 3
        ("Xaver", "4837"),  # X not after C/K/Q is 48
        ("Heinz", "068"),  # leading vowel keeps its 0
        ("Meier Bau", "67 1"),  # word by word
    ],
)
def test_known_codes(word: str, code: str) -> None:
    assert cologne(word) == code


@pytest.mark.parametrize(
    ("word", "raw"),
    [("Müller-Lüdenscheidt", "60550750206880022"), ("Wikipedia", "304010200")],
)
def test_raw_codes_before_collapsing(word: str, raw: str) -> None:
    assert cologne_raw(word) == raw


def test_series_maps_each_distinct_value_and_keeps_nulls() -> None:
    values = pd.Series(["Meier", None, "Mayer", "Meier", "123"], dtype="string")
    out = cologne_series(values)
    assert out.tolist()[0] == out.tolist()[2] == out.tolist()[3] == "67"
    assert out.isna().tolist() == [False, True, False, False, True]


@given(st.text(max_size=30))
def test_codes_are_digits_and_case_insensitive(text: str) -> None:
    code = cologne(text)
    assert set(code) <= set("0123456789 ")
    assert cologne(text.upper()) == cologne(text.lower()) or not text.isascii()
