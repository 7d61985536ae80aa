"""Conditioned comparisons: phone levels by the address level, employer by the person name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dq.errors import ConfigError
from dq.match.comparisons import compare, load_comparisons, parse_comparisons

SPEC = {c.name: c for c in load_comparisons()}


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        # siblings sharing an office: the same address, another phone
        (
            ("hauptstrasse", "12", "10115", "+4930111"),
            ("hauptstrasse", "12", "10115", "+4930999"),
            "far_same_address",
        ),
        (
            ("hauptstrasse", "12", "10115", "+4930111"),
            ("hauptstrasse", "12", "10115", "+4930111"),
            "exact_same_address",
        ),
        # a move changes address and phone together
        (("hauptstrasse", "12", "10115", "+4930111"), ("seeweg", "3", "80331", "+4989999"), "far"),
        ((None, None, None, "+4930111"), ("seeweg", "3", "80331", "+4989999"), "far_no_address"),
        (
            ("hauptstrasse", "12", "10115", None),
            ("hauptstrasse", "12", "10115", "+4930111"),
            "missing",
        ),
    ],
)
def test_phone_levels_depend_on_the_address(
    left: tuple[str | None, ...], right: tuple[str | None, ...], level: str
) -> None:
    columns = ("street", "house_number", "postcode", "phone")
    rows = [dict(zip(columns, v, strict=True)) for v in (left, right)]
    frame = pd.DataFrame(rows, dtype="string")
    comps = [SPEC["address"], SPEC["phone"]]
    vectors = compare(frame, np.array([0]), np.array([1]), comps)
    assert SPEC["phone"].labels()[int(vectors.levels["phone"][0])] == level


def test_split_groups_and_their_errors() -> None:
    phone = SPEC["phone"]
    groups = phone.level_groups()
    assert groups[0] == -1
    assert sorted(set(groups[1:].tolist())) == [0, 1, 2]
    assert [phone.labels()[i] for i in np.flatnonzero(groups == 1)] == [
        "exact_same_address",
        "close_same_address",
        "invalid_same_address",
        "far_same_address",
    ]
    bad = [
        {"name": "p", "split": {"by": "nope", "groups": {"x": ["exact"]}}},
        {"name": "q", "split": {"by": "p", "groups": {"x": ["no such level"]}}},
        {"name": "r", "split": {"by": "p"}},
    ]
    with pytest.raises(ConfigError) as info:
        parse_comparisons({"comparisons": bad})
    assert len(info.value.problems) == 3


def test_base_codes_fold_the_groups_back() -> None:
    """Hard rules and TF look at the base level whatever the group (exact_same_address: exact)."""
    phone = SPEC["phone"]
    levels = np.arange(len(phone.labels()), dtype=np.int8)
    base = [phone.labels()[i] for i in phone.base_codes(levels)]
    assert base == [label.split("_")[0] for label in phone.labels()]


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        # the same person at the same employer (a contact person in two CRMs)
        (
            ("Anna", "Schmidt", "Kranbau Nord"),
            ("Anna", "Schmidt", "Kranbau Nord"),
            "exact_same_person",
        ),
        # namesakes: the same name at another company
        (
            ("Anna", "Schmidt", "Kranbau Nord"),
            ("Anna", "Schmidt", "Elbe Logistik"),
            "far_same_person",
        ),
        # colleagues: one employer, other names
        (("Anna", "Schmidt", "Kranbau Nord"), ("Jonas", "Weber", "Kranbau Nord"), "exact_person"),
        # two companies (no person names): the plain levels
        ((None, None, "Kranbau Nord"), (None, None, "Kranbau Nord"), "exact"),
        ((None, None, "Kranbau Nord"), (None, None, "Elbe Logistik"), "far"),
    ],
)
def test_employer_levels_depend_on_the_person_name(
    left: tuple[str | None, ...], right: tuple[str | None, ...], level: str
) -> None:
    columns = ("first_name", "last_name", "name_core")
    rows = [dict(zip(columns, v, strict=True)) for v in (left, right)]
    frame = pd.DataFrame(rows, dtype="string")
    comps = [SPEC["name_core"], SPEC["person_name"]]
    vectors = compare(frame, np.array([0]), np.array([1]), comps)
    assert SPEC["name_core"].labels()[int(vectors.levels["name_core"][0])] == level
