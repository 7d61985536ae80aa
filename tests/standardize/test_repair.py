"""Text repair before comparison: mojibake decoded back, OCR letters in postcodes read as digits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.standardize.addresses import normalize_postcode
from dq.standardize.identifiers import compact_iban, compact_vat_id
from dq.standardize.persons import name_case
from dq.standardize.text import clean_text, repair_mojibake


@pytest.mark.parametrize(
    ("value", "repaired"),
    [
        ("SchÃ¤fer", "Schäfer"),
        ("MÃ¼ller & SÃ¶hne", "Müller & Söhne"),
        ("GroÃŸe StraÃŸe", "Große Straße"),
        ("Ã„rzte", "Ärzte"),
        ("Ãœberlingen", "Überlingen"),
        ("Ã–lmÃ¼hle", "Ölmühle"),
        ("Ã©cole", "école"),
        ("Preis 5 â‚¬", "Preis 5 €"),
        ("a â€“ b", "a – b"),
        ("â€žHallo â€œWelt", "„Hallo “Welt"),
        ("ÃƒÂ¤", "ä"),  # encoded twice
        ("Müller SchÃ¤fer", "Müller Schäfer"),  # a correct umlaut next to a broken one
        # left alone: real text, or sequences that are no UTF-8 of a printable character
        ("São Paulo", "São Paulo"),
        ("SÃO PAULO", "SÃO PAULO"),
        ("Straße“", "Straße“"),
        ("Â\x80", "Â\x80"),
    ],
)
def test_mojibake_is_repaired(value: str, repaired: str) -> None:
    assert repair_mojibake(value) == repaired
    assert clean_text(value) == repaired


@pytest.mark.parametrize(
    ("value", "country", "normalised"),
    [
        ("23O48", "DE", "23048"),
        ("2304B", "DE", "23048"),
        ("l0115", "DE", "10115"),
        ("D-5O667", "DE", "50667"),
        ("8OO31", "DE", "8OO31"),  # two letters: not read as a postcode
        ("1O1O", "AT", "1O1O"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),  # letters belong to British postcodes
        ("1234 AB", "NL", "1234 AB"),
    ],
)
def test_one_ocr_letter_in_an_all_digit_postcode(value: str, country: str, normalised: str) -> None:
    assert normalize_postcode(value, country) == normalised


_MIXED = st.text(
    st.sampled_from(list("ÿŸaÃÂâÅãåä€ƒ‚„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\x80\x81\x8d\xa0¤¼¶©µ üß-./")),
    max_size=8,
)


@settings(max_examples=400, deadline=None)
@given(_MIXED)
def test_repair_stays_idempotent_after_case_changes_and_compaction(value: str) -> None:
    """Upper-casing or removing separators never creates a sequence a second pass repairs."""
    for func in (clean_text, compact_vat_id, compact_iban, name_case):
        once = func(value)
        assert func(once) == once
    for country in ("DE", "NL"):
        once = normalize_postcode(value, country)
        assert normalize_postcode(once, country) == once
