"""The real-world corpus in tests/data/standardize/: one CSV per kind of value, one row per case.

Empty cells mean "no value" (None); booleans are written ``true``/``false``. Each CSV row is its
own test, named ``<file>:<line>``, so a failure points at the row to look at.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from dq.standardize.addresses import (
    clean_city,
    is_valid_postcode_value,
    normalize_country,
    normalize_postcode,
    parse_address_line,
    split_street,
    street_key,
)
from dq.standardize.companies import company_name_core, has_person_name, parse_legal_form
from dq.standardize.emails import analyze_email
from dq.standardize.identifiers import (
    compact_iban,
    compact_vat_id,
    is_valid_iban_value,
    is_valid_vat_id_value,
    normalize_website,
    parse_register_number,
    registrable_domain,
)
from dq.standardize.persons import split_person_name, standardize_person
from dq.standardize.phones import normalize_phone
from dq.standardize.text import clean_text, fold, is_placeholder_value
from tests.conftest import DATA

CORPUS = DATA / "standardize"


def _value(cell: str) -> Any:
    if cell == "":
        return None
    if cell in ("true", "false"):
        return cell == "true"
    return cell


def _cases(name: str) -> list[Any]:
    path = CORPUS / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        pytest.param(
            {k: (v if k.startswith("in") else _value(v)) for k, v in row.items()},
            id=f"{Path(name).stem}:{i + 2}",
        )
        for i, row in enumerate(rows)
    ]


def test_corpus_has_at_least_300_cases() -> None:
    total = sum(len(_cases(p.name)) for p in CORPUS.glob("*.csv") if p.name != "records_small.csv")
    assert total >= 300


@pytest.mark.parametrize("case", _cases("companies.csv"))
def test_companies(case: dict[str, Any]) -> None:
    match = parse_legal_form(case["input"])
    assert (match.form.code if match else None) == case["legal_form"]
    assert company_name_core(case["input"]) == case["name_core"]
    assert has_person_name(case["input"]) is case["personal_data_in_name"]


def _assert_person(person: Any, case: dict[str, Any]) -> None:
    parts = ("salutation", "gender", "title", "first_name", "last_name")
    assert tuple(getattr(person, p) for p in parts) == tuple(case[p] for p in parts)
    assert person.swapped is case["swapped"]


@pytest.mark.parametrize("case", _cases("person_names.csv"))
def test_person_names(case: dict[str, Any]) -> None:
    person = split_person_name(case["input"])
    _assert_person(person, case)


@pytest.mark.parametrize("case", _cases("person_fields.csv"))
def test_person_fields(case: dict[str, Any]) -> None:
    args = [case[k] or None for k in ("in_salutation", "in_title", "in_first_name", "in_last_name")]
    person = standardize_person(*args)
    _assert_person(person, case)


@pytest.mark.parametrize("case", _cases("streets.csv"))
def test_streets(case: dict[str, Any]) -> None:
    street, number = split_street(case["input"], case["country"])
    assert (street, number) == (case["street"], case["house_number"])
    assert street_key(street) == case["street_key"]


@pytest.mark.parametrize("case", _cases("postcodes.csv"))
def test_postcodes(case: dict[str, Any]) -> None:
    assert normalize_postcode(case["input"], case["country"]) == case["postcode"]
    assert is_valid_postcode_value(case["input"], case["country"]) is case["valid"]


@pytest.mark.parametrize("case", _cases("cities.csv"))
def test_cities(case: dict[str, Any]) -> None:
    assert clean_city(case["input"]) == case["city"]


@pytest.mark.parametrize("case", _cases("countries.csv"))
def test_countries(case: dict[str, Any]) -> None:
    assert normalize_country(case["input"]) == case["country"]


@pytest.mark.parametrize("case", _cases("address_lines.csv"))
def test_address_lines(case: dict[str, Any]) -> None:
    address = parse_address_line(case["input"])
    got = (address.street, address.house_number, address.postcode, address.city, address.country)
    want = (case["street"], case["house_number"], case["postcode"], case["city"], case["country"])
    assert got == want
    assert address.po_box is case["po_box"]


@pytest.mark.parametrize("case", _cases("phones.csv"))
def test_phones(case: dict[str, Any]) -> None:
    phone = normalize_phone(case["input"], case["country"])
    got = (phone.e164, phone.valid, phone.type, phone.extension)
    assert got == (case["e164"], case["valid"], case["type"], case["extension"])


@pytest.mark.parametrize("case", _cases("emails.csv"))
def test_emails(case: dict[str, Any]) -> None:
    info = analyze_email(case["input"])
    got = (info.email, info.valid, info.role, info.freemail, info.domain)
    assert got == (case["email"], case["valid"], case["role"], case["freemail"], case["domain"])


@pytest.mark.parametrize("case", _cases("vat_ids.csv"))
def test_vat_ids(case: dict[str, Any]) -> None:
    assert compact_vat_id(case["input"]) == case["compact"]
    assert is_valid_vat_id_value(case["input"]) is case["valid"]


@pytest.mark.parametrize("case", _cases("ibans.csv"))
def test_ibans(case: dict[str, Any]) -> None:
    assert compact_iban(case["input"]) == case["compact"]
    assert is_valid_iban_value(case["input"]) is case["valid"]


@pytest.mark.parametrize("case", _cases("register_numbers.csv"))
def test_register_numbers(case: dict[str, Any]) -> None:
    parsed = parse_register_number(case["input"], case["court_field"])
    assert (parsed is not None) is case["valid"]
    assert (parsed.formatted if parsed else None) == case["register_number"]
    assert (parsed.court if parsed else None) == case["court"]


@pytest.mark.parametrize("case", _cases("websites.csv"))
def test_websites(case: dict[str, Any]) -> None:
    assert normalize_website(case["input"]) == case["website"]
    assert registrable_domain(case["input"]) == case["domain"]


@pytest.mark.parametrize("case", _cases("text.csv"))
def test_text(case: dict[str, Any]) -> None:
    assert clean_text(case["input"]) == case["clean"]
    assert fold(case["input"]) == case["fold_plain"]
    assert fold(case["input"], "expanded") == case["fold_expanded"]


@pytest.mark.parametrize("case", _cases("placeholders.csv"))
def test_placeholders(case: dict[str, Any]) -> None:
    assert is_placeholder_value(case["input"]) is case["placeholder"]
