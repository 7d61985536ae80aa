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


def test_more_than_one_comma_is_no_name_order_to_undo() -> None:
    """Found by hypothesis: "0,0,1" split at its first comma lost its idempotence."""
    from dq.standardize.persons import split_person_name

    once = split_person_name("0,0,1")
    assert (once.first_name, once.last_name) == (None, "0,0,1")
    assert split_person_name("Müller, Hans").first_name == "Hans"
