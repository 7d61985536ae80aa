"""Column-wise text edits: each changes every value it is given, in the way its name says."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.suite.transcribed import textops
from benchmarks.suite.transcribed.pools import text

ROWS = ["qwertzuiopü", "asdfghjklöä", "yxcvbnm"]
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß -.&0123456789", min_size=2, max_size=30)


@settings(max_examples=100)
@given(st.lists(words, min_size=1, max_size=40), st.integers(0, 2**32 - 1))
def test_keyboard_typo_changes_every_value_by_one_slip(values: list[str], seed: int) -> None:
    before = text(values)
    after = textops.keyboard_typo(before, np.random.default_rng(seed), ROWS)
    assert (after != before).all()
    assert (np.abs(np.strings.str_len(after) - np.strings.str_len(before)) <= 1).all()


@settings(max_examples=100)
@given(
    st.lists(st.text(alphabet="0123456789", min_size=3, max_size=12), min_size=1, max_size=40),
    st.integers(0, 2**32 - 1),
)
def test_digit_typo_changes_every_number_and_keeps_digits(values: list[str], seed: int) -> None:
    before = text(values)
    after = textops.digit_typo(before, np.random.default_rng(seed))
    assert (after != before).all()
    assert all(str(v).isdigit() for v in after)


def test_replace_one_of_picks_an_applicable_pair() -> None:
    pairs = [("ei", "ai"), ("dt", "tt"), ("ß", "ss")]
    before = text(["Meier", "Schmidt", "Weiß", "Braun"])
    after = textops.replace_one_of(before, pairs, np.random.default_rng(0))
    assert after.tolist()[:2] == ["Maier", "Schmitt"]
    assert after[2] in {"Waiß", "Weiss"}
    assert after[3] == "Braun"  # nothing applies: unchanged
    rng = np.random.default_rng(1)
    all_of = textops.replace_one_of(text(["Robert-Koch-Straße"]), [("-", " ")], rng, count=-1)
    assert all_of[0] == "Robert Koch Straße"


def test_truncate_cuts_at_the_limit_and_drops_trailing_blanks() -> None:
    cut = textops.truncate(text(["Hauptstraße 12", "Kurz"]), np.array([12, 10]))
    assert cut.tolist() == ["Hauptstraße", "Kurz"]
