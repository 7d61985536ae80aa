"""Zero-copy cleaning of Arrow text columns gives the same values as the plain pandas way."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dq.sources.arrow_text import blank_to_null, stripped

text = st.one_of(st.none(), st.text(alphabet=" \t\u00a0ab\u2003ü", max_size=6))


def _arrow(values: list[str | None]) -> pd.Series:
    return pd.Series(values, dtype="string[pyarrow]")


def test_nothing_to_strip_returns_the_same_column() -> None:
    values = _arrow(["a", "b", None])
    assert stripped(values) is values


def test_blank_to_null_shares_the_string_buffer() -> None:
    values = _arrow(["Alpha", "", "Beta", None])
    out = blank_to_null(values)
    assert out.isna().tolist() == [False, True, False, True]
    before = values.array.__arrow_array__().chunks[0].buffers()[2]
    after = out.array.__arrow_array__().chunks[0].buffers()[2]
    assert before.address == after.address


@given(st.lists(text, max_size=20))
def test_same_values_as_pandas(values: list[str | None]) -> None:
    arrow = _arrow(values)
    expected = pd.Series(values, dtype="string").str.strip()
    assert stripped(arrow).tolist() == expected.tolist()
    cleaned = blank_to_null(stripped(arrow))
    assert cleaned.tolist() == expected.where(expected != "").tolist()
    assert blank_to_null(pd.Series(values, dtype="string")).isna().tolist() == [
        v is None or v == "" for v in values
    ]
