"""Pairs a date of birth alone brought: which they are, and that they are weighed on their own."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from dq.match import match_records
from dq.match.attribute_pairs import AttributeKeys, attribute_keys, attribute_only
from dq.match.blocking import load_blocking_keys
from dq.match.columns import ColumnCache
from dq.match.comparisons import load_comparisons
from dq.match.model import PAIR_CLASSES, FSModel, pair_classes
from dq.match.settings import MatchSettings

KEYS = attribute_keys(load_blocking_keys(), load_comparisons())


def test_the_shipped_date_of_birth_key_is_the_attribute_key() -> None:
    assert KEYS is not None
    assert KEYS.attribute == (("birth_date",),)
    assert KEYS.comparisons == ("birth_date",)
    assert ("postcode", "last_name_fold,last_name|prefix:3") in KEYS.other
    assert AttributeKeys.from_dict(KEYS.to_dict()) == KEYS


def test_no_attribute_key_without_a_random_u_comparison() -> None:
    comps = [c for c in load_comparisons() if not c.random_u]
    assert attribute_keys(load_blocking_keys(), comps) is None


PERSON = {
    "party_type": "person",
    "first_name": "aidan",
    "last_name": "campbell",
    "birth_date": "1941-07-18",
    "postcode": "4130",
    "city": "rolleston",
}


@pytest.mark.parametrize(
    ("other", "only"),
    [
        # the same first name and date of birth in another town: brought by the date alone
        ({"last_name": "webb", "postcode": "6023", "city": "rosewater"}, True),
        # names and place entirely different, the date the same
        ({"first_name": "mira", "last_name": "lindqvist", "postcode": "6023"}, True),
        # the same postcode and last name: the person keys bring it too
        ({"first_name": "lachlan"}, False),
        # the same city, last name and first initial (postcode mistyped)
        ({"postcode": "4103", "first_name": "adam"}, False),
        # another date of birth, or none on one side: not brought by the date
        ({"last_name": "webb", "postcode": "6023", "birth_date": "1941-07-19"}, False),
        ({"last_name": "webb", "postcode": "6023", "birth_date": None}, False),
    ],
)
def test_attribute_only_pairs(other: dict[str, str | None], only: bool) -> None:
    frame = pd.DataFrame([PERSON, {**PERSON, **other}])
    frame["birth_date"] = pd.to_datetime(frame["birth_date"])
    cache = ColumnCache(frame)
    left, right = np.array([0]), np.array([1])
    assert bool(attribute_only(cache, left, right, KEYS)[0]) is only
    classes = pair_classes(cache, left, right, KEYS)
    assert PAIR_CLASSES[int(classes[0])] == ("attribute" if only else "person")
    assert not attribute_only(cache, left, right, None)[0]


def test_strangers_sharing_a_first_name_and_a_date_of_birth_stay_apart(
    birth_population: Callable[..., pd.DataFrame],
) -> None:
    frame = birth_population()
    result = match_records(frame.drop(columns=["entity"]), settings=MatchSettings())
    model = result.model
    assert model.attribute_keys == KEYS
    attribute = model.classes["attribute"]
    assert attribute.source == "own", attribute.em
    # few of the pairs a date of birth alone brings are matches here
    assert attribute.prior < 0.05
    # the date itself weighs nothing among them; a first name shared with a stranger little
    assert np.allclose(model.class_weights("birth_date")[PAIR_CLASSES.index("attribute")], 0)
    golden = result.crosswalk.set_index("record_id")["golden_id"]
    assert golden["s1"] != golden["s2"]
    # the typo twins are still found
    found = sum(golden[f"p{i}"] == golden[f"d{i}"] for i in range(300))
    assert found >= 290
    # the model file keeps which keys make an attribute pair
    assert FSModel.from_json(model.to_json()).attribute_keys == KEYS


def test_too_few_attribute_pairs_are_scored_by_their_party_types(
    birth_population: Callable[..., pd.DataFrame],
) -> None:
    frame = birth_population(n=1500).drop(columns=["entity"])
    settings = MatchSettings(em_min_class_pairs=10**6)
    model = match_records(frame, settings=settings).model
    assert model.classes["attribute"].source == "pooled"
    assert model.attribute_keys is None  # so pair_classes gives no attribute pair when scoring
