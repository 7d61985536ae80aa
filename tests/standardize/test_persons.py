"""name_case is a fixed point on letters whose capital is two letters (ß → SS)."""

from __future__ import annotations

import pytest

from dq.standardize.persons import name_case, standardize_person


@pytest.mark.parametrize(
    ("value", "expected"),
    [("a-ß", "A-ß"), ("ßa", "ßa"), ("HANS-PETER VON MÜLLER", "Hans-Peter von Müller")],
)
def test_name_case_is_idempotent(value: str, expected: str) -> None:
    assert name_case(value) == expected
    assert name_case(expected) == expected


@pytest.mark.parametrize(
    "value", ["Hans Prof.Müller", "GmbHGmbH\xa0Prof.GmbHGmbHGmbHGmbH", "Anna Dr.Schmidt"]
)
def test_a_title_glued_to_the_family_name_is_taken_once(value: str) -> None:
    once = standardize_person(None, None, value, None)
    assert once.title is not None
    again = standardize_person(once.salutation, once.title, once.first_name, once.last_name)
    assert again == once
