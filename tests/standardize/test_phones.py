"""The fast path of dq.standardize.phones agrees with phonenumbers.parse on random numbers."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from dq.standardize.phones import normalize_phone

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
