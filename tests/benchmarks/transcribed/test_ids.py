"""Check digits of VAT IDs and IBANs, checked against python-stdnum's implementations."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.at import uid as at_uid
from stdnum.ch import uid as ch_uid
from stdnum.de import vat as de_vat
from stdnum.iso7064 import mod_11_10

from benchmarks.suite.transcribed import ids
from benchmarks.suite.transcribed.pools import text

digits = st.lists(st.integers(0, 9), min_size=8, max_size=8)


@settings(max_examples=200)
@given(digits)
def test_german_check_digit_is_iso_7064_mod_11_10(body: list[int]) -> None:
    number = "".join(map(str, body))
    assert ids.mod_11_10(np.array([body]))[0] == int(mod_11_10.calc_check_digit(number))


@settings(max_examples=200)
@given(digits)
def test_austrian_and_swiss_check_digits_match_stdnum(body: list[int]) -> None:
    seven = "".join(map(str, body[:7]))
    assert ids.luhn_at(np.array([body[:7]]))[0] == int(at_uid.calc_check_digit("U" + seven))
    eight = "".join(map(str, body))
    assert ids.mod_11_ch(np.array([body]))[0] == int(ch_uid.calc_check_digit(eight))


def test_generated_identifiers_are_valid_and_corrupted_ones_mostly_not() -> None:
    rng = np.random.default_rng(0)
    country = text(rng.choice(["DE", "AT", "CH"], 3000))
    vat, iban = ids.vat_ids(rng, country), ids.ibans(rng, country)
    validators = {"DE": de_vat, "AT": at_uid, "CH": ch_uid}
    assert all(validators[c].is_valid(v) for c, v in zip(country, vat, strict=True))
    assert all(stdnum_iban.is_valid(v) for v in iban)
    hit = rng.random(3000) < 0.5
    bad_vat = ids.corrupt(vat, country, hit, rng, ids.VAT_LAYOUT)
    bad_iban = ids.corrupt(iban, country, hit, rng, ids.IBAN_LAYOUT)
    assert np.array_equal(bad_vat != vat, hit) and np.array_equal(bad_iban != iban, hit)
    still_valid = [
        validators[c].is_valid(v) for c, v in zip(country[hit], bad_vat[hit], strict=True)
    ]
    assert np.mean(still_valid) < 0.1
    assert np.mean([stdnum_iban.is_valid(v) for v in bad_iban[hit]]) < 0.02


def test_written_forms_keep_the_identifier() -> None:
    rng = np.random.default_rng(1)
    country = text(rng.choice(["DE", "AT", "CH"], 600))
    vat, iban = ids.vat_ids(rng, country), ids.ibans(rng, country)
    for style in (1, 2, 3):
        written = ids.format_vat(vat, country, np.full(600, style))
        assert (written != vat).all()
        assert all(
            ({"DE": de_vat, "AT": at_uid, "CH": ch_uid}[c]).is_valid(v)
            for c, v in zip(country, written, strict=True)
        )
        assert all(stdnum_iban.is_valid(v) for v in ids.format_iban(iban, np.full(600, style)))
    bare = ids.format_vat(vat, country, np.full(600, 4))
    german = country == "DE"
    assert all(de_vat.is_valid(v) for v in bare[german])  # the number without "DE"
    assert all(str(v).endswith(" MWST") for v in bare[country == "CH"])
