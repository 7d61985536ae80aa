"""name_case is a fixed point on letters whose capital is two letters (ß → SS)."""

from __future__ import annotations

import pytest

from dq.standardize.persons import name_case


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a-ß", "A-ß"), ("ßa", "ßa"), ("HANS-PETER VON MÜLLER", "Hans-Peter von Müller")],
)
def test_name_case_is_idempotent(value: str, expected: str) -> None:
    assert name_case(value) == expected
    assert name_case(expected) == expected
