"""Invariants over arbitrary input: no standardiser raises, and standardising twice equals once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from dq.standardize import addresses, companies, emails, identifiers, persons, phones, text
from dq.standardize.records import standardize_records

# Arbitrary Unicode, plus fragments that steer into the interesting branches.
FRAGMENTS = [
    "GmbH", "& Co. KG", "UG (haftungsbeschränkt)", "e.K.", "Herr", "Frau", "Dr.", "Prof.",
    "von", "zu", "Müller", "Hans", ",", "Str.", "5a", "12-14", "Postfach", "+49", "(0)", "0221",
    "@", "gmx.de", "www.", "https://", "HRB", "Amtsgericht", "DE", "CHE-", "IBAN", " ", ".",
    "-", "ß", "Ä", "\u00a0", "\u200b", "n/a",
]  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=8).map("".join),
)
COUNTRY = st.sampled_from(["DE", "AT", "CH", "NL", "FR", "GB", "US", "XX", "Deutschland", ""])

ELEMENT_FUNCTIONS: list[Callable[[str], Any]] = [
    text.clean_text,
    text.fold,
    lambda v: text.fold(v, "expanded"),
    text.is_placeholder_value,
    companies.parse_legal_form,
    companies.company_name_core,
    companies.has_person_name,
    companies.canonical_legal_form,
    persons.split_person_name,
    persons.normalize_title,
    persons.parse_salutation,
    persons.name_case,
    persons.is_known_first_name,
    addresses.split_street,
    addresses.street_key,
    addresses.normalize_street,
    addresses.normalize_house_number,
    addresses.normalize_postcode,
    addresses.is_valid_postcode_value,
    addresses.clean_city,
    addresses.normalize_country,
    addresses.parse_address_line,
    addresses.is_po_box_value,
    phones.normalize_phone,
    emails.normalize_email,
    emails.analyze_email,
    identifiers.compact_vat_id,
    identifiers.is_valid_vat_id_value,
    identifiers.compact_iban,
    identifiers.is_valid_iban_value,
    identifiers.parse_register_number,
    identifiers.normalize_register_court,
    identifiers.normalize_website,
    identifiers.registrable_domain,
]


@pytest.mark.parametrize("func", ELEMENT_FUNCTIONS, ids=lambda f: getattr(f, "__name__", "f"))
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(value=TEXT)
def test_no_standardiser_raises(func: Callable[[str], Any], value: str) -> None:
    func(value)


@settings(max_examples=60, deadline=None)
@given(value=TEXT, country=COUNTRY)
def test_country_aware_functions_do_not_raise(value: str, country: str) -> None:
    phones.normalize_phone(value, country)
    addresses.normalize_postcode(value, country)
    addresses.is_valid_postcode_value(value, country)
    addresses.split_street(value, country)
    addresses.parse_address_line(value, country)


@settings(max_examples=80, deadline=None)
@given(
    salutation=st.none() | TEXT, title=st.none() | TEXT, first=st.none() | TEXT,
    last=st.none() | TEXT,
)  # fmt: skip
def test_standardize_person_does_not_raise(
    salutation: str | None, title: str | None, first: str | None, last: str | None
) -> None:
    persons.standardize_person(salutation, title, first, last)


IDEMPOTENT: list[Callable[[str], str | None]] = [
    text.clean_text,
    text.fold,
    lambda v: text.fold(v, "expanded"),
    persons.name_case,
    addresses.clean_city,
    addresses.normalize_house_number,
    lambda v: addresses.normalize_postcode(v, "DE"),
    lambda v: addresses.normalize_postcode(v, "NL"),
    identifiers.compact_vat_id,
    identifiers.compact_iban,
    lambda v: emails.analyze_email(v).email if emails.analyze_email(v).valid else None,
]


def _twice_equals_once(func: Callable[[str], str | None], value: str) -> None:
    once = func(value)
    if once is not None:
        assert func(once) == once


@pytest.mark.parametrize("func", IDEMPOTENT, ids=lambda f: getattr(f, "__name__", "f"))
@settings(max_examples=60, deadline=None)
@given(value=TEXT)
def test_standardising_twice_equals_once(func: Callable[[str], str | None], value: str) -> None:
    _twice_equals_once(func, value)


@settings(max_examples=80, deadline=None)
@given(value=TEXT, country=st.sampled_from(["DE", "AT", "CH", "FR"]))
def test_phone_e164_is_a_fixed_point(value: str, country: str) -> None:
    first = phones.normalize_phone(value, country)
    if first.valid and first.e164:
        again = phones.normalize_phone(first.e164, country)
        assert (again.e164, again.valid, again.type) == (first.e164, True, first.type)


@settings(max_examples=80, deadline=None)
@given(value=TEXT)
def test_website_and_register_are_fixed_points(value: str) -> None:
    website = identifiers.normalize_website(value)
    if website is not None:
        assert identifiers.normalize_website(website) == website
    parsed = identifiers.parse_register_number(value)
    if parsed is not None:
        again = identifiers.parse_register_number(parsed.formatted, parsed.court)
        assert again == parsed


@settings(max_examples=80, deadline=None)
@given(value=TEXT, country=st.sampled_from(["DE", "CH"]))
def test_street_split_is_a_fixed_point(value: str, country: str) -> None:
    street, number = addresses.split_street(value, country)
    if number is not None:
        assert addresses.split_street(f"{street} {number}", country) == (street, number)
    assert addresses.normalize_street(street, country) == street


VALUES = {
    "company_name": ["Müller GmbH", "Bäckerei Schmidt e.K.", "Stadtwerke Köln", "n/a"],
    "legal_form": ["GmbH", "Gesellschaft mit beschränkter Haftung", "xyz"],
    "salutation": ["Herr", "Frau", "Mrs.", "Hallo"],
    "title": ["Dr.", "prof. dr.", "Geschäftsführer"],
    "first_name": ["Hans", "Müller", "Herr Hans", "Anna Maria"],
    "last_name": ["Müller", "Hans Müller", "von der Leyen", "Hans"],
    "street": ["Hauptstr. 5a", "Waidmannstraße 1, 22769 Hamburg.", "Postfach 1234", "Q 7, 24"],
    "house_number": ["5 A", "12 - 14"],
    "postcode": ["1067", "50667", "1234ab"],
    "city": ["Frankfurt a. M.", "KÖLN"],
    "country": ["Deutschland", "AT", "CH", "NL", "Atlantis"],
    "email": ["Info@Firma.DE", "hans@gmx.de", "kaputt@"],
    "phone": ["0221/1234567", "+49 (0)221 1234567", "12", "01 5123456"],
    "website": ["WWW.Firma.DE/", "keine"],
    "domain": ["firma.de"],
    "vat_id": ["DE 136 695 976", "DE123"],
    "iban": ["DE89 3704 0044 0532 0130 00"],
    "register_number": ["Amtsgericht München HRB 73315", "HRB 12345 B", "12345"],
    "register_court": ["Amtsgericht Köln", "Gotham"],
}


@st.composite
def record_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=6))
    data: dict[str, list[str | None]] = {"record_id": [f"t:{i}" for i in range(n)]}
    for column, choices in VALUES.items():
        cell = st.none() | st.sampled_from(choices) | TEXT
        data[column] = draw(st.lists(cell, min_size=n, max_size=n))
    return pd.DataFrame(data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=record_frames())
def test_standardize_records_twice_equals_once(frame: pd.DataFrame) -> None:
    from dq.schema import RECORD_COLUMNS

    note(repr(frame.to_dict("records")))  # the repr above truncates the columns
    once = standardize_records(frame).records
    twice = standardize_records(once[list(RECORD_COLUMNS)]).records
    columns = [c for c in RECORD_COLUMNS if c not in {"employees", "source_row"}]
    pd.testing.assert_frame_equal(once[columns], twice[columns])
    assert len(once) == len(frame)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.none() | TEXT | st.sampled_from(["n/a", "xxx", "&", "x x", "ÄÄ"])))
def test_placeholder_mask_matches_the_element_function(values: list[str | None]) -> None:
    mask = text.placeholder_mask(pd.Series(values, dtype=object))
    expected = [v is not None and text.is_placeholder_value(v) for v in values]
    assert mask.tolist() == expected


@settings(max_examples=80, deadline=None)
@given(value=TEXT)
def test_table_fold_matches_unicode_fold(value: str) -> None:
    for variant in ("plain", "expanded"):
        slow = text._NON_WORD.sub(" ", text._fold_slow(value, variant)).strip()
        assert text.fold(value, variant) == slow


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.none()
        | TEXT
        | st.text(alphabet=" a\u00e4\u0308\u00a0\u200b\u2028\t\u3000\ufeffß\u1e9e", max_size=8)
    )
)
def test_clean_text_series_matches_clean_text(values: list[str | None]) -> None:
    got = text.clean_text_series(pd.Series(values, dtype=object))
    expected = [None if v is None else (text.clean_text(v) or None) for v in values]
    assert [None if v is pd.NA else v for v in got.tolist()] == expected
