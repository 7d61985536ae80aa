"""The fast paths of dq.standardize.phones agree with phonenumbers.parse and the per-value path."""

from __future__ import annotations

import random

import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.standardize.phones import _slow_columns, normalize_phone, phone_columns

TYPE_NAMES = {
    0: "fixed_line", 1: "mobile", 2: "fixed_line_or_mobile", 3: "toll_free", 4: "premium_rate",
    5: "shared_cost", 6: "voip", 7: "personal_number", 8: "pager", 9: "uan", 10: "voicemail",
}  # fmt: skip


@pytest.mark.parametrize("region", ["DE", "AT", "CH", "FR", "IT", "NL", "PL", "GB", "US"])
def test_fast_path_matches_phonenumbers(region: str) -> None:
    rng = random.Random(region)
    code = phonenumbers.country_code_for_region(region)
    for _ in range(400):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 12)))
        value = f"+{code} {digits}"
        ours = normalize_phone(value, region)
        number = phonenumbers.parse(value, region)
        valid = phonenumbers.is_valid_number(number)
        assert ours.valid is valid, value
        if valid:
            assert ours.e164 == phonenumbers.format_number(number, 0), value
            assert ours.type == TYPE_NAMES[phonenumbers.number_type(number)], value


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("0221 1234567", "DE", "+492211234567"),
        ("01 5123456", "AT", "+4315123456"),
        ("044 668 18 00", "CH", "+41446681800"),
        ("06 1234 5678", "IT", None),  # Italy keeps its leading zero: slow path decides
        ("(650) 253-0000", "US", "+16502530000"),
    ],
)
def test_national_numbers_match_phonenumbers(value: str, region: str, e164: str | None) -> None:
    number = phonenumbers.parse(value, region)
    expected = (
        phonenumbers.format_number(number, 0) if phonenumbers.is_valid_number(number) else None
    )
    ours = normalize_phone(value, region)
    assert (ours.e164 if ours.valid else None) == expected
    if e164 is not None:
        assert ours.e164 == e164


PHONE_TEXT = st.text(alphabet="0123456789 +-./()#:,;ExtTelDurchwahlFaxMobil\t\u00a0٣", max_size=24)
REAL_NUMBERS = st.sampled_from(
    [
        "0221/1234567", "+49 (0)221 1234567", "0049 221 1234567", "+49 0221 1234567",
        "Tel.: 0221 1234567", "0221 1234567 Durchwahl 12", "0221-1234567 ext. 7",
        "+43 1 5123456", "01 5123456", "+41 44 668 18 00", "+1 650 253 0000", "+44 20 7946 0958",
        "0151 12345678", "0800 1234567", "+39 06 1234 5678", "+7 495 123-45-67", "12", "",
        "+999 123", "00", "+", "(0221) 1234567", "0221 1234567 # 12", "Fax 0221/99",
    ]
)  # fmt: skip


def _columns_both_ways(values: list[str | None], regions: list[str]) -> None:
    series = pd.Series(values, dtype="string")
    region = pd.Series(regions, dtype="string")
    fast = phone_columns(series, region)
    names = list(fast.columns)
    slow = _slow_columns(series, region, names, ["string", "boolean", "string", "string"])
    pd.testing.assert_frame_equal(fast, slow)


@settings(max_examples=150, deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.none() | PHONE_TEXT | REAL_NUMBERS,
            st.sampled_from(["DE", "AT", "CH", "IT", "US", "GB", "Deutschland", "XX"]),
        ),
        max_size=12,
    )
)
def test_column_path_equals_per_value_path(data: list[tuple[str | None, str]]) -> None:
    _columns_both_ways([v for v, _ in data], [r for _, r in data])


def test_column_path_equals_per_value_path_on_real_shapes() -> None:
    values = [
        "0221/1234567", "+49 (0)221 1234567", "Tel.: 0221 1234567", "0221 1234567 Durchwahl 12",
        "0221-1234567 ext. 7", "01 5123456", "+41 44 668 18 00", "+1 650 253 0000", "0049 221 12",
        "+49 0221 1234567", "Mobil: 0151 12345678", "0800 1234567", "+44 20 7946 0958", None, "",
        "  0221 1234567", "0221  1234567", "+999 123", "06 1234 5678", "T 0221 1234567 x 3",
    ]  # fmt: skip
    regions = ["DE"] * 5 + ["AT", "CH", "US", "DE", "DE", "DE", "DE", "GB"] + ["DE"] * 4
    regions += ["DE", "IT", "DE"]
    _columns_both_ways(values, regions)
    out = phone_columns(pd.Series(values, dtype="string"), pd.Series(regions, dtype="string"))
    assert out.loc[3, "phone"] == "+492211234567" and out.loc[3, "phone_extension"] == "12"
    assert out.loc[2, "phone_type"] == "fixed_line"
    assert out.loc[10, "phone_type"] == "mobile"
