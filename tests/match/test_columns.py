"""Factorised columns: the Arrow path and the Python-object path give the same codes."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.match.columns import factorize_text

VALUES = st.lists(st.sampled_from(["Müller", " Müller", "müller", "", "  ", "Ärger", None]))
# every kind of space Python's str.strip() strips, and look-alikes it keeps (zero-width space)
SPACES = "\t\n\x0b\x0c\r\x1c\x1f \x85\xa0\u1680\u2007\u2028\u202f\u3000\u200b"
TEXT = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(SPACES + "aÄ-"), max_size=5)))


@settings(max_examples=50, deadline=None)
@given(VALUES)
def test_arrow_and_object_strings_factorise_alike(values: list[str | None]) -> None:
    results = [
        factorize_text(pd.Series(values, dtype=dtype))
        for dtype in ("string[pyarrow]", "string[python]", object)
    ]
    for codes, uniques in results[1:]:
        assert codes.tolist() == results[0][0].tolist()
        assert uniques.tolist() == results[0][1].tolist()


def test_blanks_and_nulls_have_no_code_and_values_are_stripped() -> None:
    codes, uniques = factorize_text(
        pd.Series(["a ", None, "b", "a", "", " "], dtype="string[pyarrow]")
    )
    assert codes.tolist() == [0, -1, 1, 0, -1, -1]
    assert uniques.tolist() == ["a", "b"]


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_arrow_text_is_stripped_as_python_strips(values: list[str | None]) -> None:
    codes, uniques = factorize_text(pd.Series(values, dtype="string[pyarrow]"))
    expected = [None if v is None or not v.strip() else v.strip() for v in values]
    assert [None if c < 0 else uniques[c] for c in codes] == expected
    assert uniques.tolist() == list(dict.fromkeys(v for v in expected if v is not None))
