"""Pairs a date of birth alone brought: which they are, and that they are weighed on their own."""

from __future__ import annotations

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


def _population(seed: int = 7, n: int = 1500) -> pd.DataFrame:
    """Persons in 40 towns whose dates of birth come from 250 days: thousands of strangers
    share one, as in any large customer file; 300 of them entered twice with a typo."""
    rng = np.random.default_rng(seed)
    firsts = [f"{a}{b}" for a in ("an", "be", "ka", "lo", "mi", "ro") for b in ("na", "ter", "lia")]
    lasts = [f"{a}{b}{c}" for a in "bdfgkm" for b in ("ar", "el", "or", "un") for c in "stnlr"]
    towns = [(f"{10000 + 731 * i}", f"town{i}") for i in range(40)]
    days = pd.date_range("1940-01-01", periods=250, freq="37D")
    rows = []
    for i in range(n):
        postcode, city = towns[rng.integers(len(towns))]
        rows.append(
            {
                "record_id": f"p{i}",
                "party_type": "person",
                "first_name": firsts[rng.integers(len(firsts))],
                "last_name": lasts[rng.integers(len(lasts))] + lasts[rng.integers(len(lasts))],
                "street": f"street{rng.integers(60)}",
                "house_number": str(rng.integers(1, 90)),
                "postcode": postcode,
                "city": city,
                "birth_date": days[rng.integers(len(days))],
                "entity": i,
            }
        )
    for i in range(300):
        twin = dict(rows[i], record_id=f"d{i}")
        name = twin["last_name"]
        at = int(rng.integers(1, len(name) - 1))
        twin["last_name"] = name[:at] + name[at + 1 :]  # a letter dropped
        rows.append(twin)
    # strangers: one first name, one date of birth, other names, other towns
    base = {"party_type": "person", "first_name": "aidan", "birth_date": days[3]}
    rows.append({**base, "record_id": "s1", "last_name": "campbell", "postcode": "4130",
                 "city": "rolleston", "street": "edwards street", "house_number": "41",
                 "entity": -1})  # fmt: skip
    rows.append({**base, "record_id": "s2", "last_name": "webb", "postcode": "6023",
                 "city": "rosewater", "street": "benny place", "house_number": "14",
                 "entity": -2})  # fmt: skip
    return pd.DataFrame(rows)


def test_strangers_sharing_a_first_name_and_a_date_of_birth_stay_apart() -> None:
    frame = _population()
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
