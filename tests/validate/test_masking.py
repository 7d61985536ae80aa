"""Masking personal values in issues."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.validate import mask_value, mask_values


@pytest.mark.parametrize(
    ("value", "masked"),
    [("Müller", "M****r"), ("Mustermann", "M********n"), ("abc", "***"), ("", ""), ("x", "*")],
)
def test_mask_value(value: str, masked: str) -> None:
    assert mask_value(value) == masked


def test_mask_values_keeps_nulls() -> None:
    out = mask_values(pd.Series(["Müller", None, "Müller"], dtype="string"))
    assert out.tolist()[0] == "M****r" and out.isna().tolist() == [False, True, False]


@given(st.text(min_size=4))
def test_masking_keeps_length_and_hides_the_middle(value: str) -> None:
    masked = mask_value(value)
    assert len(masked) == len(value)
    assert set(masked[1:-1]) == {"*"}


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ('=HYPERLINK("http://x.example","Klick")', "*" * 37 + ")"),
        ("@SUM(1+9)", "********)"),
        ("+cmd|' /C calc'!A0", "*****************0"),
        ("-2+3", "***3"),
        ("\tabc", "***c"),
    ],
)
def test_masked_value_never_starts_a_formula(value: str, masked: str) -> None:
    assert mask_value(value) == masked


@given(st.text(min_size=1))
def test_masked_value_never_starts_with_a_formula_trigger(value: str) -> None:
    assert mask_value(value)[:1] not in set("=+-@\t\r")


def test_a_date_of_birth_is_personal_data_and_masked() -> None:
    """Unlike the other dates (created_at …), a date of birth identifies a person."""
    from dq.validate.masking import NON_PERSONAL_COLUMNS

    assert "birth_date" not in NON_PERSONAL_COLUMNS
    assert "created_at" in NON_PERSONAL_COLUMNS
    assert mask_value("1975-11-09") == "1********9"
