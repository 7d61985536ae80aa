"""Typed value parsers: decimal commas, dates, yes/no flags."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dq.sources.values import parse_bool, parse_date, parse_decimal


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1190,00", "24,95"], [1190.0, 24.95]),
        (["1.234,56", "1.234,56-"], [1234.56, -1234.56]),  # SAP trailing minus
        (["1,234.56", "3.5"], [1234.56, 3.5]),
        (["5950", "-12"], [5950.0, -12.0]),
        (["12,50 €", "EUR 3,00"], [12.5, 3.0]),
    ],
)
def test_parse_decimal(values: list[str], expected: list[float]) -> None:
    parsed, failed = parse_decimal(pd.Series(values))
    assert parsed.tolist() == expected
    assert not failed.any()


def test_unparseable_amounts_are_flagged_not_guessed() -> None:
    parsed, failed = parse_decimal(pd.Series(["12,5", "zwölf", "", None]))
    assert parsed.iloc[0] == 12.5
    assert math.isnan(parsed.iloc[1])
    assert failed.tolist() == [False, True, False, False]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-01-05", "2024-01-05"),
        ("05.01.2024", "2024-01-05"),
        ("05.01.24", "2024-01-05"),
        ("20240105", "2024-01-05"),
        ("2022-03-01 10:15", "2022-03-01"),
        ("2020-01-15T09:30:00.000Z", "2020-01-15"),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    parsed, failed = parse_date(pd.Series([text]))
    assert parsed.dt.strftime("%Y-%m-%d").iloc[0] == iso
    assert not failed.any()


def test_impossible_dates_fail() -> None:
    parsed, failed = parse_date(pd.Series(["31.02.2024", "2024-13-01"]))
    assert parsed.isna().all()
    assert failed.all()


def test_parse_bool() -> None:
    parsed, failed = parse_bool(pd.Series(["ja", "Nein", "x", "1", "vielleicht", None]))
    assert parsed.tolist()[:4] == [True, False, True, True]
    assert failed.tolist() == [False, False, False, False, True, False]


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_german_formatted_amounts_round_trip(value: object) -> None:
    number = float(value)  # type: ignore[arg-type]
    text = f"{abs(number):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    text = ("-" if number < 0 else "") + text
    parsed, failed = parse_decimal(pd.Series([text, "1,50"]))
    assert not failed.any()
    assert parsed.iloc[0] == pytest.approx(number)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2/23/26", "2026-02-23 00:00"),
        ("2/23/26 14:05", "2026-02-23 14:05"),
        ("12/1/2026 2:05 PM", "2026-12-01 14:05"),
        ("02/23/2026 14:05:09", "2026-02-23 14:05:09"),
    ],
)
def test_us_dates_from_crm_exports(text: str, expected: str) -> None:
    parsed, failed = parse_date(pd.Series([text], dtype="string"))
    assert parsed[0] == pd.Timestamp(expected)
    assert not failed[0]


def test_dates_repeat_and_fail_per_value() -> None:
    values = pd.Series(["01.02.2024", None, "", "gestern", "01.02.2024"], dtype="string")
    parsed, failed = parse_date(values)
    assert parsed.isna().tolist() == [False, True, True, True, False]
    assert failed.tolist() == [False, False, False, True, False]
