"""Blocking: union of keys, i<j deduplicated pairs, link/dedupe modes, block cap, report."""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.errors import ConfigError
from dq.match.blocking import block, load_blocking_keys, parse_blocking_keys
from dq.match.settings import MatchSettings


def _keys(*specs: dict[str, object]):  # type: ignore[no-untyped-def]
    return parse_blocking_keys({"keys": list(specs)})


def _pairs(result) -> set[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return set(zip(result.left.tolist(), result.right.tolist(), strict=True))


FRAME = pd.DataFrame(
    {
        "record_id": [f"s:{i}" for i in range(6)],
        "source": ["a", "a", "b", "b", "a", "b"],
        "postcode": ["10115", "10115", "10115", "80331", None, "80331"],
        "name_core": ["meier bau", "mayer bau", "meier bau", "schmidt", "meier bau", "schmitt"],
    },
    dtype="string",
)


def test_exact_key_pairs_every_record_in_a_block() -> None:
    result = block(FRAME, _keys({"name": "pc", "parts": ["postcode"]}))
    assert _pairs(result) == {(0, 1), (0, 2), (1, 2), (3, 5)}
    assert result.report.pairs_per_key == {"pc": 4}
    assert result.report.share_without_candidate == pytest.approx(1 / 6)


def test_union_of_keys_is_deduplicated_and_ordered() -> None:
    keys = _keys(
        {"name": "pc", "parts": ["postcode"]},
        {"name": "phonetic", "parts": ["name_core|cologne"]},
    )
    result = block(FRAME, keys)
    pairs = list(zip(result.left.tolist(), result.right.tolist(), strict=True))
    assert len(pairs) == len(set(pairs))
    assert all(a < b for a, b in pairs)
    # Meier/Mayer sound alike; Schmidt/Schmitt too; record 4 has no postcode but a name
    assert {(0, 4), (1, 4), (3, 5)} <= set(pairs)
    assert result.report.pairs == len(pairs)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("link_only", {(0, 2), (1, 2)}),
        ("dedupe_only", {(0, 1), (3, 5)}),
        ("dedupe_and_link", {(0, 1), (0, 2), (1, 2), (3, 5)}),
    ],
)
def test_modes_keep_link_or_dedupe_pairs(mode: str, expected: set[tuple[int, int]]) -> None:
    result = block(
        FRAME, _keys({"name": "pc", "parts": ["postcode"]}), settings=MatchSettings(mode=mode)
    )  # type: ignore[arg-type]
    assert _pairs(result) == expected


def test_oversized_blocks_are_split_by_the_secondary_key() -> None:
    keys = _keys({"name": "pc", "parts": ["postcode"], "split_by": ["name_core|prefix:2"]})
    result = block(FRAME, keys, settings=MatchSettings(block_cap=2))
    # the 10115 block (3 records) is split by name prefix: "me" x2 stays, "ma" alone
    assert _pairs(result) == {(0, 2), (3, 5)}
    assert result.report.blocks_split == {"pc": 1}
    assert result.report.blocks_skipped == {}


def test_oversized_blocks_without_split_are_skipped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        result = block(
            FRAME, _keys({"name": "pc", "parts": ["postcode"]}), settings=MatchSettings(block_cap=2)
        )
    assert _pairs(result) == {(3, 5)}
    assert result.report.blocks_skipped == {"pc": 1}
    assert result.report.records_in_skipped_blocks == {"pc": 3}
    assert "above the cap" in caplog.text
    assert result.report.warnings


def test_sorted_neighbourhood_pairs_neighbours_in_key_order() -> None:
    frame = pd.DataFrame({"name_core": ["d", "a", "c", "b", None]}, dtype="string")
    keys = _keys(
        {"name": "sn", "kind": "sorted_neighbourhood", "parts": ["name_core"], "window": 2}
    )
    # sorted: a(1) b(3) c(2) d(0) -> neighbours (1,3) (2,3) (0,2)
    assert _pairs(block(frame, keys)) == {(1, 3), (2, 3), (0, 2)}


def test_shipped_keys_load_and_report_is_json_ready(customers: pd.DataFrame) -> None:
    keys = load_blocking_keys()
    assert {"postcode_name", "name_phonetic", "vat_id", "person_phonetic"} <= {k.name for k in keys}
    result = block(customers, keys)
    report = result.report.to_dict()
    assert report["pairs"] == len(result) > 0
    assert set(report["pairs_per_key"]) == {k.name for k in keys}


def test_every_problem_in_a_key_file_is_reported() -> None:
    with pytest.raises(ConfigError) as info:
        parse_blocking_keys(
            {
                "keys": [
                    {"name": "a"},
                    {"name": "b", "parts": ["x|nope"]},
                    {"name": "c", "parts": "x", "kind": "?"},
                ]
            }
        )
    assert len(info.value.problems) == 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=0, max_size=25))
def test_exact_blocking_equals_brute_force(values: list[str | None]) -> None:
    frame = pd.DataFrame({"k": pd.array(values, dtype="string")})
    result = block(
        frame, _keys({"name": "k", "parts": ["k"]}), settings=MatchSettings(block_cap=100)
    )
    brute = {
        (i, j)
        for i, j in itertools.combinations(range(len(values)), 2)
        if values[i] is not None and values[i] == values[j]
    }
    assert _pairs(result) == brute
    assert result.left.dtype == np.int64


# one person written twice, each time with a defect seen in person registers and CRM exports
_PERSON = {
    "first_name": "Katharina",
    "last_name": "Oberländer",
    "street": "Lindenstraße",
    "house_number": "14",
    "postcode": "53111",
    "city": "Bonn",
    "tax_number": "12345678903",
}


@pytest.mark.parametrize(
    "change",
    [
        {"first_name": "Katharnia", "last_name": "Oberlandre", "postcode": "53171"},  # typos
        {"first_name": "Oberländer", "last_name": "Katharina", "postcode": None},  # swapped
        {"last_name": "Pberländer", "postcode": None},  # first letter of the name mistyped
        {"first_name": "Kathrin", "last_name": "Oberlaender", "postcode": "35111"},
        {"first_name": "Katja", "last_name": "Obermeier", "street": None, "city": None},
    ],
    ids=["typos-both-names", "swapped-no-postcode", "initial-typo", "postcode-typo", "moved"],
)
def test_shipped_keys_pair_a_person_written_with_defects(change: dict[str, str | None]) -> None:
    import dq

    other = {"first_name": "Jonas", "last_name": "Brandt", "street": "Am Markt", "city": "Köln"}
    rows = [_PERSON, {**_PERSON, **change}, {**_PERSON, **other, "postcode": "50667"}]
    frame = pd.DataFrame(rows, dtype="string").assign(
        record_id=["a:1", "a:2", "a:3"], source="a", party_type="person", country="DE"
    )
    frame.loc[2, "tax_number"] = "98765432106"
    records = dq.standardize_records(frame).records
    # equal-key blocks only: a sorted neighbourhood pairs any three records
    keys = [key for key in load_blocking_keys() if key.kind == "block"]
    assert _pairs(block(records, keys)) == {(0, 1)}
