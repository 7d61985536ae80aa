"""Factorised columns: the Arrow path and the Python-object path give the same codes."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.match.columns import factorize_text

VALUES = st.lists(st.sampled_from(["Müller", " Müller", "müller", "", "  ", "Ärger", None]))


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
