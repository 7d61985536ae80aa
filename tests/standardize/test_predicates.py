"""The vectorised validity predicates: nullable booleans aligned to the input, NA where blank."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from dq.standardize import (
    is_known_legal_form,
    is_known_salutation,
    is_placeholder,
    is_valid_email,
    is_valid_iban,
    is_valid_phone,
    is_valid_postcode,
    is_valid_register_number,
    is_valid_vat_id,
)

Predicate = Callable[[pd.Series], pd.Series]


def _check(predicate: Predicate, value: str | None, expected: bool | None) -> None:
    series = pd.Series(["x-placeholder-row", value], index=[10, 20], dtype="string")
    result = predicate(series)
    assert str(result.dtype) == "boolean"
    assert list(result.index) == [10, 20]
    got = result.loc[20]
    if expected is None:
        assert got is pd.NA
    else:
        assert got is not pd.NA and bool(got) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("info@firma.de", True),
        ("Hans.Mueller@Firma.DE", True),
        (" Hans Müller <hans@firma.de> ", True),
        ("mailto:kontakt@example.com", True),
        ("anna+crm@sub.example.co.uk", True),
        ("info@müller.de", True),
        ("kaputt@", False),
        ("@firma.de", False),
        ("hans..mueller@firma.de", False),
        ("hans@firma", False),
        ("hans@firma.123", False),
        ("hans mueller at firma dot de", False),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_is_valid_email(value: str | None, expected: bool | None) -> None:
    _check(is_valid_email, value, expected)


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("0221/1234567", "DE", True),
        ("+49 (0)221 1234567", "DE", True),
        ("0049 221 1234567", "DE", True),
        ("0171 1234567", "DE", True),
        ("01 5123456", "AT", True),
        ("044 668 18 00", "CH", True),
        ("+41 44 668 18 00", "DE", True),
        ("12", "DE", False),
        ("0221", "DE", False),
        ("keine", "DE", False),
        ("", "DE", None),
        (None, "DE", None),
    ],
)
def test_is_valid_phone(value: str | None, country: str, expected: bool | None) -> None:
    _check(lambda s: is_valid_phone(s, country), value, expected)


def test_is_valid_phone_takes_country_per_row() -> None:
    values = pd.Series(["01 5123456", "01 5123456", None])
    result = is_valid_phone(values, pd.Series(["AT", "DE", "AT"]))
    assert result.tolist()[:2] == [True, False]
    assert result.iloc[2] is pd.NA


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DE136695976", True),
        ("DE 136 695 976", True),
        ("USt-IdNr.: DE136695976", True),
        ("ATU13585627", True),
        ("FR 40 303 265 045", True),
        ("NL004495445B01", True),
        ("CHE-100.155.212", True),
        ("CHE-100.155.212 MWST", True),
        ("DE136695977", False),
        ("CHE-100.155.213", False),
        ("136695976", False),
        ("DE123", False),
        ("", None),
        (None, None),
    ],
)
def test_is_valid_vat_id(value: str | None, expected: bool | None) -> None:
    _check(is_valid_vat_id, value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DE89 3704 0044 0532 0130 00", True),
        ("DE89370400440532013000", True),
        ("IBAN: AT61 1904 3002 3457 3201", True),
        ("CH93 0076 2011 6238 5295 7", True),
        ("DE89370400440532013001", False),
        ("DE8937040044053201300", False),
        ("1234", False),
        (" ", None),
        (None, None),
    ],
)
def test_is_valid_iban(value: str | None, expected: bool | None) -> None:
    _check(is_valid_iban, value, expected)


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("01067", "DE", True),
        ("1067", "DE", True),  # Excel dropped the leading zero; valid once padded
        ("D-50667", "DE", True),
        ("00123", "DE", False),
        ("5066", "AT", True),
        ("1010", "AT", True),
        ("10100", "AT", False),
        ("8001", "CH", True),
        ("1234 AB", "NL", True),
        ("1234ab", "NL", True),
        ("1234", "NL", False),
        ("ABCDE", "DE", False),
        ("", "DE", None),
        (None, "DE", None),
    ],
)
def test_is_valid_postcode(value: str | None, country: str, expected: bool | None) -> None:
    _check(lambda s: is_valid_postcode(s, country), value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("HRB 12345", True),
        ("Amtsgericht München HRB 73315", True),
        ("HRB 12345 B", True),
        ("AG Köln, HRB 1234", True),
        ("VR 4711", True),
        ("GnR 12", True),
        ("PR 345", True),
        ("HRA 2233 Aachen", True),
        ("Amtsgericht Gotham HRB 1", False),
        ("HRC 12345", False),
        ("12345", False),
        ("", None),
        (None, None),
    ],
)
def test_is_valid_register_number(value: str | None, expected: bool | None) -> None:
    _check(is_valid_register_number, value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("GmbH", True),
        ("G.m.b.H.", True),
        ("Gesellschaft mit beschränkter Haftung", True),
        ("UG (haftungsbeschränkt)", True),
        ("GmbH & Co. KG", True),
        ("e.K.", True),
        ("GMBH_CO_KG", True),
        ("gmbh", True),
        ("Müller GmbH", False),
        ("Konzern", False),
        ("", None),
        (None, None),
    ],
)
def test_is_known_legal_form(value: str | None, expected: bool | None) -> None:
    _check(is_known_legal_form, value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Herr", True),
        ("Herrn", True),
        ("Frau", True),
        ("Mrs.", True),
        ("Divers", True),
        ("Firma", True),
        ("Hallo", False),
        ("Dr.", False),
        ("", None),
        (None, None),
    ],
)
def test_is_known_salutation(value: str | None, expected: bool | None) -> None:
    _check(is_known_salutation, value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("n/a", True),
        ("N.A.", True),
        ("-", True),
        ("xxx", True),
        ("test", True),
        ("unbekannt", True),
        ("0000", True),
        ("k.A.", True),
        ("keine Angabe", True),
        ("???", True),
        ("Müller", False),
        ("Testo AG", False),
        ("12", False),
        ("", None),
        (None, None),
    ],
)
def test_is_placeholder(value: str | None, expected: bool | None) -> None:
    _check(is_placeholder, value, expected)


@pytest.mark.parametrize(
    "predicate",
    [
        is_valid_email,
        is_valid_vat_id,
        is_valid_iban,
        is_valid_register_number,
        is_known_legal_form,
        is_known_salutation,
        is_placeholder,
        is_valid_phone,
        is_valid_postcode,
    ],
)
def test_predicates_keep_index_and_length_on_repeated_values(predicate: Predicate) -> None:
    values = pd.Series(["a", None, "a", "", "b"] * 3, index=range(100, 115), dtype=object)
    result = predicate(values)
    assert result.index.equals(values.index)
    assert result.isna().tolist() == [False, True, False, True, False] * 3
