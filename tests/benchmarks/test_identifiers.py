"""Generated identifiers pass python-stdnum; damaged ones fail it."""

from __future__ import annotations

import numpy as np
import pytest
from stdnum import iban as std_iban
from stdnum.ch import uid as ch_uid
from stdnum.eu import vat as eu_vat

from benchmarks.suite.identifiers import corrupt_digits, iban, iban_valid, vat_ids, vat_valid

COUNTRIES = np.array(["DE", "AT", "CH"])


def _std_vat(value: str) -> bool:
    return ch_uid.is_valid(value) if value.startswith("CHE") else eu_vat.is_valid(value)


@pytest.fixture(scope="module")
def countries() -> np.ndarray:
    return np.random.default_rng(5).choice(COUNTRIES, 3000)


def test_vat_ids_are_valid_for_stdnum(countries: np.ndarray) -> None:
    values = vat_ids(np.random.default_rng(1), countries)
    assert all(_std_vat(v) for v in values)
    assert vat_valid(values).all()
    prefixes = {v[:3] if v.startswith(("ATU", "CHE")) else v[:2] for v in values}
    assert prefixes == {"DE", "ATU", "CHE"}


def test_ibans_are_valid_for_stdnum(countries: np.ndarray) -> None:
    values = iban(np.random.default_rng(2), countries)
    assert all(std_iban.is_valid(v) for v in values)
    assert iban_valid(values).all()
    lengths = {v[:2]: len(v) for v in values}
    assert lengths == {"DE": 22, "AT": 20, "CH": 21}


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("DE136695976", True),  # published example of a valid German VAT ID
        ("DE136695977", False),
        ("ATU13585627", True),
        ("ATU13585626", False),
        ("CHE100155212", True),
        ("CHE100155213", False),
        ("DEl36695976", False),
        ("DE13669597", False),
    ],
)
def test_vat_valid_on_known_numbers(value: str, valid: bool) -> None:
    assert _std_vat(value) is valid
    assert vat_valid(np.array([value]))[0] == valid


def test_damaged_identifiers_fail_their_check(countries: np.ndarray) -> None:
    rng = np.random.default_rng(3)
    vat = vat_ids(rng, countries)
    kinds = rng.integers(0, 3, len(vat))
    damaged = corrupt_digits(rng, list(vat), kinds, vat_valid)
    assert not any(_std_vat(v) for v in damaged)
    assert all(len(a) == len(b) and a != b for a, b in zip(vat, damaged, strict=True))
    ibans = iban(rng, countries)
    by_stdnum = lambda a: np.array([std_iban.is_valid(v) for v in a])  # noqa: E731
    damaged = corrupt_digits(rng, list(ibans), kinds, by_stdnum)
    assert not any(std_iban.is_valid(v) for v in damaged)


def test_damage_kinds() -> None:
    rng = np.random.default_rng(0)
    swapped = corrupt_digits(rng, ["DE123456789"], np.array([0]))[0]
    assert sorted(swapped) == sorted("DE123456789") and swapped != "DE123456789"
    ocr = corrupt_digits(rng, ["DE100000000"], np.array([2]))[0]
    assert "O" in ocr or "l" in ocr
    assert corrupt_digits(rng, ["n/a"], np.array([1])) == ["n/a"]
