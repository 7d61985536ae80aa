"""Text defects: each does what its name says and nothing more."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from benchmarks.suite import noise


def test_mojibake_is_utf8_read_as_windows_1252() -> None:
    assert noise.mojibake(["Schäfer", "Straße", "Müller"]) == ["SchÃ¤fer", "StraÃŸe", "MÃ¼ller"]
    assert noise.mojibake(["plain"]) == ["plain"]


def test_transliterate_and_upper() -> None:
    assert noise.transliterate(["Müller Großhandel"]) == ["Mueller Grosshandel"]
    assert noise.upper_ascii(["Bäckerei Groß e.K."]) == ["BAECKEREI GROSS E.K."]


def test_ocr_confuses_digits_and_letters() -> None:
    rng = np.random.default_rng(1)
    out = noise.ocr(rng, ["23048"] * 20)
    assert all(len(v) == 5 for v in out)
    assert {"23O48", "23B48", "23O4B"} & set(out)
    assert noise.ocr(rng, ["abc"]) == ["abc"]


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß ", min_size=0, max_size=30),
    st.integers(0, 2**32 - 1),
)
def test_typo_is_one_edit(value: str, seed: int) -> None:
    out = noise.typo(np.random.default_rng(seed), [value])[0]
    assert DamerauLevenshtein.distance(value, out) <= 1
