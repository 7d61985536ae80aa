"""The pair budget: counted before any pair is built, it lowers the block cap when needed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dq.match.blocking import block, key_codes, parse_blocking_keys
from dq.match.budget import MIN_BUDGET, KeyBlocks, budget_cap, pairs_at_cap
from dq.match.settings import MatchSettings


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", None]), st.sampled_from(["x", "y", None])),
        max_size=40,
    ),
    st.integers(min_value=2, max_value=12),
)
def test_the_count_equals_the_pairs_blocking_builds(
    rows: list[tuple[str | None, str | None]], cap: int
) -> None:
    frame = pd.DataFrame(rows or [(None, None)], columns=["k", "s"], dtype="string")
    keys = parse_blocking_keys({"keys": [{"name": "k", "parts": ["k"], "split_by": ["s"]}]})
    built = block(frame, keys, settings=MatchSettings(block_cap=cap, pairs_per_record=None))
    blocks = KeyBlocks.of(key_codes(frame, ["k"]), key_codes(frame, ["s"]))
    assert pairs_at_cap(blocks, cap) == built.report.pairs_per_key["k"]


def test_the_cap_is_the_largest_that_fits() -> None:
    blocks = KeyBlocks.of(np.repeat(np.arange(10), 100), None)  # ten blocks of 100 records
    assert budget_cap([blocks], 0, 10 * 4950, 300) == (300, 49_500)
    cap, estimate = budget_cap([blocks], 0, 49_499, 300)
    assert (cap, estimate) == (99, 49_500)  # blocks of 100 no longer fit: skipped


def _medium_blocks(n: int) -> pd.DataFrame:
    """Many blocks of 200 records under one key (a common surname's phonetic code in every
    town), each of 50 small sub-blocks; and a precise key with pairs of records."""
    i = np.arange(n)
    return pd.DataFrame(
        {"k": (i // 200).astype(str), "s": (i % 50).astype(str), "pc": (i // 2).astype(str)},
        dtype="string",
    )


def test_a_key_with_many_medium_blocks_is_refined_to_stay_in_budget() -> None:
    frame = _medium_blocks(100_000)
    keys = parse_blocking_keys(
        {
            "keys": [
                {"name": "k", "parts": ["k"], "split_by": ["s"]},
                {"name": "pc", "parts": ["pc"]},
            ]
        }
    )
    result = block(frame, keys, settings=MatchSettings(pairs_per_record=10))
    report = result.report
    assert report.budget == MIN_BUDGET
    assert report.pairs_estimated == 500 * 19_900 + 50_000  # what the keys would have made
    assert report.cap_used == 199
    assert report.pairs_per_key == {"k": 500 * 50 * 6, "pc": 50_000}
    assert report.pairs <= report.budget
    assert any("budget" in w for w in report.warnings)
    assert report.to_dict()["cap_used"] == 199


def test_without_a_secondary_key_the_oversized_blocks_are_skipped_and_reported() -> None:
    frame = _medium_blocks(100_000)
    keys = parse_blocking_keys({"keys": [{"name": "k", "parts": ["k"]}]})
    result = block(frame, keys, settings=MatchSettings(pairs_per_record=10))
    assert result.report.pairs <= result.report.budget
    assert result.report.blocks_skipped["k"] > 0


def test_data_within_the_budget_keep_their_blocks() -> None:
    frame = _medium_blocks(2_000)
    keys = parse_blocking_keys({"keys": [{"name": "k", "parts": ["k"]}]})
    with_budget = block(frame, keys, settings=MatchSettings())
    without = block(frame, keys, settings=MatchSettings(pairs_per_record=None))
    assert with_budget.report.cap_used == MatchSettings().block_cap
    assert np.array_equal(with_budget.left, without.left)
    assert np.array_equal(with_budget.right, without.right)
